import type { SearchResult } from 'minisearch';
import { FieldLengths, PackedPostings, type PassageMiniSearch } from './compact-index.ts';

/** A term to search for and the summed boost of the queries that ask for it. */
export interface WeightedTerm {
  term: string;
  boost: number;
}

/**
 * Top-k BM25 retrieval over a MiniSearch index, scoring exactly as `MiniSearch.search` does with
 * `combineWith: 'OR'` (BM25+ per field, field boosts, term boosts, the score multiplied by the
 * number of query terms matched), but without its per-posting allocations and full sort, and
 * with MaxScore pruning: once the best `limit` candidates are known well enough, terms whose
 * possible contribution cannot lift an unseen passage into them only update known candidates.
 * Those are usually the common terms, whose postings are the long ones.
 */
export function createRetriever(
  miniSearch: PassageMiniSearch,
  fieldBoosts: Record<string, number>,
): (terms: readonly WeightedTerm[], limit: number) => SearchResult[] {
  const ms = miniSearch;
  // The BM25+ parameters MiniSearch's own search uses, so scores stay equal to its.
  const { k: K, b: B, d: D } = miniSearch.bm25;
  let scores = new Float64Array(0);
  let counts = new Uint16Array(0);
  let lastTerm = new Int32Array(0);
  // Candidates' final scores, copied out for a selection (reused across calls).
  let values = new Float64Array(0);
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
    const packedLengths = ms._fieldLength instanceof FieldLengths ? ms._fieldLength : undefined;
    // Postings of discarded passages linger until a vacuum; with none discarded since, skip the
    // lookup per candidate. (Not `> 0`: a vacuum that ends after a compaction leaves it negative.)
    const mayHoldDiscarded = ms._dirtCount !== 0;
    const add = (t: number, docId: number, tf: number, p: (typeof terms)[number]['postings'][number]) => {
      const fieldLengths = lengths[p.fieldId]!;
      let length = fieldLengths[docId]!;
      if (length === 0) {
        length = packedLengths
          ? packedLengths.lengthOf(docId, p.fieldId)
          : (ms._fieldLength.get(docId)?.[p.fieldId] ?? 0);
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
    // Scores only grow, so a k-th best computed earlier still bounds it from below: compared
    // first, it spares a selection over every candidate for each term.
    let knownKth = 0;
    terms.forEach((term, t) => {
      // The k-th best is only worth computing when even the best seen could rule the rest out.
      if (essential && touched.length >= limit && restBound[t]! < maxSeen) {
        if (restBound[t]! >= knownKth) knownKth = kthBest(touched, limit);
        if (restBound[t]! < knownKth) essential = false;
      }
      for (const p of term.postings) {
        if (essential) {
          const visit = (docId: number, tf: number) => {
            if (lastTerm[docId] === -1) {
              if (mayHoldDiscarded && !ms._documentIds.has(docId)) return;
              scores[docId] = 0;
              counts[docId] = 0;
              lastTerm[docId] = -2;
              touched.push(docId);
            }
            add(t, docId, tf, p);
          };
          // Packed postings are read in a plain loop (the hot path at scale); a Map by forEach,
          // not for-of: no entry array per posting.
          const packed = p.freqs instanceof PackedPostings ? p.freqs.packed : undefined;
          if (packed) {
            const { data, end } = packed;
            for (let i = packed.start; i < end; i += 2) visit(data[i]!, data[i + 1]!);
          } else {
            p.freqs.forEach((tf, docId) => {
              visit(docId, tf);
            });
          }
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

  function valuesOf(docs: readonly number[]): Float64Array {
    if (values.length < docs.length) values = new Float64Array(Math.max(docs.length, values.length * 2));
    for (let i = 0; i < docs.length; i++) values[i] = scores[docs[i]!]! * counts[docs[i]!]!;
    return values;
  }

  // The limit-th best score seen so far (scores only grow, so it bounds the final limit-th best).
  function kthBest(docs: readonly number[], limit: number): number {
    if (docs.length < limit || limit <= 0) return 0;
    return kthLargest(valuesOf(docs), docs.length, limit);
  }

  // The `limit` best passages, best first. Equal scores keep index order (lower short id first),
  // as MiniSearch's stable sort does. A selection, then a sort of only the few kept.
  function topK(docs: readonly number[], limit: number): number[] {
    if (limit <= 0) return [];
    const value = (d: number) => scores[d]! * counts[d]!;
    const byRank = (a: number, b: number) => value(b) - value(a) || a - b;
    if (docs.length <= limit) return [...docs].sort(byRank);
    const threshold = kthLargest(valuesOf(docs), docs.length, limit);
    const above = docs.filter((d) => value(d) > threshold);
    const at = docs.filter((d) => value(d) === threshold).sort((a, b) => a - b);
    return [...above, ...at.slice(0, limit - above.length)].sort(byRank);
  }
}

/**
 * The k-th largest (1-based) of `v[0..n)`, by quickselect: O(n) on average, where a heap over
 * every candidate cost O(n log k) each time MaxScore checked its threshold. Reorders `v`.
 */
function kthLargest(v: Float64Array, n: number, k: number): number {
  const target = k - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i]! > pivot) i++;
      while (v[j]! < pivot) j--;
      if (i <= j) {
        const swap = v[i]!;
        v[i] = v[j]!;
        v[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return v[target]!;
  }
  return v[target]!;
}
