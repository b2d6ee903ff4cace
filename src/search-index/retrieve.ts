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

/** Postings per block: the unit whose best possible score lets a cursor step over it. */
const BLOCK = 64;
/** Int32 slots a block spans (a posting is a `shortId, tf` pair). */
const BLOCK_SPAN = 2 * BLOCK;

/** The highest term frequency and the shortest field in each block of a list: what bounds its scores. */
interface BlockMaxima {
  maxTf: Int32Array;
  minLength: Int32Array;
}

/**
 * A run of one term's postings in one field, sorted by short id, read by a cursor: a packed
 * list (skipping what was hidden since it was packed), or the postings written since, sorted.
 */
interface Run {
  p: FieldPostings;
  data: Int32Array;
  start: number;
  end: number;
  /** The cursor: index in `data` of the current pair. */
  pos: number;
  hidden: ReadonlySet<number> | undefined;
  /** The most one posting in each block can add to a passage's BM25 sum. */
  blockBound: Float64Array;
  /** The most one posting of the run can add. */
  bound: number;
  /** The most every other term and field of the query can add together. */
  others: number;
  /** The query term's index in the query's order (biggest bound first). */
  term: number;
}

/** A query term that has postings, and the most it can add to one passage's score. */
interface QueryTerm {
  term: string;
  postings: FieldPostings[];
  runs: Run[];
  upperBound: number;
}

type LengthOf = (docId: number, fieldId: number) => number;

/**
 * Top-k BM25 retrieval over a MiniSearch index, scoring exactly as `MiniSearch.search` does with
 * `combineWith: 'OR'` (BM25+ per field, field boosts, term boosts, the score multiplied by the
 * number of query terms matched), but without its per-posting allocations and full sort.
 *
 * Passages are scored in short-id order, window by window of `window` short ids (see
 * {@link scorePassages}), with MaxScore pruning and block maxima: common terms, whose lists are
 * the long ones, are read in tight loops and partly stepped over.
 */
export function createRetriever(
  miniSearch: PassageMiniSearch,
  fieldBoosts: Record<string, number>,
  window: number = WINDOW,
): (terms: readonly WeightedTerm[], limit: number) => SearchResult[] {
  const ms = miniSearch;
  const fields = Object.entries(fieldBoosts);
  // Block maxima of a packed list never change (a write hides or adds, and hiding only lowers
  // the true maxima); a packing makes new lists. So they are computed once per list.
  const maxima = new WeakMap<PackedPostings, BlockMaxima>();
  return (weighted, limit) => {
    if (limit <= 0) return [];
    const lengths = ms._fieldLength;
    const lengthOf: LengthOf =
      lengths instanceof FieldLengths
        ? (docId, fieldId) => lengths.lengthOf(docId, fieldId)
        : (docId, fieldId) => lengths.get(docId)?.[fieldId] ?? 0;
    const terms = queryTermsOf(ms, weighted, fields, lengthOf, maxima);
    const { docIds, values } = scorePassages(ms, terms, limit, lengthOf, window);
    return docIds.map((docId, i) => resultOf(ms, terms, docId, values[i]!));
  };
}

/** The asked terms that have postings, each field weighted and with its idf, biggest possible contribution first. */
function queryTermsOf(
  ms: PassageMiniSearch,
  weighted: readonly WeightedTerm[],
  fields: ReadonlyArray<[string, number]>,
  lengthOf: LengthOf,
  maxima: WeakMap<PackedPostings, BlockMaxima>,
): QueryTerm[] {
  const n = ms._documentCount;
  const bm25 = ms.bm25;
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
      // A passage is in at most one run of a field (a posting written since packing hides the
      // packed one), so a field adds at most its best run's bound.
      const byField = postings.map((p) => runsOf(p, bm25, lengthOf, maxima));
      const fieldBounds = byField.map((fieldRuns) => Math.max(0, ...fieldRuns.map((r) => r.bound)));
      byField.forEach((fieldRuns, f) => {
        for (const run of fieldRuns) run.others = -fieldBounds[f]!;
      });
      const upperBound = fieldBounds.reduce((sum, b) => sum + b, 0);
      return { term, postings, runs: byField.flat(), upperBound };
    })
    .filter((t): t is QueryTerm => t !== undefined && t.runs.length > 0)
    .sort((a, b) => b.upperBound - a.upperBound);
  // Each run's `others` held minus its field's bound until the query's total was known.
  const total = terms.reduce((sum, t) => sum + t.upperBound, 0);
  terms.forEach((t, i) => {
    for (const run of t.runs) {
      run.term = i;
      run.others += total;
    }
  });
  return terms;
}

/** The sorted runs that hold one field's postings of a term. */
function runsOf(
  p: FieldPostings,
  bm25: BM25Params,
  lengthOf: LengthOf,
  maxima: WeakMap<PackedPostings, BlockMaxima>,
): Run[] {
  const { freqs } = p;
  if (freqs instanceof PackedPostings) {
    const parts = freqs.parts;
    if (parts.ordered) {
      let blocks = maxima.get(freqs);
      if (!blocks) {
        blocks = blockMaximaOf(parts.data, parts.start, parts.end, p.fieldId, lengthOf);
        maxima.set(freqs, blocks);
      }
      const runs = [runOf(p, parts.data, parts.start, parts.end, parts.hidden, blocks, bm25)];
      if (parts.added?.size) runs.push(sortedRunOf(p, parts.added, bm25, lengthOf));
      return runs;
    }
  }
  return [sortedRunOf(p, freqs, bm25, lengthOf)];
}

/** A run over postings held in a Map (or not in id order): copied out and sorted by short id. */
function sortedRunOf(
  p: FieldPostings,
  postings: ReadonlyMap<number, number>,
  bm25: BM25Params,
  lengthOf: LengthOf,
): Run {
  const pairs: Array<[number, number]> = [];
  postings.forEach((tf, docId) => {
    pairs.push([docId, tf]);
  });
  pairs.sort((a, b) => a[0] - b[0]);
  const data = new Int32Array(2 * pairs.length);
  pairs.forEach(([docId, tf], i) => {
    data[2 * i] = docId;
    data[2 * i + 1] = tf;
  });
  const blocks = blockMaximaOf(data, 0, data.length, p.fieldId, lengthOf);
  return runOf(p, data, 0, data.length, undefined, blocks, bm25);
}

function blockMaximaOf(
  data: Int32Array,
  start: number,
  end: number,
  fieldId: number,
  lengthOf: LengthOf,
): BlockMaxima {
  const count = Math.ceil((end - start) / BLOCK_SPAN);
  const maxTf = new Int32Array(count);
  const minLength = new Int32Array(count).fill(0x7fffffff);
  for (let i = start; i < end; i += 2) {
    const b = ((i - start) / BLOCK_SPAN) | 0;
    if (data[i + 1]! > maxTf[b]!) maxTf[b] = data[i + 1]!;
    const length = lengthOf(data[i]!, fieldId);
    if (length < minLength[b]!) minLength[b] = length;
  }
  return { maxTf, minLength };
}

function runOf(
  p: FieldPostings,
  data: Int32Array,
  start: number,
  end: number,
  hidden: ReadonlySet<number> | undefined,
  blocks: BlockMaxima,
  { k: K, b: B, d: D }: BM25Params,
): Run {
  // BM25+ grows with the term frequency and shrinks with the field's length, so a block's most
  // frequent and shortest bound every posting in it.
  const blockBound = new Float64Array(blocks.maxTf.length);
  let bound = 0;
  for (let i = 0; i < blockBound.length; i++) {
    const tf = blocks.maxTf[i]!;
    const length = blocks.minLength[i]!;
    blockBound[i] = p.weight * p.idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * length) / p.avg)));
    if (blockBound[i]! > bound) bound = blockBound[i]!;
  }
  return { p, data, start, end, pos: start, hidden, blockBound, bound, others: 0, term: 0 };
}

/** Move a run's cursor past postings hidden since packing. */
function skipHidden(run: Run): void {
  const { hidden, data, end } = run;
  if (!hidden) return;
  while (run.pos < end && hidden.has(data[run.pos]!)) run.pos += 2;
}

/** Move a run's cursor to its first posting at or after `target` (galloping, then halving). */
function seek(run: Run, target: number): void {
  const { data, start } = run;
  const n = (run.end - start) >> 1;
  let lo = (run.pos - start) >> 1;
  if (lo < n && data[run.pos]! < target) {
    let step = 1;
    let hi = lo + 1;
    while (hi < n && data[start + 2 * hi]! < target) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    if (hi > n) hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (data[start + 2 * mid]! < target) lo = mid;
      else hi = mid;
    }
    run.pos = start + 2 * hi;
  }
  skipHidden(run);
}

/**
 * Step a proposing run over whole blocks none of whose passages could beat `threshold`, even
 * holding every other query term at its best: a passage in such a block is either not in this
 * run (nothing lost) or cannot enter the top.
 */
function skipHopelessBlocks(run: Run, threshold: number, termCount: number): void {
  const { start, end, blockBound, others } = run;
  while (run.pos < end) {
    const b = ((run.pos - start) / BLOCK_SPAN) | 0;
    if ((others + blockBound[b]!) * termCount > threshold) return;
    run.pos = Math.min(end, start + (b + 1) * BLOCK_SPAN);
  }
}

/**
 * Short ids one window spans (see {@link scorePassages}). Passage at a time, a long pasted
 * sentence (20-40 terms, many common) cost a pass over every run for each passage its lists hold:
 * 250 ms at 1.7M sentences, 60 by windows; windows were faster for short questions too. 1,024
 * measured alike, 16,384 slower.
 */
const WINDOW = 4096;

/**
 * The `limit` best passages (short ids and final scores), best first; equal scores keep index
 * order (lower short id first), as MiniSearch's stable sort does. Scored window by window of
 * `window` short ids, each read run by run in query order: a tight loop per run adds its postings'
 * contributions (BM25+, as MiniSearch computes it) into the window's slots, so a passage's sum
 * always adds its terms in `terms`' order and does not depend on where the pruning stopped.
 * MaxScore: once the best `limit` are known, the terms that together cannot lift a passage above
 * the `limit`-th best stop opening slots (they only add to open ones), a slot is dropped once what
 * is left cannot lift it, and a block of 64 postings whose best cannot is stepped over. The
 * window's passages then go to the top in short-id order. Pruning only ever uses a threshold
 * already reached, so it drops only passages that cannot enter the top.
 */
function scorePassages(
  ms: PassageMiniSearch,
  terms: readonly QueryTerm[],
  limit: number,
  lengthOf: LengthOf,
  window: number,
): { docIds: number[]; values: number[] } {
  const { k: K, b: B, d: D } = ms.bm25;
  // As written in MiniSearch's BM25+ (the same values, worked out once).
  const K1 = K + 1;
  const oneMinusB = 1 - B;
  const termCount = terms.length;
  const smallest = new Float64Array(termCount + 1);
  for (let j = 1; j <= termCount; j++) smallest[j] = smallest[j - 1]! + terms[termCount - j]!.upperBound;
  const top = new WorstFirstHeap(limit);
  const mayHoldDiscarded = ms._dirtCount !== 0;
  let threshold = Number.NEGATIVE_INFINITY;
  let proposing = termCount;
  const runs = terms.flatMap((t) => t.runs);
  let proposers = runs.length;
  const under = new Int32Array(runs.length);
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    skipHidden(run);
    under[i] = run.pos < run.end ? run.data[run.pos]! : END;
  }
  // The window's slots: the passage's BM25 sum so far, the terms it matched, the last term
  // counted (a term's fields are consecutive runs; -1: untouched), whether it was found hopeless;
  // and which slots were touched.
  const sums = new Float64Array(window);
  const counts = new Int32Array(window);
  const lastTerm = new Int32Array(window).fill(-1);
  const hopeless = new Uint8Array(window);
  const touched = new Int32Array(window);
  // Field lengths read straight from the packed table in the loop below (others through `lengthOf`).
  const packedLengths = ms._fieldLength instanceof FieldLengths ? ms._fieldLength.packed : NO_PACKED_LENGTHS;
  const { lengths: lengthTable, present, fieldCount } = packedLengths;
  for (;;) {
    let base = END;
    for (let i = 0; i < proposers; i++) if (under[i]! < base) base = under[i]!;
    if (base === END) break;
    const windowEnd = base + window;
    // The terms proposing for this window; the threshold as it stood when it began.
    const windowProposers = proposers;
    const windowThreshold = top.full ? threshold : Number.NEGATIVE_INFINITY;
    let touchedCount = 0;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      const proposes = i < windowProposers;
      if (proposes ? under[i]! >= windowEnd : touchedCount === 0) continue;
      if (!proposes) seek(run, base);
      const { data, end, hidden, start, p } = run;
      const term = run.term;
      const fieldId = p.fieldId;
      const scale = p.weight * p.idf;
      const avg = p.avg;
      // What the terms from this one on can add at most, and how many they are.
      const rest = termCount - term;
      const restBound = smallest[rest]!;
      // Blocks whose best cannot beat the threshold even with every other term at its best.
      const skipping = top.full && run.others * termCount <= windowThreshold;
      let pos = run.pos;
      // Where the next check for a hopeless block falls (never, when none can be).
      let checkAt = skipping ? pos : end;
      while (pos < end) {
        if (pos >= checkAt) {
          run.pos = pos;
          skipHopelessBlocks(run, windowThreshold, termCount);
          pos = run.pos;
          if (pos >= end) break;
          checkAt = start + (((pos - start) / BLOCK_SPAN) | 0) * BLOCK_SPAN + BLOCK_SPAN;
        }
        const docId = data[pos]!;
        if (docId >= windowEnd) break;
        const tf = data[pos + 1]!;
        pos += 2;
        if (hidden?.has(docId)) continue;
        const slot = docId - base;
        const seen = lastTerm[slot]!;
        if (seen !== term) {
          if (seen === -1) {
            // A term that does not propose only adds to passages proposed.
            if (!proposes) continue;
            touched[touchedCount++] = slot;
          } else {
            if (hopeless[slot] === 1) continue;
            // Dropped once what is left cannot lift it past the threshold the window began with.
            if ((sums[slot]! + restBound) * (counts[slot]! + rest) <= windowThreshold) {
              hopeless[slot] = 1;
              continue;
            }
          }
          lastTerm[slot] = term;
          counts[slot]!++;
        }
        const length =
          present[docId] === 1 ? lengthTable[docId * fieldCount + fieldId]! : lengthOf(docId, fieldId);
        sums[slot]! += scale * (D + (tf * K1) / (tf + K * (oneMinusB + (B * length) / avg)));
      }
      run.pos = pos;
      skipHidden(run);
      if (proposes) under[i] = run.pos < end ? data[run.pos]! : END;
    }
    // Few passages: sort the touched slots; many: read the window in order.
    const sparse = touchedCount * 16 < window;
    if (sparse) touched.subarray(0, touchedCount).sort();
    const slotsToRead = sparse ? touchedCount : window;
    for (let j = 0; j < slotsToRead; j++) {
      const slot = sparse ? touched[j]! : j;
      if (lastTerm[slot] === -1) continue;
      const value = sums[slot]! * counts[slot]!;
      const dropped = hopeless[slot] === 1;
      sums[slot] = 0;
      counts[slot] = 0;
      lastTerm[slot] = -1;
      hopeless[slot] = 0;
      const docId = base + slot;
      if (dropped || (mayHoldDiscarded && !ms._documentIds.has(docId))) continue;
      // Passages come in short-id order, so one that only ties the limit-th best ranks after it.
      if (top.full && value <= threshold) continue;
      top.offer(value, docId);
      if (!top.full) continue;
      threshold = top.worstValue;
      let silent = termCount - proposing;
      while (silent < termCount && smallest[silent + 1]! * (silent + 1) <= threshold) silent++;
      if (termCount - silent !== proposing) {
        proposing = termCount - silent;
        while (proposers > 0 && runs[proposers - 1]!.term >= proposing) proposers--;
      }
    }
  }
  return top.bestFirst();
}

const NO_PACKED_LENGTHS = { lengths: new Int32Array(0), present: new Uint8Array(0), fieldCount: 1 };

/** Past every short id: what a run read to its end is under. */
const END = 0x7fffffff;

/** What MiniSearch's search returns for one passage: its stored fields, score and matched terms. */
function resultOf(
  ms: PassageMiniSearch,
  terms: readonly QueryTerm[],
  docId: number,
  score: number,
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
    score,
    terms: Object.keys(match),
    queryTerms,
    match,
  };
}

/**
 * The best `capacity` passages seen, as a binary heap with the worst on top: the lowest score,
 * and among equal scores the higher short id (the later one in index order).
 */
class WorstFirstHeap {
  private readonly values: Float64Array;
  private readonly ids: Int32Array;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.values = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** The score of the worst passage kept (meaningful when full). */
  get worstValue(): number {
    return this.values[0]!;
  }

  /** Keep a passage: added while there is room, else in place of the worst (the caller checked it is better). */
  offer(value: number, id: number): void {
    if (!this.full) {
      let i = this.size++;
      this.values[i] = value;
      this.ids[i] = id;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    this.values[0] = value;
    this.ids[0] = id;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.size && this.worse(left, worst)) worst = left;
      if (right < this.size && this.worse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  /** The kept passages, best first (higher score, then lower short id). */
  bestFirst(): { docIds: number[]; values: number[] } {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) => this.values[b]! - this.values[a]! || this.ids[a]! - this.ids[b]!,
    );
    return { docIds: order.map((i) => this.ids[i]!), values: order.map((i) => this.values[i]!) };
  }

  private worse(a: number, b: number): boolean {
    const { values, ids } = this;
    return values[a]! < values[b]! || (values[a] === values[b] && ids[a]! > ids[b]!);
  }

  private swap(a: number, b: number): void {
    const { values, ids } = this;
    [values[a], values[b]] = [values[b]!, values[a]!];
    [ids[a], ids[b]] = [ids[b]!, ids[a]!];
  }
}
