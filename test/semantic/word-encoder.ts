import type { SentenceEncoder } from '../../src/semantic/encoder.ts';

/**
 * A small deterministic encoder for tests: each word (or the group it belongs to in `groups`)
 * adds 1 to one of 64 dimensions picked by a hash, so sentences sharing words or groups are close.
 */
export function createWordEncoder(groups: string[][] = [], calls: string[][] = []): SentenceEncoder {
  const groupOf = new Map(groups.flatMap((g) => g.map((w) => [w, g[0]!] as const)));
  const slot = (word: string) => {
    let h = 2166136261;
    for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    return (h >>> 0) % 64;
  };
  return {
    id: 'test-words-64',
    dimensions: 64,
    async embed(texts) {
      calls.push([...texts]);
      return texts.map((text) => {
        const v = new Float32Array(64);
        for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? [])
          v[slot(groupOf.get(word) ?? word)]! += 1;
        return v;
      });
    },
  };
}
