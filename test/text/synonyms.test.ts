import { describe, expect, it } from 'vitest';
import { synonymsOf } from '../../src/answering/question.ts';
import { analyzeTerms } from '../../src/text/analyze.ts';
import synonymData from '../../src/text/synonyms.json' with { type: 'json' };

describe('synonyms.json', () => {
  it.each(synonymData.groups.map((group) => [group.join(' / '), group] as const))(
    'group %s has two or more members that each analyse to terms',
    (_, group) => {
      expect(group.length).toBeGreaterThanOrEqual(2);
      for (const member of group) expect(analyzeTerms(member)).not.toEqual([]);
    },
  );

  it("expands everyday words to the articles' words", () => {
    expect(synonymsOf(analyzeTerms('talks')[0]!)).toContain(analyzeTerms('negotiations')[0]);
    expect(synonymsOf(analyzeTerms('deal')[0]!)).toContain(analyzeTerms('agreement')[0]);
    expect(synonymsOf(analyzeTerms('soldiers')[0]!)).toContain(analyzeTerms('troops')[0]);
  });

  it('never lists a term as its own synonym, and knows nothing of unlisted words', () => {
    const term = analyzeTerms('ceasefire')[0]!;
    expect(synonymsOf(term)).not.toContain(term);
    expect(synonymsOf('xylophon')).toEqual([]);
  });
});
