import MiniSearch, { type BM25Params } from 'minisearch';
import { INDEX_OPTIONS, type IndexedPassage } from './index-options.ts';

type Base = MiniSearch<IndexedPassage>;

/**
 * MiniSearch with its protected index state made visible, typed as MiniSearch declares it, to
 * this folder's packing, snapshot and retrieval code (`declare` only: no field is copied or
 * wrapped). A MiniSearch release that renames or retypes one of them fails the typecheck here.
 */
export class PassageMiniSearch extends MiniSearch<IndexedPassage> {
  declare public _index: Base['_index'];
  declare public _documentCount: number;
  declare public _documentIds: Map<number, string>;
  declare public _idToShortId: Map<string, number>;
  declare public _fieldIds: Record<string, number>;
  declare public _fieldLength: Map<number, number[]>;
  declare public _avgFieldLength: number[];
  declare public _nextId: number;
  declare public _dirtCount: number;
  declare public _storedFields: Map<number, Record<string, unknown>>;

  /** An empty index with {@link INDEX_OPTIONS}. */
  constructor() {
    super(INDEX_OPTIONS);
  }

  /** The BM25+ parameters MiniSearch's own search scores with (its defaults, merged in its constructor). */
  get bm25(): BM25Params {
    return this._options.searchOptions.bm25;
  }
}

type Internals = PassageMiniSearch;

/**
 * A MiniSearch index as flat arrays: what a snapshot stores, and what a restore reads back
 * without creating a JavaScript object per posting.
 */
export interface CompactIndex {
  fieldIds: Record<string, number>;
  documentCount: number;
  nextId: number;
  averageFieldLength: number[];
  /** Short ids of the indexed documents; `ids` holds their ids in the same order. */
  shortIds: Int32Array;
  ids: string[];
  /** Field lengths, one per field for each of `shortIds`. */
  fieldLength: Int32Array;
  terms: string[];
  /** Length of each term's row in `postings`. */
  rowLengths: Int32Array;
  /**
   * Every term's row in turn: `fieldId, n, then n pairs of shortId, term frequency`, repeated
   * per field. Only postings of documents still indexed are kept.
   */
  postings: Int32Array;
}

/** Every term's live postings packed into one array (rows as in {@link CompactIndex.postings}). */
function packPostings(ms: Internals): { terms: string[]; rowLengths: Int32Array; postings: Int32Array } {
  let total = 0;
  let rows = 0;
  for (const [, fields] of ms._index) {
    rows++;
    for (const [, freqs] of fields) total += 2 + 2 * freqs.size;
  }
  const postings = new Int32Array(total);
  const rowLengths = new Int32Array(rows);
  const terms: string[] = [];
  let at = 0;
  for (const [term, fields] of ms._index) {
    const rowStart = at;
    for (const [fieldId, freqs] of fields) {
      const head = at;
      at += 2;
      // forEach, not entries(): no array per posting.
      freqs.forEach((tf, shortId) => {
        if (!ms._documentIds.has(shortId)) return; // discarded, not vacuumed yet
        postings[at++] = shortId;
        postings[at++] = tf;
      });
      const n = (at - head - 2) / 2;
      if (n === 0) at = head;
      else {
        postings[head] = fieldId;
        postings[head + 1] = n;
      }
    }
    if (at === rowStart) continue;
    rowLengths[terms.length] = at - rowStart;
    terms.push(term);
  }
  return { terms, rowLengths: rowLengths.slice(0, terms.length), postings: postings.slice(0, at) };
}

/**
 * The compact form of a MiniSearch index. `JSON.stringify(miniSearch)` writes every posting as
 * an object key; at 10k articles that takes seconds and over a gigabyte of transient memory to
 * load. This holds the same data as flat arrays, which a snapshot stores as binary.
 */
export function serializeIndex(index: PassageMiniSearch): CompactIndex {
  const ms: Internals = index;
  const fieldCount = Object.keys(ms._fieldIds).length;
  const shortIds = new Int32Array(ms._documentIds.size);
  const ids: string[] = [];
  const fieldLength = new Int32Array(ms._documentIds.size * fieldCount);
  for (const [shortId, id] of ms._documentIds) {
    const lengths = ms._fieldLength.get(shortId) ?? [];
    for (let f = 0; f < fieldCount; f++) fieldLength[ids.length * fieldCount + f] = lengths[f] ?? 0;
    shortIds[ids.length] = shortId;
    ids.push(id);
  }
  return {
    fieldIds: { ...ms._fieldIds },
    documentCount: ms._documentCount,
    nextId: ms._nextId,
    averageFieldLength: [...ms._avgFieldLength],
    shortIds,
    ids,
    fieldLength,
    ...packPostings(ms),
  };
}

/**
 * Replace every posting list of a live index by {@link PackedPostings} over one shared array,
 * dropping postings of discarded documents. MiniSearch keeps a Map entry per posting (~40 bytes
 * each); packed, a posting takes 8. Searches and later updates behave exactly as before.
 */
export function compactIndex(index: PassageMiniSearch): void {
  const ms: Internals = index;
  const { terms, rowLengths, postings } = packPostings(ms);
  const live = new Set(terms);
  const dead: string[] = [];
  for (const [term] of ms._index) if (!live.has(term)) dead.push(term);
  for (const term of dead) ms._index.delete(term);
  attachPostings(ms, terms, rowLengths, postings);
  ms._dirtCount = 0;
  const fieldCount = Object.keys(ms._fieldIds).length;
  const shortIds = Int32Array.from(ms._fieldLength.keys());
  const lengths = new Int32Array(shortIds.length * fieldCount);
  shortIds.forEach((shortId, i) => {
    const row = ms._fieldLength.get(shortId)!;
    for (let f = 0; f < fieldCount; f++) lengths[i * fieldCount + f] = row[f] ?? 0;
  });
  ms._fieldLength = FieldLengths.from(fieldCount, shortIds, lengths);
}

/** Point each term of the tree at its packed rows, replacing what the tree held for it. */
function attachPostings(
  ms: Internals,
  terms: readonly string[],
  rowLengths: Int32Array,
  data: Int32Array,
  fresh = false,
) {
  if (rowLengths.length !== terms.length) throw new Error('CompactIndex: postings do not line up');
  let at = 0;
  terms.forEach((term, t) => {
    const end = at + rowLengths[t]!;
    if (end > data.length) throw new Error('CompactIndex: postings cut short');
    // A restore fills an empty tree: no lookup before each insert.
    let fields = fresh ? undefined : ms._index.get(term);
    if (fields) fields.clear();
    else {
      fields = new Map();
      ms._index.set(term, fields);
    }
    while (at < end) {
      const fieldId = data[at]!;
      const n = data[at + 1]!;
      if (n < 0 || at + 2 + 2 * n > end) throw new Error('CompactIndex: postings do not line up');
      fields.set(fieldId, new PackedPostings(data, at + 2, n));
      at += 2 + 2 * n;
    }
  });
  if (at !== data.length) throw new Error('CompactIndex: postings do not line up');
}

/** Restore an index from {@link serializeIndex}'s form, with {@link INDEX_OPTIONS}. Throws on a malformed one. */
export function restoreIndex(compact: CompactIndex): PassageMiniSearch {
  const index = new PassageMiniSearch();
  const ms: Internals = index;
  if (JSON.stringify(ms._fieldIds) !== JSON.stringify(compact.fieldIds))
    throw new Error('CompactIndex: saved with different fields');
  const fieldCount = Object.keys(ms._fieldIds).length;
  const documents = compact.ids.length;
  if (compact.shortIds.length !== documents || compact.fieldLength.length !== fieldCount * documents)
    throw new Error('CompactIndex: document tables do not line up');
  // Short ids size the retriever's and the field lengths' arrays: never trust one past nextId.
  if (compact.shortIds.some((shortId) => shortId < 0 || shortId >= compact.nextId))
    throw new Error('CompactIndex: a short id lies outside the index');
  for (let i = 0; i < documents; i++) {
    const shortId = compact.shortIds[i]!;
    const id = compact.ids[i]!;
    ms._documentIds.set(shortId, id);
    ms._idToShortId.set(id, shortId);
  }
  ms._fieldLength = FieldLengths.from(fieldCount, compact.shortIds, compact.fieldLength);
  attachPostings(ms, compact.terms, compact.rowLengths, compact.postings, true);
  ms._documentCount = compact.documentCount;
  ms._nextId = compact.nextId;
  ms._dirtCount = 0;
  ms._avgFieldLength = [...compact.averageFieldLength];
  return index;
}

/**
 * One term's postings in one field, packed: pairs in a shared typed array instead of a Map
 * entry per posting (a Map costs ~40 bytes an entry; at 10k articles that was most of the
 * RSS). It answers the Map methods MiniSearch and the retriever use. Writes (an upsert or a
 * vacuum touching this term) go to a small overlay, so adding one article does not copy the
 * long lists of common terms into Maps; the next compaction folds the overlay back in.
 */
export class PackedPostings implements Map<number, number> {
  /** Postings written since packing (they override packed ones). */
  private added: Map<number, number> | undefined;
  /** Packed postings deleted or overridden since packing. */
  private hidden: Set<number> | undefined;
  private readonly ordered: boolean;
  /**
   * @param data shared array of `shortId, term frequency` pairs
   * @param start index in `data` of the first pair
   * @param n number of pairs
   */
  constructor(
    private readonly data: Int32Array,
    private readonly start: number,
    private readonly n: number,
  ) {
    let ordered = true;
    for (let i = 1; i < n && ordered; i++) ordered = data[start + 2 * (i - 1)]! < data[start + 2 * i]!;
    this.ordered = ordered;
  }
  /** Postings from parallel arrays of short ids and term frequencies. */
  static of(ids: ArrayLike<number>, tfs: ArrayLike<number>): PackedPostings {
    const data = new Int32Array(ids.length * 2);
    for (let i = 0; i < ids.length; i++) {
      data[2 * i] = ids[i]!;
      data[2 * i + 1] = tfs[i]!;
    }
    return new PackedPostings(data, 0, ids.length);
  }
  get size(): number {
    return this.n - (this.hidden?.size ?? 0) + (this.added?.size ?? 0);
  }
  // A getter, not a field: one of these exists per term and field.
  get [Symbol.toStringTag](): string {
    return 'PackedPostings';
  }
  /** The packed pairs, for a tight loop; undefined once written to (then use forEach). */
  get packed(): { data: Int32Array; start: number; end: number } | undefined {
    return this.added || this.hidden
      ? undefined
      : { data: this.data, start: this.start, end: this.start + 2 * this.n };
  }
  /**
   * What a cursor over these postings reads: the packed pairs (sorted by short id when
   * `ordered`), the packed ids hidden since, and the postings written since (unsorted).
   */
  get parts(): {
    data: Int32Array;
    start: number;
    end: number;
    ordered: boolean;
    hidden: ReadonlySet<number> | undefined;
    added: ReadonlyMap<number, number> | undefined;
  } {
    const { data, start, ordered, hidden, added } = this;
    return { data, start, end: start + 2 * this.n, ordered, hidden, added };
  }
  private find(id: number): number {
    const { data, start } = this;
    if (!this.ordered) {
      for (let i = 0; i < this.n; i++) if (data[start + 2 * i] === id) return i;
      return -1;
    }
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = data[start + 2 * mid]!;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  private packedGet(id: number): number | undefined {
    if (this.hidden?.has(id)) return undefined;
    const i = this.find(id);
    return i < 0 ? undefined : this.data[this.start + 2 * i + 1];
  }
  get(id: number): number | undefined {
    return this.added?.get(id) ?? this.packedGet(id);
  }
  has(id: number): boolean {
    return this.get(id) !== undefined;
  }
  forEach(fn: (tf: number, id: number, map: Map<number, number>) => void): void {
    const { data, start, hidden } = this;
    const end = start + 2 * this.n;
    for (let i = start; i < end; i += 2) if (!hidden?.has(data[i]!)) fn(data[i + 1]!, data[i]!, this);
    this.added?.forEach((tf, id) => {
      fn(tf, id, this);
    });
  }
  *entries(): IterableIterator<[number, number]> {
    const { data, start } = this;
    for (let i = 0; i < this.n; i++) {
      const id = data[start + 2 * i]!;
      if (!this.hidden?.has(id)) yield [id, data[start + 2 * i + 1]!];
    }
    if (this.added) yield* this.added.entries();
  }
  *keys(): IterableIterator<number> {
    for (const [id] of this.entries()) yield id;
  }
  *values(): IterableIterator<number> {
    for (const [, tf] of this.entries()) yield tf;
  }
  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
  set(id: number, tf: number): this {
    if (this.packedGet(id) !== undefined) this.hide(id);
    if (!this.added) this.added = new Map();
    this.added.set(id, tf);
    return this;
  }
  delete(id: number): boolean {
    if (this.added?.delete(id)) return true;
    if (this.packedGet(id) === undefined) return false;
    this.hide(id);
    return true;
  }
  private hide(id: number): void {
    if (!this.hidden) this.hidden = new Set();
    this.hidden.add(id);
  }
  clear(): void {
    this.added = undefined;
    this.hidden = new Set();
    for (let i = 0; i < this.n; i++) this.hidden.add(this.data[this.start + 2 * i]!);
  }
}

/**
 * MiniSearch's field lengths per document (a Map of short id to a small array) over one typed
 * array indexed by short id: at 10k articles, 167k arrays and Map entries fewer. Documents added
 * later go to an ordinary Map; it answers the Map methods MiniSearch and the retriever use.
 */
export class FieldLengths implements Map<number, number[]> {
  private readonly later = new Map<number, number[]>();
  private packedCount: number;

  private constructor(
    private readonly fieldCount: number,
    /** `fieldCount` lengths per short id; only meaningful where `present` is 1. */
    private readonly lengths: Int32Array,
    private readonly present: Uint8Array,
  ) {
    this.packedCount = present.reduce((n, p) => n + p, 0);
  }

  /** A table of `lengths` (`fieldCount` per document) for the documents `shortIds`. */
  static from(fieldCount: number, shortIds: Int32Array, lengths: Int32Array): FieldLengths {
    const size = shortIds.reduce((max, id) => Math.max(max, id + 1), 0);
    const table = new Int32Array(size * fieldCount);
    const present = new Uint8Array(size);
    // A plain loop, not a subarray per document: at 100k articles that was 1.7M objects.
    for (let i = 0; i < shortIds.length; i++) {
      const shortId = shortIds[i]!;
      if (shortId < 0) throw new Error('CompactIndex: negative short id');
      for (let f = 0; f < fieldCount; f++) table[shortId * fieldCount + f] = lengths[i * fieldCount + f]!;
      present[shortId] = 1;
    }
    return new FieldLengths(fieldCount, table, present);
  }

  get size(): number {
    return this.packedCount + this.later.size;
  }
  get [Symbol.toStringTag](): string {
    return 'FieldLengths';
  }
  has(id: number): boolean {
    return this.later.has(id) || this.present[id] === 1;
  }
  /** The packed table: `fieldCount` lengths per short id, valid where `present` is 1. */
  get packed(): { lengths: Int32Array; present: Uint8Array; fieldCount: number } {
    return { lengths: this.lengths, present: this.present, fieldCount: this.fieldCount };
  }
  /** One field's length of one document (0 when unknown), without an array per call. */
  lengthOf(id: number, fieldId: number): number {
    if (this.present[id] === 1) return this.lengths[id * this.fieldCount + fieldId]!;
    return this.later.get(id)?.[fieldId] ?? 0;
  }
  get(id: number): number[] | undefined {
    const later = this.later.get(id);
    if (later || this.present[id] !== 1) return later;
    return Array.from(this.lengths.subarray(id * this.fieldCount, (id + 1) * this.fieldCount));
  }
  set(id: number, lengths: number[]): this {
    this.dropPacked(id);
    this.later.set(id, lengths);
    return this;
  }
  delete(id: number): boolean {
    return this.dropPacked(id) || this.later.delete(id);
  }
  clear(): void {
    this.present.fill(0);
    this.packedCount = 0;
    this.later.clear();
  }
  *entries(): IterableIterator<[number, number[]]> {
    for (let id = 0; id < this.present.length; id++) if (this.present[id] === 1) yield [id, this.get(id)!];
    yield* this.later.entries();
  }
  *keys(): IterableIterator<number> {
    for (const [id] of this.entries()) yield id;
  }
  *values(): IterableIterator<number[]> {
    for (const [, lengths] of this.entries()) yield lengths;
  }
  forEach(fn: (lengths: number[], id: number, map: Map<number, number[]>) => void): void {
    for (const [id, lengths] of this.entries()) fn(lengths, id, this);
  }
  [Symbol.iterator](): IterableIterator<[number, number[]]> {
    return this.entries();
  }
  private dropPacked(id: number): boolean {
    if (this.present[id] !== 1) return false;
    this.present[id] = 0;
    this.packedCount--;
    return true;
  }
}
