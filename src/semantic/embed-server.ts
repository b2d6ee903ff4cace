import type { SentenceEncoder } from './encoder.ts';
import { EMBED_BATCH } from './fill.ts';
import { quantize } from './vectors.ts';

/** A message to the embedding process: sentences to embed, or the end of them. */
export type EmbedRequest = { texts: string[] } | { end: true };
/** A message back: a batch of sentences and their int8 vectors, back to back. */
export interface EmbedReply {
  texts: string[];
  vectors: Int8Array;
}

/** Both ends of the channel to the process that asked (Node's IPC in `--embed-sentences`). */
export interface EmbedChannel {
  onRequest(listener: (request: EmbedRequest) => void): void;
  /** Resolves once the reply is handed over (backpressure). */
  reply(reply: EmbedReply): Promise<void>;
}

/**
 * Embed the sentences that arrive on `channel`, in batches, replying with int8 vectors; resolves
 * after the end message once everything asked is answered. Rejects if the model fails.
 */
export function serveEmbeddings(
  encoder: SentenceEncoder,
  channel: EmbedChannel,
  batchSize = EMBED_BATCH,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const queue: string[] = [];
    let ended = false;
    let busy = false;
    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        while (queue.length) {
          const batch = queue.splice(0, batchSize);
          const out = await encoder.embed(batch);
          const vectors = new Int8Array(batch.length * encoder.dimensions);
          out.forEach((v, i) => {
            vectors.set(quantize(v), i * encoder.dimensions);
          });
          await channel.reply({ texts: batch, vectors });
        }
      } catch (error) {
        reject(error);
        return;
      } finally {
        busy = false;
      }
      if (ended) resolve();
    };
    channel.onRequest((request) => {
      if ('end' in request) ended = true;
      else if (Array.isArray(request.texts))
        queue.push(...request.texts.filter((t) => typeof t === 'string'));
      void pump();
    });
  });
}
