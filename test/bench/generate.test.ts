import { describe, expect, it } from 'vitest';
import { generateCorpus, generateQuestions } from '../../bench/generate.ts';
import { parseDocument } from '../../src/corpus/parse-document.ts';

describe('bench corpus generator', () => {
  it('is deterministic and writes valid corpus files', () => {
    const a = generateCorpus({ articles: 20 });
    const b = generateCorpus({ articles: 20 });
    expect(a).toEqual(b);
    expect(generateQuestions(a, 30)).toEqual(generateQuestions(b, 30));
    expect(generateCorpus({ articles: 20, seed: 1 })[0]!.text).not.toBe(a[0]!.text);
    for (const article of a)
      expect(parseDocument(`corpus/${article.id}.md`, article.text).id).toBe(article.id);
    const words = a.map((article) => article.text.split(/\s+/).length);
    expect(words.reduce((s, w) => s + w, 0) / words.length).toBeGreaterThan(400);
  });
});
