import type { BM25Params, SearchResult } from 'minisearch';
import { FieldLengths, PackedPostings, type PassageMiniSearch } from './compact-index.ts';

/** A term to search for and the summed boost of the queries that ask for it. */
export interface WeightedTerm {
  term: string;
  boost: number;
}

/** One field's postings of a query term, with what BM25 needs to score them. */
interface FieldPostings {
  field: string;
  fieldId: number;
  weight: number;
  freqs: Map<number, number>;
  idf: number;
  avg: number;
}

/** A query term that has postings, and the most it can add to one passage's score. */
interface QueryTerm {
  term: string;
  postings: FieldPostings[];
  upperBound: number;
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
  const fields = Object.entries(fieldBoosts);
  const board = new ScoreBoard(ms);
  return (weighted, limit) => {
    board.reset();
    const terms = queryTermsOf(ms, weighted, fields, board.bm25);
    scoreTerms(board, terms, limit);
    return board.topK(limit).map((docId) => resultOf(ms, board, terms, docId));
  };
}

/** The asked terms that have postings, each field weighted and with its idf, biggest possible contribution first. */
function queryTermsOf(
  ms: PassageMiniSearch,
  weighted: readonly WeightedTerm[],
  fields: ReadonlyArray<[string, number]>,
  { k: K, d: D }: BM25Params,
): QueryTerm[] {
  const n = ms._documentCount;
  return weighted
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
    .filter((t): t is QueryTerm => t !== undefined && t.postings.length > 0)
    .sort((a, b) => b.upperBound - a.upperBound);
}

/**
 * Score every term's postings in turn into `board`, MaxScore-pruned: once even the best seen
 * could rule out what the remaining terms can give an unseen passage, they only update the
 * candidates already touched.
 */
function scoreTerms(board: ScoreBoard, terms: readonly QueryTerm[], limit: number): void {
  const { touched } = board;
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
    if (essential && touched.length >= limit && restBound[t]! < board.maxSeen) {
      if (restBound[t]! >= knownKth) knownKth = board.kthBest(limit);
      if (restBound[t]! < knownKth) essential = false;
    }
    for (const p of term.postings) {
      if (essential) {
        // Packed postings are read in a plain loop (the hot path at scale); a Map by forEach,
        // not for-of: no entry array per posting.
        const packed = p.freqs instanceof PackedPostings ? p.freqs.packed : undefined;
        if (packed) {
          const { data, end } = packed;
          for (let i = packed.start; i < end; i += 2) board.visit(t, data[i]!, data[i + 1]!, p);
        } else {
          p.freqs.forEach((tf, docId) => {
            board.visit(t, docId, tf, p);
          });
        }
      } else if (p.freqs.size < touched.length) {
        p.freqs.forEach((tf, docId) => {
          if (board.wasTouched(docId)) board.add(t, docId, tf, p);
        });
      } else {
        for (const docId of touched) {
          const tf = p.freqs.get(docId);
          if (tf !== undefined) board.add(t, docId, tf, p);
        }
      }
    }
  });
}

/** What MiniSearch's search returns for one passage: its stored fields, score and matched terms. */
function resultOf(
  ms: PassageMiniSearch,
  board: ScoreBoard,
  terms: readonly QueryTerm[],
  docId: number,
): SearchResult {
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
    score: board.value(docId),
    terms: Object.keys(match),
    queryTerms,
    match,
  };
}

/**
 * Per-passage scores of one retrieval, in arrays by short id reused across calls (grown with
 * the index): the BM25 sum, the number of query terms matched, and the last term counted.
 */
class ScoreBoard {
  /** The BM25+ parameters MiniSearch's own search uses, so scores stay equal to its. */
  readonly bm25: BM25Params;
  /** Short ids of the passages scored in this call, in the order first seen. */
  touched: number[] = [];
  /** The best final score seen in this call. */
  maxSeen = 0;
  private scores = new Float64Array(0);
  private counts = new Uint16Array(0);
  private lastTerm = new Int32Array(0);
  // Candidates' final scores, copied out for a selection (reused across calls).
  private values = new Float64Array(0);
  // Field lengths by short id, copied out of MiniSearch's Map on first use (they never change:
  // a re-added passage gets a new short id). 0 = not looked up yet.
  private readonly lengths: Float64Array[] = [];
  private packedLengths: FieldLengths | undefined;
  private mayHoldDiscarded = false;

  constructor(private readonly ms: PassageMiniSearch) {
    this.bm25 = ms.bm25;
  }

  /** Start a retrieval: arrays sized to the index, nothing touched yet. */
  reset(): void {
    const ms = this.ms;
    if (ms._nextId > this.scores.length) {
      const size = Math.max(ms._nextId, this.scores.length * 2, 1024);
      this.scores = new Float64Array(size);
      this.counts = new Uint16Array(size);
      this.lastTerm = new Int32Array(size);
      for (const [, fieldId] of Object.entries(ms._fieldIds)) {
        const grown = new Float64Array(size);
        if (this.lengths[fieldId]) grown.set(this.lengths[fieldId]!);
        this.lengths[fieldId] = grown;
      }
    }
    this.lastTerm.fill(-1, 0, ms._nextId);
    this.touched = [];
    this.maxSeen = 0;
    this.packedLengths = ms._fieldLength instanceof FieldLengths ? ms._fieldLength : undefined;
    // Postings of discarded passages linger until a vacuum; with none discarded since, skip the
    // lookup per candidate. (Not `> 0`: a vacuum that ends after a compaction leaves it negative.)
    this.mayHoldDiscarded = ms._dirtCount !== 0;
  }

  /** A posting of term `t` while every passage may still enter the top: first sight counts it in. */
  visit(t: number, docId: number, tf: number, p: FieldPostings): void {
    if (this.lastTerm[docId] === -1) {
      if (this.mayHoldDiscarded && !this.ms._documentIds.has(docId)) return;
      this.scores[docId] = 0;
      this.counts[docId] = 0;
      this.lastTerm[docId] = -2;
      this.touched.push(docId);
    }
    this.add(t, docId, tf, p);
  }

  /** True when some term already scored this passage in this call. */
  wasTouched(docId: number): boolean {
    return this.lastTerm[docId] !== -1;
  }

  /** Add one posting's BM25+ contribution to a touched passage. */
  add(t: number, docId: number, tf: number, p: FieldPostings): void {
    const { k: K, b: B, d: D } = this.bm25;
    const { scores, counts, lastTerm } = this;
    const fieldLengths = this.lengths[p.fieldId]!;
    let length = fieldLengths[docId]!;
    if (length === 0) {
      length = this.packedLengths
        ? this.packedLengths.lengthOf(docId, p.fieldId)
        : (this.ms._fieldLength.get(docId)?.[p.fieldId] ?? 0);
      fieldLengths[docId] = length;
    }
    scores[docId]! += p.weight * p.idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * length) / p.avg)));
    if (lastTerm[docId] !== t) {
      lastTerm[docId] = t;
      counts[docId]!++;
    }
    const value = scores[docId]! * counts[docId]!;
    if (value > this.maxSeen) this.maxSeen = value;
  }

  /** A passage's final score: the BM25 sum times the number of query terms matched. */
  value(docId: number): number {
    return this.scores[docId]! * this.counts[docId]!;
  }

  private valuesOf(docs: readonly number[]): Float64Array {
    if (this.values.length < docs.length)
      this.values = new Float64Array(Math.max(docs.length, this.values.length * 2));
    for (let i = 0; i < docs.length; i++) this.values[i] = this.value(docs[i]!);
    return this.values;
  }

  /** The limit-th best score seen so far (scores only grow, so it bounds the final limit-th best). */
  kthBest(limit: number): number {
    const docs = this.touched;
    if (docs.length < limit || limit <= 0) return 0;
    return kthLargest(this.valuesOf(docs), docs.length, limit);
  }

  /**
   * The `limit` best passages, best first. Equal scores keep index order (lower short id first),
   * as MiniSearch's stable sort does. A selection, then a sort of only the few kept.
   */
  topK(limit: number): number[] {
    const docs = this.touched;
    if (limit <= 0) return [];
    const value = (d: number) => this.value(d);
    const byRank = (a: number, b: number) => value(b) - value(a) || a - b;
    if (docs.length <= limit) return [...docs].sort(byRank);
    const threshold = kthLargest(this.valuesOf(docs), docs.length, limit);
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
