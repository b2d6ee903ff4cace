import { describe, expect, it } from 'vitest';
import { generateCorpus, generateQuestions } from '../../bench/generate.ts';
import { analyzeQuestion } from '../../src/answering/question.ts';
import { parseDocument } from '../../src/corpus/parse-document.ts';
import { PassageMiniSearch } from '../../src/search-index/compact-index.ts';
import { passagesOf } from '../../src/search-index/passages.ts';
import { createRetriever } from '../../src/search-index/retrieve.ts';
import { analyzeTerms } from '../../src/text/analyze.ts';

describe('createRetriever', () => {
  it('returns the same top passages and scores as MiniSearch.search (OR, boosts), also after a discard', async () => {
    const articles = generateCorpus({ articles: 60, words: 200 });
    const index = new PassageMiniSearch();
    for (const a of articles) {
      const document = parseDocument(`corpus/${a.id}.md`, a.text);
      index.addAll(
        passagesOf(document).map((p) => ({
          id: p.id,
          docId: p.docId,
          text: p.tokens.map((t) => t.term).join(' '),
          context: analyzeTerms(document.title).join(' '),
        })),
      );
    }
    // Until a vacuum, MiniSearch's idf still counts a discarded passage in an order-dependent way;
    // the retriever uses the posting counts as they stand. After it, the two agree exactly.
    index.discard(`${articles[3]!.id}#2`);
    await index.vacuum();
    const retrieve = createRetriever(index, { text: 1, context: 0.25 });
    for (const question of generateQuestions(articles, 25)) {
      const terms = analyzeQuestion(question).terms.map((t, i) => ({
        term: t.term,
        boost: i % 2 ? 0.35 : 1,
      }));
      const all = index.search({
        combineWith: 'OR',
        queries: terms.map((t) => ({ queries: [t.term], boostTerm: () => t.boost })),
      });
      // Small limits exercise the pruning and the selection of the k-th best.
      for (const limit of [1, 3, 10, 60]) {
        const expected = all.slice(0, limit);
        const actual = retrieve(terms, limit);
        expect(actual.map((r) => r.id)).toEqual(expected.map((r) => r.id));
        actual.forEach((r, i) => {
          expect(r.score).toBeCloseTo(expected[i]!.score, 9);
          expect(new Set(r.queryTerms)).toEqual(new Set(expected[i]!.queryTerms));
        });
      }
    }
  });
});
