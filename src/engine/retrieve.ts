import type MiniSearch from 'minisearch';
import type { SearchResult } from 'minisearch';
import type { IndexedPassage } from './index-options.ts';

/** The parts of a MiniSearch 7 index that {@link createRetriever} reads (not part of its public API). */
interface MiniSearchInternals {
  _index: { get(term: string): Map<number, Map<number, number>> | undefined };
  _documentIds: Map<number, string>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
  _storedFields: Map<number, Record<string, unknown> | undefined>;
}

/** A term to search for and the summed boost of the queries that ask for it. */
export interface WeightedTerm {
  term: string;
  boost: number;
}

// MiniSearch's BM25+ defaults, which its own search uses.
const K = 1.2;
const B = 0.7;
const D = 0.5;

/**
 * Top-k BM25 retrieval over a MiniSearch index, scoring exactly as `MiniSearch.search` does with
 * `combineWith: 'OR'` (BM25+ per field, field boosts, term boosts, the score multiplied by the
 * number of query terms matched), but without its per-posting allocations and full sort, and
 * with MaxScore pruning: once the best `limit` candidates are known well enough, terms whose
 * possible contribution cannot lift an unseen passage into them only update known candidates.
 * Those are usually the common terms, whose postings are the long ones.
 */
export function createRetriever(
  miniSearch: MiniSearch<IndexedPassage>,
  fieldBoosts: Record<string, number>,
): (terms: readonly WeightedTerm[], limit: number) => SearchResult[] {
  const ms = miniSearch as unknown as MiniSearchInternals;
  let scores = new Float64Array(0);
  let counts = new Uint16Array(0);
  let lastTerm = new Int32Array(0);
  // Field lengths by short id, copied out of MiniSearch's Map on first use (they never change:
  // a re-added passage gets a new short id). 0 = not looked up yet.
  const lengths: Float64Array[] = [];
  const fields = Object.entries(fieldBoosts);

  return (weighted, limit) => {
    if (ms._nextId > scores.length) {
      const size = Math.max(ms._nextId, scores.length * 2, 1024);
      scores = new Float64Array(size);
      counts = new Uint16Array(size);
      lastTerm = new Int32Array(size);
      for (const [, fieldId] of Object.entries(ms._fieldIds)) {
        const grown = new Float64Array(size);
        if (lengths[fieldId]) grown.set(lengths[fieldId]!);
        lengths[fieldId] = grown;
      }
    }
    lastTerm.fill(-1, 0, ms._nextId);
    const n = ms._documentCount;
    const terms = weighted
      .map(({ term, boost }) => {
        const data = ms._index.get(term);
        if (!data) return undefined;
        const postings = fields.flatMap(([field, fieldBoost]) => {
          const fieldId = ms._fieldIds[field]!;
          const freqs = data.get(fieldId);
          if (!freqs || freqs.size === 0) return [];
          const idf = Math.log(1 + (n - freqs.size + 0.5) / (freqs.size + 0.5));
          return [
            { field, fieldId, weight: boost * fieldBoost, freqs, idf, avg: ms._avgFieldLength[fieldId]! },
          ];
        });
        const upperBound = postings.reduce((sum, p) => sum + p.weight * p.idf * (D + K + 1), 0);
        return { term, postings, upperBound };
      })
      .filter((t) => t !== undefined && t.postings.length > 0)
      .sort((a, b) => b!.upperBound - a!.upperBound) as Array<{
      term: string;
      postings: Array<{
        field: string;
        fieldId: number;
        weight: number;
        freqs: Map<number, number>;
        idf: number;
        avg: number;
      }>;
      upperBound: number;
    }>;

    const touched: number[] = [];
    let maxSeen = 0;
    const add = (t: number, docId: number, tf: number, p: (typeof terms)[number]['postings'][number]) => {
      const fieldLengths = lengths[p.fieldId]!;
      let length = fieldLengths[docId]!;
      if (length === 0) {
        length = ms._fieldLength.get(docId)?.[p.fieldId] ?? 0;
        fieldLengths[docId] = length;
      }
      scores[docId]! += p.weight * p.idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * length) / p.avg)));
      if (lastTerm[docId] !== t) {
        lastTerm[docId] = t;
        counts[docId]!++;
      }
      const value = scores[docId]! * counts[docId]!;
      if (value > maxSeen) maxSeen = value;
    };
    // Upper bounds of what the terms from i on can give a passage that only they match.
    const restBound = terms.map((_, i) => {
      const rest = terms.slice(i);
      return rest.reduce((sum, t) => sum + t.upperBound, 0) * rest.length;
    });
    let essential = true;
    terms.forEach((term, t) => {
      // The k-th best is only worth computing when even the best seen could rule the rest out.
      if (
        essential &&
        touched.length >= limit &&
        restBound[t]! < maxSeen &&
        restBound[t]! < kthBest(touched, limit)
      )
        essential = false;
      for (const p of term.postings) {
        if (essential) {
          // forEach, not for-of: no entry array per posting.
          p.freqs.forEach((tf, docId) => {
            if (lastTerm[docId] === -1) {
              if (!ms._documentIds.has(docId)) return;
              scores[docId] = 0;
              counts[docId] = 0;
              lastTerm[docId] = -2;
              touched.push(docId);
            }
            add(t, docId, tf, p);
          });
        } else if (p.freqs.size < touched.length) {
          p.freqs.forEach((tf, docId) => {
            if (lastTerm[docId] !== -1) add(t, docId, tf, p);
          });
        } else {
          for (const docId of touched) {
            const tf = p.freqs.get(docId);
            if (tf !== undefined) add(t, docId, tf, p);
          }
        }
      }
    });

    const best = topK(touched, limit);
    return best.map((docId) => {
      const match: Record<string, string[]> = {};
      const queryTerms: string[] = [];
      for (const term of terms) {
        const inFields = term.postings.filter((p) => p.freqs.has(docId)).map((p) => p.field);
        if (inFields.length) {
          match[term.term] = inFields;
          queryTerms.push(term.term);
        }
      }
      return {
        ...ms._storedFields.get(docId),
        id: ms._documentIds.get(docId),
        score: scores[docId]! * counts[docId]!,
        terms: Object.keys(match),
        queryTerms,
        match,
      };
    });
  };

  // The limit-th best score seen so far (scores only grow, so it bounds the final limit-th best).
  function kthBest(docs: readonly number[], limit: number): number {
    const best = topK(docs, limit);
    const last = best.at(-1);
    return last === undefined ? 0 : scores[last]! * counts[last]!;
  }

  // The `limit` best passages, best first (a small min-heap over the candidates). Equal scores
  // keep index order, as MiniSearch's stable sort does.
  function topK(docs: readonly number[], limit: number): number[] {
    const heap: number[] = [];
    const value = (d: number) => scores[d]! * counts[d]!;
    const worse = (a: number, b: number) => {
      const va = value(a);
      const vb = value(b);
      return va < vb || (va === vb && a > b);
    };
    const sift = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    for (const d of docs) {
      if (heap.length < limit) {
        heap.push(d);
        for (let i = heap.length - 1; i > 0; ) {
          const p = (i - 1) >> 1;
          if (!worse(heap[i]!, heap[p]!)) break;
          [heap[i], heap[p]] = [heap[p]!, heap[i]!];
          i = p;
        }
      } else if (limit > 0 && worse(heap[0]!, d)) {
        heap[0] = d;
        sift(0);
      }
    }
    return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  }
}
