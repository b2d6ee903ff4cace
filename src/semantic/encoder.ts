/** Turns sentences into vectors whose cosine says how close their meanings are. */
export interface SentenceEncoder {
  /** Names the model and its version: vectors from another encoder are not comparable. */
  readonly id: string;
  /** Length of every vector. */
  readonly dimensions: number;
  /** One vector per text, in order. Batches are much cheaper per text than single calls. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
