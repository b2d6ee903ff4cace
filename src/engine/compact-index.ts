import MiniSearch from 'minisearch';
import type SearchableMap from 'minisearch/SearchableMap';
import { INDEX_OPTIONS, type IndexedPassage } from './index-options.ts';

/** The MiniSearch 7 internals a compact snapshot saves and restores (not its public API). */
interface Internals {
  _index: SearchableMap<Map<number, Map<number, number>>>;
  _documentCount: number;
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _nextId: number;
  _dirtCount: number;
}

/** The compact form: flat number arrays instead of MiniSearch's nested objects keyed by strings. */
interface CompactIndex {
  format: 'peacedesk-compact-minisearch-2';
  fieldIds: Record<string, number>;
  documentCount: number;
  nextId: number;
  dirtCount: number;
  averageFieldLength: number[];
  shortIds: number[];
  ids: string[];
  /** Field lengths, one per field for each of `shortIds`. */
  fieldLength: number[];
  terms: string[];
  /** Length of each term's row in `postings`. */
  rowLengths: number[];
  /**
   * Base64 of one Int32Array (little-endian) holding every term's row in turn: `fieldId, n, then
   * n pairs of shortId, term frequency`, repeated per field. Binary, so loading it creates no
   * JavaScript number per posting (JSON arrays of millions of numbers took seconds and GC).
   */
  postings: string;
}

/**
 * Serialise a MiniSearch index compactly. `JSON.stringify(miniSearch)` writes every posting as
 * an object key; at 10k articles that file takes seconds and over a gigabyte of transient memory
 * to load. This form holds the same data as flat arrays and restores in a fraction of that.
 */
export function serializeIndex(index: MiniSearch<IndexedPassage>): string {
  const ms = index as unknown as Internals;
  const shortIds: number[] = [];
  const ids: string[] = [];
  const fieldLength: number[] = [];
  const fieldCount = Object.keys(ms._fieldIds).length;
  for (const [shortId, id] of ms._documentIds) {
    shortIds.push(shortId);
    ids.push(id);
    const lengths = ms._fieldLength.get(shortId) ?? [];
    for (let f = 0; f < fieldCount; f++) fieldLength.push(lengths[f] ?? 0);
  }
  const terms: string[] = [];
  const rowLengths: number[] = [];
  const flat: number[] = [];
  for (const [term, fields] of ms._index) {
    const row: number[] = [];
    for (const [fieldId, freqs] of fields) {
      const live = [...freqs].filter(([shortId]) => ms._documentIds.has(shortId));
      if (live.length === 0) continue;
      row.push(fieldId, live.length);
      for (const [shortId, tf] of live) row.push(shortId, tf);
    }
    if (row.length === 0) continue;
    terms.push(term);
    rowLengths.push(row.length);
    for (const x of row) flat.push(x);
  }
  const compact: CompactIndex = {
    format: 'peacedesk-compact-minisearch-2',
    fieldIds: ms._fieldIds,
    documentCount: ms._documentCount,
    nextId: ms._nextId,
    dirtCount: 0,
    averageFieldLength: ms._avgFieldLength,
    shortIds,
    ids,
    fieldLength,
    terms,
    rowLengths,
    postings: toBase64(Int32Array.from(flat)),
  };
  return JSON.stringify(compact);
}

/** Restore an index written by {@link serializeIndex}, with {@link INDEX_OPTIONS}. Throws on a malformed one. */
export function restoreIndex(json: string): MiniSearch<IndexedPassage> {
  const compact = JSON.parse(json) as CompactIndex;
  if (compact.format !== 'peacedesk-compact-minisearch-2') throw new Error('CompactIndex: unknown format');
  const index = new MiniSearch<IndexedPassage>(INDEX_OPTIONS);
  const ms = index as unknown as Internals;
  if (JSON.stringify(ms._fieldIds) !== JSON.stringify(compact.fieldIds))
    throw new Error('CompactIndex: saved with different fields');
  const fieldCount = Object.keys(ms._fieldIds).length;
  if (
    compact.ids.length !== compact.shortIds.length ||
    compact.fieldLength.length !== fieldCount * compact.ids.length
  )
    throw new Error('CompactIndex: document tables do not line up');
  for (let i = 0; i < compact.shortIds.length; i++) {
    const shortId = compact.shortIds[i]!;
    const id = compact.ids[i]!;
    ms._documentIds.set(shortId, id);
    ms._idToShortId.set(id, shortId);
    ms._fieldLength.set(shortId, compact.fieldLength.slice(i * fieldCount, (i + 1) * fieldCount));
  }
  const data = fromBase64(compact.postings);
  if (compact.rowLengths.length !== compact.terms.length)
    throw new Error('CompactIndex: postings do not line up');
  let at = 0;
  compact.terms.forEach((term, t) => {
    const end = at + compact.rowLengths[t]!;
    if (end > data.length) throw new Error('CompactIndex: postings cut short');
    const fields = new Map<number, Map<number, number>>();
    while (at < end) {
      const fieldId = data[at]!;
      const n = data[at + 1]!;
      if (at + 2 + 2 * n > end) throw new Error('CompactIndex: postings do not line up');
      fields.set(fieldId, new PackedPostings(data, at + 2, n) as unknown as Map<number, number>);
      at += 2 + 2 * n;
    }
    ms._index.set(term, fields);
  });
  ms._documentCount = compact.documentCount;
  ms._nextId = compact.nextId;
  ms._dirtCount = compact.dirtCount;
  ms._avgFieldLength = compact.averageFieldLength;
  return index;
}

/**
 * One term's postings in one field, restored from a snapshot: two typed arrays instead of a Map
 * entry per posting (a Map costs ~40 bytes an entry; at 10k articles that was most of the RSS).
 * It answers the Map methods MiniSearch and the retriever use; the first write (an upsert or
 * vacuum touching this term) turns it into a real Map, so mutation semantics stay MiniSearch's.
 */
export class PackedPostings {
  private map: Map<number, number> | undefined;
  private readonly ordered: boolean;
  /**
   * @param data shared array of `shortId, term frequency` pairs
   * @param start index in `data` of the first pair
   * @param n number of pairs
   */
  constructor(
    private data: Int32Array,
    private start: number,
    private n: number,
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
    return this.map ? this.map.size : this.n;
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
  get(id: number): number | undefined {
    if (this.map) return this.map.get(id);
    const i = this.find(id);
    return i < 0 ? undefined : this.data[this.start + 2 * i + 1];
  }
  has(id: number): boolean {
    return this.map ? this.map.has(id) : this.find(id) >= 0;
  }
  forEach(fn: (tf: number, id: number, map: unknown) => void): void {
    if (this.map) {
      this.map.forEach(fn);
      return;
    }
    const { data, start } = this;
    const end = start + 2 * this.n;
    for (let i = start; i < end; i += 2) fn(data[i + 1]!, data[i]!, this);
  }
  *entries(): IterableIterator<[number, number]> {
    if (this.map) return yield* this.map.entries();
    for (let i = 0; i < this.n; i++)
      yield [this.data[this.start + 2 * i]!, this.data[this.start + 2 * i + 1]!];
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
  private writable(): Map<number, number> {
    if (!this.map) {
      this.map = new Map(this.entries());
      this.data = new Int32Array(0);
      this.start = 0;
      this.n = 0;
    }
    return this.map;
  }
  set(id: number, tf: number): this {
    this.writable().set(id, tf);
    return this;
  }
  delete(id: number): boolean {
    return this.writable().delete(id);
  }
  clear(): void {
    this.writable().clear();
  }
}

function toBase64(values: Int32Array): string {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (bigEndian) bytes.swap32();
  return bytes.toString('base64');
}

function fromBase64(text: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) throw new Error('CompactIndex: postings are not whole numbers');
  if (bigEndian) bytes.swap32();
  // Large buffers own their memory and are aligned; a small one may sit unaligned in a shared pool.
  if (bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const values = new Int32Array(bytes.length / 4);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

const bigEndian = new Uint8Array(Int32Array.of(1).buffer)[0] === 0;
