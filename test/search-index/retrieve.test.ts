import { describe, expect, it } from 'vitest';
import { generateCorpus, generateQuestions } from '../../bench/generate.ts';
import { analyzeQuestion } from '../../src/answering/question.ts';
import { parseDocument } from '../../src/corpus/parse-document.ts';
import { compactIndex, PassageMiniSearch } from '../../src/search-index/compact-index.ts';
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

/** How many passages' text holds a term. */
function postingCount(index: PassageMiniSearch, term: string): number {
  return index._index.get(term)?.get(index._fieldIds.text!)?.size ?? 0;
}

/** Every passage's score by reading every posting, as MiniSearch's OR search adds them up. */
function exhaustive(
  index: PassageMiniSearch,
  terms: readonly { term: string; boost: number }[],
  boosts: Record<string, number>,
) {
  const { k, b, d } = index.bm25;
  const sums = new Map<number, number>();
  const counts = new Map<number, number>();
  for (const { term, boost } of terms) {
    const fields = index._index.get(term);
    if (!fields) continue;
    const matched = new Set<number>();
    for (const [field, fieldBoost] of Object.entries(boosts)) {
      const fieldId = index._fieldIds[field]!;
      const freqs = fields.get(fieldId);
      if (!freqs || freqs.size === 0) continue;
      const idf = Math.log(1 + (index._documentCount - freqs.size + 0.5) / (freqs.size + 0.5));
      const avg = index._avgFieldLength[fieldId]!;
      freqs.forEach((tf, docId) => {
        if (!index._documentIds.has(docId)) return;
        const length = index._fieldLength.get(docId)?.[fieldId] ?? 0;
        const add = boost * fieldBoost * idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * length) / avg)));
        sums.set(docId, (sums.get(docId) ?? 0) + add);
        matched.add(docId);
      });
    }
    for (const docId of matched) counts.set(docId, (counts.get(docId) ?? 0) + 1);
  }
  return [...sums]
    .map(([docId, sum]) => ({ id: index._documentIds.get(docId)!, docId, score: sum * counts.get(docId)! }))
    .sort((x, y) => y.score - x.score || x.docId - y.docId);
}

describe('createRetriever over packed postings', () => {
  it('finds what reading every posting finds, with the pruning and block skipping on: packed, written to since, removed from, discarded, tied', () => {
    const articles = generateCorpus({ articles: 240, words: 220 });
    const rows = articles.flatMap((a) => {
      const document = parseDocument(`corpus/${a.id}.md`, a.text);
      return passagesOf(document).map((p) => ({
        id: p.id,
        docId: p.docId,
        text: p.tokens.map((t) => t.term).join(' '),
        context: analyzeTerms(document.title).join(' '),
      }));
    });
    // Copies of one passage tie on every query: the lower short id must come first.
    const twins = [0, 1, 2].map((i) => ({ ...rows[5]!, id: `twin-${i}` }));
    const [early, late] = [rows.slice(0, 2000), rows.slice(2000)];
    const index = new PassageMiniSearch();
    index.addAll([...early, ...twins]);
    compactIndex(index);
    const boosts = { text: 1, context: 0.25 };
    // Windows of one passage, windows small enough that a query spans many (some holding a few
    // passages, read sorted, some many, read in order), and the configured ones.
    const retrievers = {
      'windows of 1': createRetriever(index, boosts, 1),
      'windows of 64': createRetriever(index, boosts, 64),
      'configured windows': createRetriever(index, boosts),
    };
    const questions = generateQuestions(articles, 40);
    // Single common words too: their long lists are where whole blocks get stepped over.
    const common = ['russia', 'ukrain', 'peac', 'year', 'talk'];
    const check = (label: string) => {
      const asked = [
        ...questions.map((q) =>
          analyzeQuestion(q).terms.map((t, i) => ({ term: t.term, boost: i % 3 ? 0.4 : 1 })),
        ),
        ...common.map((term) => [{ term, boost: 1 }]),
        // The rarest words of the copied passage: the copies tie alone in a window of few passages.
        [...new Set(rows[5]!.text.split(' '))]
          .sort((x, y) => postingCount(index, x) - postingCount(index, y))
          .slice(0, 2)
          .map((term) => ({ term, boost: 1 })),
        // A pasted sentence expanded into synonyms asks for 20-40 terms, common ones among them.
        ...questions.slice(0, 10).map((q, i) =>
          [q, questions[i + 10]!, questions[i + 20]!]
            .flatMap((text) => analyzeQuestion(text).terms.map((t) => t.term))
            .concat(common)
            .filter((term, at, all) => all.indexOf(term) === at)
            .map((term, j) => ({ term, boost: [1, 0.75, 0.45, 0.7][j % 4]! })),
        ),
      ];
      let blocksSeen = 0;
      for (const terms of asked) {
        const all = exhaustive(index, terms, boosts);
        if (terms.length === 1 && all.length > 64) blocksSeen++;
        for (const [scoring, retrieve] of Object.entries(retrievers))
          for (const limit of [1, 3, 10, 60]) {
            const actual = retrieve(terms, limit);
            expect(
              actual.map((r) => r.id),
              `${label}, ${scoring}: ${terms.map((t) => t.term).join(' ')} @${limit}`,
            ).toEqual(all.slice(0, limit).map((r) => r.id));
            actual.forEach((r, i) => {
              expect(r.score).toBeCloseTo(all[i]!.score, 9);
            });
          }
      }
      expect(blocksSeen, `${label}: single words with more than one block`).toBeGreaterThan(0);
    };
    check('packed');
    // Written to since packing: new passages go to each list's overlay, removed ones are hidden.
    index.addAll(late);
    for (const row of early.filter((_, i) => i % 7 === 3)) index.remove(row);
    check('packed, then added to and removed from');
    // Discarded but not vacuumed (fewer than MiniSearch's 20 that start a vacuum): their
    // postings linger and must be passed over. The passages discarded are ones that ranked first.
    const firsts = new Set(
      questions.map(
        (q) =>
          exhaustive(
            index,
            analyzeQuestion(q).terms.map((t) => ({ term: t.term, boost: 1 })),
            boosts,
          )[0]?.id,
      ),
    );
    const discarded = [...firsts]
      .filter((id): id is string => id !== undefined && !id.startsWith('twin'))
      .slice(0, 15);
    for (const id of discarded) index.discard(id);
    expect(index._dirtCount).toBe(discarded.length);
    check('with discarded passages');
    for (const retrieve of Object.values(retrievers)) {
      expect(
        retrieve([{ term: analyzeTerms('twin')[0] ?? 'x', boost: 1 }], 3).length,
        'a term nothing holds',
      ).toBe(0);
      // The three copies and their original score the same on their own words: index order decides.
      const twinTerms = rows[5]!.text.split(' ').map((term) => ({ term, boost: 1 }));
      const ranked = retrieve(twinTerms, 60).map((r) => r.id);
      const order = [rows[5]!.id, 'twin-0', 'twin-1', 'twin-2'].map((id) => ranked.indexOf(id));
      expect(order.every((at) => at >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });
});
