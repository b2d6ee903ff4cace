import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { createVectorFillService } from '../../src/semantic/background-fill.ts';
import { type EmbedReply, type EmbedRequest, serveEmbeddings } from '../../src/semantic/embed-server.ts';
import type { SentenceEncoder } from '../../src/semantic/encoder.ts';
import { createVectorFiller, progressLine } from '../../src/semantic/fill.ts';
import { createSentenceVectors } from '../../src/semantic/vectors.ts';
import { makeDocument } from '../helpers.ts';
import { createWordEncoder } from './word-encoder.ts';

function recordingLogger() {
  const lines: Array<{ level: string; msg: string }> = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(JSON.parse(line))) };
}

describe('vector filler', () => {
  it('embeds queued sentences in batches, skipping those it has', async () => {
    const calls: string[][] = [];
    const encoder = createWordEncoder([], calls);
    const vectors = createSentenceVectors(encoder.id, encoder.dimensions);
    vectors.set('known', new Float32Array(64).fill(1));
    const { logger } = recordingLogger();
    const filler = createVectorFiller({ encoder, vectors, logger, batchSize: 2 });
    filler.add(['a', 'b', 'known', 'c', 'a']);
    expect(filler.pending).toBe(3);
    await filler.idle();
    expect(calls).toEqual([['a', 'b'], ['c']]);
    expect(vectors.size).toBe(4);
  });

  it('logs a failed batch and goes on with the next', async () => {
    let n = 0;
    const flaky: SentenceEncoder = {
      id: 'flaky',
      dimensions: 2,
      embed: async (texts) => {
        if (n++ === 0) throw new Error('out of memory');
        return texts.map(() => Float32Array.of(1, 0));
      },
    };
    const vectors = createSentenceVectors('flaky', 2);
    const { lines, logger } = recordingLogger();
    const filler = createVectorFiller({ encoder: flaky, vectors, logger, batchSize: 1 });
    filler.add(['x', 'y']);
    await filler.idle();
    expect(vectors.has('x')).toBe(false);
    expect(vectors.has('y')).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'sentence vectors not computed for a batch' }),
    );
  });

  it('writes progress with thousands separators', () => {
    expect(progressLine(12000, 170000)).toBe('sentence vectors: 12,000 / 170,000');
  });
});

describe('embedding server', () => {
  it('answers every sentence asked with its int8 vector, then ends', async () => {
    const encoder = createWordEncoder();
    let listener: (request: EmbedRequest) => void = () => {};
    const replies: EmbedReply[] = [];
    const served = serveEmbeddings(
      encoder,
      {
        onRequest: (l) => {
          listener = l;
        },
        reply: async (reply) => {
          replies.push(reply);
        },
      },
      2,
    );
    listener({ texts: ['one', 'two', 'three'] });
    listener({ end: true });
    await served;
    expect(replies.flatMap((r) => r.texts)).toEqual(['one', 'two', 'three']);
    for (const r of replies) expect(r.vectors).toHaveLength(r.texts.length * encoder.dimensions);
  });
});

describe('vector fill service', () => {
  const documents = [
    makeDocument('a', 'Troops left Kherson. Engineers stayed behind.'),
    makeDocument('b', 'Talks resume in May.'),
  ];

  it('fills elsewhere, logging progress, then reports it is done', async () => {
    const encoder = createWordEncoder();
    const engine = createEngine(documents, { semantic: { encoder } });
    const { lines, logger } = recordingLogger();
    let filled = 0;
    const service = createVectorFillService({
      engine,
      logger,
      elsewhereFrom: 1,
      progressEvery: 1,
      // What the child process does, here: embed and hand back int8 vectors.
      elsewhere: (texts, onVectors) => ({
        done: (async () => {
          for (const text of texts) {
            const [v] = await encoder.embed([text]);
            onVectors(
              [text],
              Int8Array.from(v!, (x) => Math.round(x * 127)),
            );
          }
        })(),
        stop: () => {},
      }),
      onFilled: () => {
        filled++;
      },
    });
    await service.start();
    await service.done;
    expect(engine.unembedded()).toEqual([]);
    expect(filled).toBe(1);
    const messages = lines.map((l) => l.msg);
    expect(messages).toContain('sentence vectors: 0 / 3');
    expect(messages).toContain('sentence vectors: 1 / 3');
    expect(messages.some((m) => m.startsWith('sentence vectors: 3 / 3 (done'))).toBe(true);
  });

  it('fills here, with a warning, when the other process fails', async () => {
    const engine = createEngine(documents, { semantic: { encoder: createWordEncoder() } });
    const { lines, logger } = recordingLogger();
    const service = createVectorFillService({
      engine,
      logger,
      elsewhereFrom: 1,
      elsewhere: () => ({ done: Promise.reject(new Error('exited with code 1')), stop: () => {} }),
    });
    await service.start();
    await service.done;
    expect(engine.unembedded()).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'sentence vectors not computed in a separate process; computing here',
      }),
    );
  });
});
