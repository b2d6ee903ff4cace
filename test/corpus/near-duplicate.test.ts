import { describe, expect, it } from 'vitest';
import { COPY_THRESHOLD, createCopyFinder, resemblance, signature } from '../../src/corpus/near-duplicate.ts';
import { shippedCorpus } from '../helpers.ts';
import { COPIES, ORIGINAL, OTHER_STORIES } from '../live-corpus/stories.ts';

const alike = (a: string, b: string) => resemblance(signature(a), signature(b));

// The figures in the README's "Syndicated copies" section come from these pairs.
describe('near-duplicate threshold', () => {
  it('separates edited copies of a story from other stories on the same event', async () => {
    const copies = Object.values(COPIES).map((text) => alike(ORIGINAL, text));
    const others = Object.values(OTHER_STORIES).map((text) => alike(ORIGINAL, text));
    const corpus = (await shippedCorpus()).map((d) => d.body);
    // Different stories on related events: every pair of shipped articles, and each with the story.
    for (let i = 0; i < corpus.length; i++) {
      others.push(alike(ORIGINAL, corpus[i]!));
      for (let j = i + 1; j < corpus.length; j++) others.push(alike(corpus[i]!, corpus[j]!));
    }
    expect(Math.min(...copies)).toBeGreaterThanOrEqual(COPY_THRESHOLD + 0.2);
    expect(Math.max(...others)).toBeLessThan(COPY_THRESHOLD - 0.2);
  });

  it('finds the closest article above the threshold, none below', () => {
    const finder = createCopyFinder(() => [
      { id: 'original', title: 'T', body: ORIGINAL },
      { id: 'rival', title: 'R', body: OTHER_STORIES['rival report']! },
    ]);
    expect(finder.find(COPIES['paragraph added']!)).toMatchObject({ docId: 'original' });
    expect(finder.find(OTHER_STORIES['next-day reaction']!)).toBeUndefined();
    expect(finder.find(ORIGINAL, { exclude: 'original' })).toBeUndefined();
  });

  it('is stable and symmetric, and copes with empty and tiny texts', () => {
    expect(alike(ORIGINAL, ORIGINAL)).toBe(1);
    expect(alike(ORIGINAL, COPIES['new lede, trimmed ending']!)).toBe(
      alike(COPIES['new lede, trimmed ending']!, ORIGINAL),
    );
    expect(alike('', '')).toBe(1);
    expect(alike('Hi', 'Bye')).toBe(0);
  });
});
