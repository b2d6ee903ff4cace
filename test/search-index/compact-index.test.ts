import { describe, expect, it } from 'vitest';
import {
  compactIndex,
  FieldLengths,
  PackedPostings,
  PassageMiniSearch,
  restoreIndex,
  serializeIndex,
} from '../../src/search-index/compact-index.ts';
import type { IndexedPassage } from '../../src/search-index/index-options.ts';

const passages: IndexedPassage[] = [
  { id: 'a#0', docId: 'a', text: 'grain ship odesa', context: 'grain corridor' },
  { id: 'a#1', docId: 'a', text: 'insur rais premium ship', context: 'grain corridor' },
  { id: 'b#0', docId: 'b', text: 'bridg kherson rebuilt', context: 'kherson bridg' },
  { id: 'b#1', docId: 'b', text: 'repair cost euro bridg bridg', context: 'kherson bridg' },
];
const extra: IndexedPassage = { id: 'c#0', docId: 'c', text: 'ship bridg talk', context: 'talk' };
const queries = ['ship', 'bridg', 'grain bridg', 'talk ship', 'kherson premium'];

const fresh = () => {
  const index = new PassageMiniSearch();
  index.addAll(passages);
  return index;
};
const results = (index: PassageMiniSearch) => queries.map((q) => index.search(q));

describe('compact index', () => {
  it('restores an index that searches like the original', () => {
    const original = fresh();
    expect(results(restoreIndex(serializeIndex(original)))).toEqual(results(original));
  });

  it('stays updatable after a restore: adds, discards and vacuuming match the original', async () => {
    const original = fresh();
    const restored = restoreIndex(serializeIndex(original));
    for (const index of [original, restored]) {
      index.add(extra);
      index.discard('a#1');
      await index.vacuum();
    }
    expect(results(restored)).toEqual(results(original));
    expect(results(restoreIndex(serializeIndex(restored)))).toEqual(results(original));
  });

  it('rejects postings that do not line up with their terms', () => {
    const compact = serializeIndex(fresh());
    expect(() => restoreIndex({ ...compact, rowLengths: compact.rowLengths.slice(1) })).toThrow(
      /do not line up/,
    );
    expect(() => restoreIndex({ ...compact, postings: compact.postings.slice(0, -3) })).toThrow(
      /cut short|do not line up/,
    );
    expect(() => restoreIndex({ ...compact, ids: compact.ids.slice(1) })).toThrow(/document tables/);
    const farId = Int32Array.from(compact.shortIds);
    farId[0] = compact.nextId + 1_000_000;
    expect(() => restoreIndex({ ...compact, shortIds: farId })).toThrow(/outside the index/);
  });

  it('packs a live index in place: same results, discarded postings dropped, still updatable', async () => {
    const original = fresh();
    const packed = fresh();
    for (const index of [original, packed]) index.discard('b#0');
    compactIndex(packed);
    expect(results(packed)).toEqual(results(original));
    // The discarded passage's postings are gone, not just hidden.
    expect(serializeIndex(packed).postings.length).toBeLessThan(serializeIndex(fresh()).postings.length);
    for (const index of [original, packed]) {
      index.add(extra);
      index.discard('a#1');
      await index.vacuum();
    }
    expect(results(packed)).toEqual(results(original));
  });
});

describe('packed postings', () => {
  it('answers like a Map, before and after a write', () => {
    const packed = PackedPostings.of([2, 5, 9], [1, 3, 2]);
    expect([packed.size, packed.get(5), packed.get(4), packed.has(9), packed.has(1)]).toEqual([
      3,
      3,
      undefined,
      true,
      false,
    ]);
    const seen: number[][] = [];
    packed.forEach((tf, id) => {
      seen.push([id, tf]);
    });
    expect(seen).toEqual([...packed]);
    expect(seen).toEqual([
      [2, 1],
      [5, 3],
      [9, 2],
    ]);
    packed.set(7, 4);
    expect(packed.delete(2)).toBe(true);
    expect([...packed.entries()]).toEqual([
      [5, 3],
      [9, 2],
      [7, 4],
    ]);
    expect([packed.size, packed.get(7), packed.has(2)]).toEqual([3, 4, false]);
  });

  it('keeps writes in an overlay: overriding, deleting and re-adding packed postings', () => {
    const packed = PackedPostings.of([2, 5, 9], [1, 3, 2]);
    expect(packed.packed).toBeDefined();
    packed.set(5, 6); // MiniSearch counts a repeated term this way
    expect(packed.packed).toBeUndefined();
    expect([packed.get(5), packed.size]).toEqual([6, 3]);
    expect(packed.delete(5)).toBe(true);
    expect(packed.delete(5)).toBe(false);
    expect([packed.has(5), packed.size]).toEqual([false, 2]);
    packed.set(5, 1);
    const seen: number[][] = [];
    packed.forEach((tf, id) => {
      seen.push([id, tf]);
    });
    expect(seen).toEqual([
      [2, 1],
      [9, 2],
      [5, 1],
    ]);
    expect(seen).toEqual([...packed]);
    // A vacuum deletes while iterating.
    for (const [id] of packed) if (id !== 9) packed.delete(id);
    expect([...packed]).toEqual([[9, 2]]);
    packed.clear();
    expect([packed.size, [...packed]]).toEqual([0, []]);
  });

  it('finds ids in unsorted postings too', () => {
    const packed = PackedPostings.of([9, 2, 5], [2, 1, 3]);
    expect([packed.get(2), packed.get(5), packed.get(9), packed.get(3)]).toEqual([1, 3, 2, undefined]);
  });
});

describe('field lengths', () => {
  it('answers like the Map MiniSearch keeps, before and after updates', () => {
    const table = FieldLengths.from(2, Int32Array.of(3, 0), Int32Array.of(7, 2, 5, 1));
    expect(table.size).toBe(2);
    expect(table.get(3)).toEqual([7, 2]);
    expect(table.get(0)).toEqual([5, 1]);
    expect(table.get(1)).toBeUndefined();
    expect(table.has(1)).toBe(false);
    // MiniSearch adds a document by setting an empty array and filling it in place.
    const added: number[] = [];
    table.set(9, added);
    added[0] = 4;
    added[1] = 1;
    expect(table.get(9)).toEqual([4, 1]);
    expect(table.delete(3)).toBe(true);
    expect(table.delete(3)).toBe(false);
    expect([...table.entries()]).toEqual([
      [0, [5, 1]],
      [9, [4, 1]],
    ]);
    expect(table.size).toBe(2);
    table.clear();
    expect(table.size).toBe(0);
  });
});
