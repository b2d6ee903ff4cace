import { createHash } from 'node:crypto';

/** Key of a sentence's vector: a hash of its text, so an unchanged sentence keeps its vector across edits. */
export function sentenceKey(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 16);
}

/**
 * A vector as int8: each component scaled so the largest magnitude is 127. Cosine ignores the
 * scale, so none is stored; the rounding costs well under 0.01 of cosine at 512 dimensions.
 */
export function quantize(vector: ArrayLike<number>): Int8Array {
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, Math.abs(vector[i]!));
  const out = new Int8Array(vector.length);
  if (max === 0 || !Number.isFinite(max)) return out;
  const scale = 127 / max;
  for (let i = 0; i < vector.length; i++) out[i] = Math.round(vector[i]! * scale);
  return out;
}

/** Cosine of two vectors of the same length (0 when either is all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The vectors as saved in a snapshot: keys in slot order and their int8 components, back to back. */
export interface SentenceVectorsState {
  encoder: string;
  dimensions: number;
  keys: string[];
  /** Components of `keys[0]`, then `keys[1]`, ...; in one or several chunks (views, not copies). */
  data: Int8Array[];
}

/** Int8 sentence vectors keyed by sentence text (see {@link sentenceKey}). */
export interface SentenceVectors {
  /** The encoder the vectors came from. */
  readonly encoder: string;
  readonly dimensions: number;
  /** Number of vectors held. */
  readonly size: number;
  /** The vector of a sentence, if computed (a view into the store: do not keep or change it). */
  get(text: string): Int8Array | undefined;
  has(text: string): boolean;
  /** Store a sentence's vector (float, quantised here, or already int8). */
  set(text: string, vector: ArrayLike<number>): void;
  /** Drop the vectors of sentences not in `texts` (removed or edited articles). */
  retain(texts: Iterable<string>): void;
  /** The vectors to save; views into the store, valid until the next set or retain. */
  exportState(): SentenceVectorsState;
}

// New vectors go in slabs of this many, so growing never copies what is already stored.
const SLAB = 4096;

/**
 * An empty store, or one restored from `state` (which must be from the same encoder and
 * dimensions). A restored single chunk is adopted as it is, not copied.
 */
export function createSentenceVectors(
  encoder: string,
  dimensions: number,
  state?: SentenceVectorsState,
): SentenceVectors {
  if (!Number.isInteger(dimensions) || dimensions <= 0)
    throw new Error(`sentence vectors: bad dimensions ${dimensions}`);
  const slots = new Map<string, number>();
  // Slots below `base` are in `restored`; the rest in SLAB-sized slabs.
  let restored: Int8Array = new Int8Array(0);
  let base = 0;
  let slabs: Int8Array[] = [];
  let count = 0;
  const view = (slot: number) => {
    if (slot < base) return restored.subarray(slot * dimensions, (slot + 1) * dimensions);
    const at = ((slot - base) % SLAB) * dimensions;
    return slabs[Math.floor((slot - base) / SLAB)]!.subarray(at, at + dimensions);
  };
  const put = (key: string, vector: Int8Array) => {
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = count++;
      if ((slot - base) % SLAB === 0) slabs.push(new Int8Array(SLAB * dimensions));
      slots.set(key, slot);
    }
    view(slot).set(vector);
  };
  if (state) {
    if (state.encoder !== encoder || state.dimensions !== dimensions)
      throw new Error(`sentence vectors: saved by ${state.encoder}/${state.dimensions}, not ${encoder}`);
    const length = state.data.reduce((sum, chunk) => sum + chunk.length, 0);
    if (length !== state.keys.length * dimensions)
      throw new Error('sentence vectors: data does not match the keys');
    restored = state.data.length === 1 ? state.data[0]! : new Int8Array(length);
    if (state.data.length > 1) {
      let at = 0;
      for (const chunk of state.data) {
        restored.set(chunk, at);
        at += chunk.length;
      }
    }
    for (const key of state.keys) {
      if (slots.has(key)) throw new Error(`sentence vectors: key ${key} twice`);
      slots.set(key, count++);
    }
    base = count;
  }
  return {
    encoder,
    dimensions,
    get size() {
      return count;
    },
    get(text) {
      const slot = slots.get(sentenceKey(text));
      return slot === undefined ? undefined : view(slot);
    },
    has: (text) => slots.has(sentenceKey(text)),
    set(text, vector) {
      if (vector.length !== dimensions)
        throw new Error(`sentence vectors: a vector of ${vector.length}, not ${dimensions}, values`);
      put(sentenceKey(text), vector instanceof Int8Array ? vector : quantize(vector));
    },
    retain(texts) {
      const keep = new Set<string>();
      for (const text of texts) keep.add(sentenceKey(text));
      if ([...slots.keys()].every((key) => keep.has(key))) return;
      const kept = [...slots]
        .filter(([key]) => keep.has(key))
        .map(([key, slot]) => [key, view(slot).slice()] as const);
      slots.clear();
      restored = new Int8Array(0);
      base = 0;
      slabs = [];
      count = 0;
      for (const [key, vector] of kept) put(key, vector);
    },
    exportState() {
      // Slots are handed out in order and never freed (retain renumbers), so map order is slot order.
      const keys = [...slots.keys()];
      const data: Int8Array[] = [restored];
      slabs.forEach((slab, i) => {
        const used = Math.min(SLAB, count - base - i * SLAB);
        data.push(slab.subarray(0, used * dimensions));
      });
      return { encoder, dimensions, keys, data: data.filter((chunk) => chunk.length > 0) };
    },
  };
}
