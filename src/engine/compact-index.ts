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
  format: 'peacedesk-compact-minisearch-1';
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
  /** Per term: `fieldId, n, then n pairs of shortId, term frequency`, repeated per field. */
  postings: number[][];
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
  const postings: number[][] = [];
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
    postings.push(row);
  }
  const compact: CompactIndex = {
    format: 'peacedesk-compact-minisearch-1',
    fieldIds: ms._fieldIds,
    documentCount: ms._documentCount,
    nextId: ms._nextId,
    dirtCount: 0,
    averageFieldLength: ms._avgFieldLength,
    shortIds,
    ids,
    fieldLength,
    terms,
    postings,
  };
  return JSON.stringify(compact);
}

/** Restore an index written by {@link serializeIndex}, with {@link INDEX_OPTIONS}. Throws on a malformed one. */
export function restoreIndex(json: string): MiniSearch<IndexedPassage> {
  const compact = JSON.parse(json) as CompactIndex;
  if (compact.format !== 'peacedesk-compact-minisearch-1') throw new Error('CompactIndex: unknown format');
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
  compact.shortIds.forEach((shortId, i) => {
    const id = compact.ids[i]!;
    ms._documentIds.set(shortId, id);
    ms._idToShortId.set(id, shortId);
    ms._fieldLength.set(shortId, compact.fieldLength.slice(i * fieldCount, (i + 1) * fieldCount));
  });
  compact.terms.forEach((term, t) => {
    const row = compact.postings[t]!;
    const fields = new Map<number, Map<number, number>>();
    for (let i = 0; i < row.length; ) {
      const fieldId = row[i]!;
      const n = row[i + 1]!;
      const ids = new Int32Array(n);
      const tfs = new Int32Array(n);
      for (let j = 0; j < n; j++) {
        ids[j] = row[i + 2 + 2 * j]!;
        tfs[j] = row[i + 3 + 2 * j]!;
      }
      fields.set(fieldId, new PackedPostings(ids, tfs) as unknown as Map<number, number>);
      i += 2 + 2 * n;
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
  private ordered: boolean;
  constructor(
    private ids: Int32Array,
    private tfs: Int32Array,
  ) {
    this.ordered = ids.every((id, i) => i === 0 || ids[i - 1]! < id);
  }
  get size(): number {
    return this.map ? this.map.size : this.ids.length;
  }
  private find(id: number): number {
    if (!this.ordered) return this.ids.indexOf(id);
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.ids[mid]!;
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  get(id: number): number | undefined {
    if (this.map) return this.map.get(id);
    const i = this.find(id);
    return i < 0 ? undefined : this.tfs[i];
  }
  has(id: number): boolean {
    return this.map ? this.map.has(id) : this.find(id) >= 0;
  }
  forEach(fn: (tf: number, id: number, map: unknown) => void): void {
    if (this.map) {
      this.map.forEach(fn);
      return;
    }
    const { ids, tfs } = this;
    for (let i = 0; i < ids.length; i++) fn(tfs[i]!, ids[i]!, this);
  }
  *entries(): IterableIterator<[number, number]> {
    if (this.map) return yield* this.map.entries();
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i]!, this.tfs[i]!];
  }
  *keys(): IterableIterator<number> {
    if (this.map) return yield* this.map.keys();
    yield* this.ids;
  }
  *values(): IterableIterator<number> {
    if (this.map) return yield* this.map.values();
    yield* this.tfs;
  }
  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }
  private writable(): Map<number, number> {
    if (!this.map) {
      this.map = new Map(this.entries());
      this.ids = new Int32Array(0);
      this.tfs = new Int32Array(0);
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
