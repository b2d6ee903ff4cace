import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosine, createSentenceVectors, quantize, sentenceKey } from '../../src/semantic/vectors.ts';

describe('int8 vectors', () => {
  it('keep the cosine of two vectors within 0.02', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 }),
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 }),
        (a, b) => {
          fc.pre(a.some((x) => Math.abs(x) > 0.01) && b.some((x) => Math.abs(x) > 0.01));
          expect(Math.abs(cosine(quantize(a), quantize(b)) - cosine(a, b))).toBeLessThan(0.02);
        },
      ),
    );
  });

  it('map an all-zero vector to zeros, whose cosine is 0', () => {
    expect([...quantize([0, 0, 0])]).toEqual([0, 0, 0]);
    expect(cosine(quantize([0, 0, 0]), [1, 2, 3])).toBe(0);
  });
});

describe('sentence vector store', () => {
  it('keys vectors by sentence text, so the same sentence anywhere shares one', () => {
    const store = createSentenceVectors('m', 3);
    store.set('Troops withdrew.', [1, 0, 0]);
    store.set('Troops withdrew.', [0, 1, 0]);
    expect(store.size).toBe(1);
    expect([...store.get('Troops withdrew.')!]).toEqual([0, 127, 0]);
    expect(store.get('Troops stayed.')).toBeUndefined();
    expect(sentenceKey('a')).not.toBe(sentenceKey('b'));
  });

  it('refuses a vector of the wrong length', () => {
    expect(() => createSentenceVectors('m', 3).set('x', [1, 2])).toThrow(/2, not 3/);
    expect(() => createSentenceVectors('m', 0)).toThrow(/dimensions/);
  });

  it('round-trips through its state, then grows past it', () => {
    const store = createSentenceVectors('m', 2);
    for (let i = 0; i < 5000; i++) store.set(`sentence ${i}`, [i % 7, 1]);
    const restored = createSentenceVectors('m', 2, store.exportState());
    expect(restored.size).toBe(5000);
    expect([...restored.get('sentence 4999')!]).toEqual([...store.get('sentence 4999')!]);
    restored.set('new one', [1, -1]);
    expect([...restored.get('new one')!]).toEqual([127, -127]);
    const again = createSentenceVectors('m', 2, restored.exportState());
    expect([...again.get('sentence 3')!]).toEqual([...store.get('sentence 3')!]);
    expect([...again.get('new one')!]).toEqual([127, -127]);
  });

  it('refuses a state from another model or with data that does not fit', () => {
    const state = createSentenceVectors('m', 2).exportState();
    expect(() => createSentenceVectors('other', 2, state)).toThrow(/saved by m/);
    expect(() => createSentenceVectors('m', 2, { ...state, keys: ['k'], data: [] })).toThrow(
      /does not match/,
    );
  });

  it('drops the vectors of sentences no longer present', () => {
    const store = createSentenceVectors('m', 2);
    store.set('kept', [1, 0]);
    store.set('gone', [0, 1]);
    store.retain(['kept', 'never embedded']);
    expect(store.size).toBe(1);
    expect(store.has('gone')).toBe(false);
    expect([...store.get('kept')!]).toEqual([127, 0]);
  });
});
