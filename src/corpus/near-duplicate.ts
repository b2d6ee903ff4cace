/**
 * Near-duplicate detection for syndicated copies: MinHash over word shingles.
 *
 * MinHash rather than SimHash because what a copy keeps is a share of the original's word
 * sequences (a wire story with a new headline, a paragraph added or cut), and MinHash estimates
 * exactly that share, the Jaccard resemblance of the two shingle sets, with an error that depends
 * only on the number of hashes (128 here: about ±0.04 at one standard deviation). SimHash's bit
 * distance is tuned for near-identical web pages and says less about "the same story, edited".
 * The threshold was measured on test pairs (test/corpus/near-duplicate.test.ts; figures in the
 * README).
 */

/** Words per shingle: long enough that two stories on one event rarely share runs, short enough to survive edits. */
export const SHINGLE_WORDS = 3;
/** Hashes per signature. */
export const SIGNATURE_SIZE = 128;
/** Estimated resemblance from which a new article is recorded as a copy of an existing one. */
export const COPY_THRESHOLD = 0.3;

/** A MinHash signature: the minimum hash of the shingles under each of {@link SIGNATURE_SIZE} hash functions. */
export type Signature = Uint32Array;

/** The lower-cased words of a text, marks and punctuation dropped (Markdown syntax too). */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

// FNV-1a over a string, then a 32-bit finaliser per seed: cheap, well-mixed hash functions.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS = Array.from({ length: SIGNATURE_SIZE }, (_, i) => mix(0x9e3779b9 + i * 0x632be5ab));

/** The MinHash signature of a text's word shingles. */
export function signature(text: string): Signature {
  const list = words(text);
  const shingles = new Set<number>();
  if (list.length < SHINGLE_WORDS) shingles.add(fnv1a(list.join(' ')));
  for (let i = 0; i + SHINGLE_WORDS <= list.length; i++)
    shingles.add(fnv1a(list.slice(i, i + SHINGLE_WORDS).join(' ')));
  const mins = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const h = mix(shingle ^ SEEDS[k]!);
      if (h < mins[k]!) mins[k] = h;
    }
  }
  return mins;
}

/** Estimated Jaccard resemblance of two signatures, 0–1. */
export function resemblance(a: Signature, b: Signature): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE_SIZE; k++) if (a[k] === b[k]) same++;
  return same / SIGNATURE_SIZE;
}

/** Finds the article a text is a copy of, among articles whose signatures it keeps. */
export interface CopyFinder {
  /** The most similar article at or above the threshold, if any. */
  find(text: string, options?: { exclude?: string }): { docId: string; similarity: number } | undefined;
  /** Add or replace an article's signature. */
  set(docId: string, text: string): void;
}

const remembered = new WeakMap<object, Signature>();

/** Create a {@link CopyFinder} over `articles` (signatures computed lazily, on the first search). */
export function createCopyFinder(
  articles: () => Iterable<{ id: string; title: string; body: string }>,
  threshold = COPY_THRESHOLD,
): CopyFinder {
  let signatures: Map<string, Signature> | undefined;
  const all = () => {
    if (!signatures) {
      signatures = new Map();
      for (const a of articles()) {
        // The same document object (the engine keeps one per article) is hashed once per process.
        let sig = remembered.get(a);
        if (!sig) {
          sig = signature(a.body);
          remembered.set(a, sig);
        }
        signatures.set(a.id, sig);
      }
    }
    return signatures;
  };
  return {
    find(text, options = {}) {
      const wanted = signature(text);
      let best: { docId: string; similarity: number } | undefined;
      for (const [docId, sig] of all()) {
        if (docId === options.exclude) continue;
        const similarity = resemblance(wanted, sig);
        if (similarity >= threshold && (!best || similarity > best.similarity)) best = { docId, similarity };
      }
      return best;
    },
    set(docId, text) {
      all().set(docId, signature(text));
    },
  };
}
