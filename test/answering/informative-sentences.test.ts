import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { informativeSentences } from '../../src/answering/informative-sentences.ts';
import { makeDocument } from '../helpers.ts';

// Filler shares its vocabulary with the other articles; the facts use words only this article has.
const article = makeDocument(
  'talks',
  [
    'Officials met on Tuesday for another round of talks about the war.',
    'The talks were described as useful by officials on both sides of the war.',
    'Moscow demanded that Kyiv surrender the Zaporizhzhia nuclear plant and cap its army at 600,000 soldiers.',
    'It also wanted sanctions lifted.',
    'Officials said more talks about the war would follow.',
    'Negotiators proposed a demilitarised buffer zone patrolled by neutral peacekeepers from Brazil and India.',
  ].join(' '),
  { title: 'Moscow demands nuclear plant and army cap' },
);
const others = [1, 2, 3].map((i) =>
  makeDocument(
    `other-${i}`,
    'Officials held talks about the war on Tuesday. Officials on both sides said the talks were useful.',
  ),
);

describe('informativeSentences', () => {
  const engine = createEngine([article, ...others]);
  const pick = (options = {}) =>
    informativeSentences(engine.passages('talks'), (term) => engine.idf(term), {
      title: article.title,
      ...options,
    }).map((s) => s.passage.sentence);

  it('prefers sentences with terms rare in the corpus over the opening lines, in article order', () => {
    expect(pick()).toEqual([2, 5]);
  });

  it('halves a sentence that leans on the one before it', () => {
    const scoreOf = (second: string) => {
      const doc = makeDocument('x', `Talks resumed in Geneva on Monday. ${second}`);
      const e = createEngine([doc, ...others]);
      return informativeSentences(e.passages('x'), (term) => e.idf(term), { max: 2 }).find(
        (s) => s.passage.sentence === 1,
      )!.score;
    };
    const standalone = scoreOf('Moscow demanded the Zaporizhzhia nuclear plant and an army cap.');
    const leaning = scoreOf('It demanded the Zaporizhzhia nuclear plant and an army cap.');
    expect(leaning).toBeLessThan(standalone * 0.6);
  });

  it('returns at most max sentences and nothing for an empty article', () => {
    expect(pick({ max: 1 })).toEqual([2]);
    expect(informativeSentences([], () => 1)).toEqual([]);
  });
});
