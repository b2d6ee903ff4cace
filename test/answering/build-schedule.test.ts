import { describe, expect, it } from 'vitest';
import { packsNow } from '../../src/answering/engine.ts';

/** The articles indexed at each packing of a full build of `total` articles (the last is the final one). */
function packings(total: number): number[] {
  const at: number[] = [];
  let packed = 0;
  for (let indexed = 1; indexed <= total; indexed++)
    if (packsNow(indexed, packed)) {
      at.push(indexed);
      packed = indexed;
    }
  return [...at, total];
}

describe('packsNow', () => {
  it('packs every 1,000 articles while the index is small', () => {
    expect(packings(4000)).toEqual([1000, 2000, 3000, 4000, 4000]);
    expect(packsNow(999, 0)).toBe(false);
  });

  it('then waits until the index has grown by a quarter', () => {
    expect(packsNow(4999, 4000)).toBe(false);
    expect(packsNow(5000, 4000)).toBe(true);
    expect(packsNow(49_999, 40_000)).toBe(false);
    expect(packsNow(50_000, 40_000)).toBe(true);
  });

  it('keeps the work of packing linear in the archive: each packing rewrites the whole index', () => {
    for (const total of [10_000, 100_000, 1_000_000]) {
      const rewritten = packings(total).reduce((sum, n) => sum + n, 0);
      // Packing every 1,000 would rewrite total² / 2,000 articles' postings: 50× the archive at 100k.
      expect(rewritten).toBeLessThanOrEqual(6 * total);
    }
  });
});
