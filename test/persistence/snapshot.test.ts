import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { loadSnapshot, saveSnapshot, snapshotPath } from '../../src/persistence/snapshot.ts';
import { createCore } from '../../src/runtime.ts';
import { makeDocument, tempFolder } from '../helpers.ts';
import { createWordEncoder } from '../semantic/word-encoder.ts';

const article = (id: string, body: string, title = `Title of ${id}`) =>
  `---\nid: ${id}\ntitle: "${title}"\nsource: Test Wire\npublished: 2025-03-01\n---\n\n${body}\n`;

const files = {
  'kherson-bridge.md': article(
    'kherson-bridge',
    'Engineers rebuilt the Antonivskyi bridge near Kherson within four months. The repair cost 12 million euros.',
  ),
  'grain-corridor.md': article(
    'grain-corridor',
    'Grain ships left Odesa under a new corridor agreement. Insurers raised premiums for the route.',
  ),
};

function recordingLogger() {
  const lines: Array<{ level: string; msg: string; reason?: string }> = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(JSON.parse(line))) };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup() {
  const corpus = await tempFolder(files);
  const data = await tempFolder({});
  cleanups.push(corpus.cleanup, data.cleanup);
  return { corpusDir: corpus.dir, dataDir: data.dir, maxCitations: 3 };
}

describe('index snapshot', () => {
  it('is saved after a build and restored on the next start, answering the same', async () => {
    const config = await setup();
    const first = recordingLogger();
    const built = await createCore(config, first.logger, { snapshot: true });
    expect(first.lines.map((l) => l.msg)).toContain('index snapshot saved');

    const second = recordingLogger();
    const restored = await createCore(config, second.logger, { snapshot: true });
    expect(second.lines.map((l) => l.msg)).toContain('index snapshot restored');
    expect(second.lines.map((l) => l.msg)).not.toContain('index snapshot saved');
    for (const question of [
      'How much did the Kherson bridge repair cost?',
      'Who raised premiums for grain ships?',
    ]) {
      expect(restored.engine.answer(question)).toEqual(built.engine.answer(question));
    }
    expect(restored.engine.passageCount).toBe(built.engine.passageCount);
    // Unchanged files are not parsed again; their documents come back whole from the snapshot.
    for (const id of ['kherson-bridge', 'grain-corridor'])
      expect(restored.engine.document(id)).toEqual(built.engine.document(id));
  });

  it('restores an article whose file holds terminal escapes as cleaned as the first start read it', async () => {
    const corpus = await tempFolder({
      'escapes.md': article(
        'escapes',
        'Talks resumed in Geneva \u001b[2Jon Monday\u001b]0;pwned\u0007 after a delay\u009b31m. Both sides sent envoys.',
      ),
    });
    const data = await tempFolder({});
    cleanups.push(corpus.cleanup, data.cleanup);
    const config = { corpusDir: corpus.dir, dataDir: data.dir, maxCitations: 3 };
    const built = await createCore(config, createLogger('silent'), { snapshot: true });
    const second = recordingLogger();
    const restored = await createCore(config, second.logger, { snapshot: true });
    expect(second.lines.map((l) => l.msg)).toContain('index snapshot restored');
    expect(restored.engine.document('escapes')).toEqual(built.engine.document('escapes'));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
    const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    expect(restored.engine.document('escapes')?.body).not.toMatch(control);
    const question = 'Where did talks resume?';
    expect(restored.engine.answer(question)).toEqual(built.engine.answer(question));
    expect(restored.engine.answer(question).citations[0]?.snippet).toBe(
      'Talks resumed in Geneva on Monday after a delay. Both sides sent envoys.',
    );
  });

  it('can have a missing snapshot built elsewhere, then restores from it', async () => {
    const config = await setup();
    const { lines, logger } = recordingLogger();
    let builds = 0;
    const { engine } = await createCore(config, logger, {
      snapshot: true,
      buildSnapshot: {
        // What `npm start` does in a child process: build and save, nothing else.
        run: async () => {
          builds++;
          await createCore(config, createLogger('silent'), { snapshot: true });
        },
        fromArticles: 2,
      },
    });
    expect(builds).toBe(1);
    const messages = lines.map((l) => l.msg);
    expect(messages).toContain('index built in a separate process');
    expect(messages).toContain('index snapshot restored');
    expect(messages).not.toContain('index snapshot saved');
    expect(engine.answer('How much did the Kherson bridge repair cost?').answered).toBe(true);
  });

  it('builds a corpus smaller than the threshold here', async () => {
    const config = await setup();
    let builds = 0;
    const run = async () => {
      builds++;
    };
    await createCore(config, createLogger('silent'), {
      snapshot: true,
      buildSnapshot: { run, fromArticles: 3 },
    });
    expect(builds).toBe(0);
  });

  it('builds here, with a warning, when building elsewhere fails', async () => {
    const config = await setup();
    const { lines, logger } = recordingLogger();
    const { engine } = await createCore(config, logger, {
      snapshot: true,
      buildSnapshot: {
        run: async () => {
          throw new Error('index build exited with code 1');
        },
        fromArticles: 0,
      },
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'index not built in a separate process; building here' }),
    );
    expect(lines.map((l) => l.msg)).toContain('index snapshot saved');
    expect(engine.answer('How much did the Kherson bridge repair cost?').answered).toBe(true);
  });

  it('keeps a restored index updatable', async () => {
    const config = await setup();
    await createCore(config, createLogger('silent'), { snapshot: true });
    const { engine } = await createCore(config, createLogger('silent'), { snapshot: true });
    engine.upsert(
      makeDocument('ceasefire-talks', 'Negotiators met in Istanbul to discuss a prisoner exchange.'),
    );
    expect(engine.answer('Where did negotiators discuss a prisoner exchange?').citations[0]?.docId).toBe(
      'ceasefire-talks',
    );
    expect(engine.remove('grain-corridor')).toBe(true);
    expect(engine.answer('Who raised premiums for grain ships?').citations).toEqual([]);
  });

  it('is rebuilt when a content hash changed', async () => {
    const config = await setup();
    await createCore(config, createLogger('silent'), { snapshot: true });
    await writeFile(
      join(config.corpusDir, 'grain-corridor.md'),
      article('grain-corridor', 'Grain ships left Odesa escorted by minesweepers from Romania.'),
    );
    const { lines, logger } = recordingLogger();
    const { engine } = await createCore(config, logger, { snapshot: true });
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'index snapshot not used, building',
        reason: 'the corpus changed since it was saved',
      }),
    );
    expect(lines.map((l) => l.msg)).toContain('index snapshot saved');
    expect(engine.answer('Did minesweepers from Romania escort the grain ships?').citations[0]?.docId).toBe(
      'grain-corridor',
    );
  });

  it('is rebuilt with a warning when the file is corrupt', async () => {
    const config = await setup();
    await createCore(config, createLogger('silent'), { snapshot: true });
    const path = snapshotPath(config.dataDir);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 200));
    const { lines, logger } = recordingLogger();
    const { engine } = await createCore(config, logger, { snapshot: true });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'index snapshot ignored, rebuilding' }),
    );
    expect(engine.answer('How much did the Kherson bridge repair cost?').answered).toBe(true);

    await writeFile(path, 'not a snapshot');
    const again = recordingLogger();
    await createCore(config, again.logger, { snapshot: true });
    expect(again.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'index snapshot ignored, rebuilding' }),
    );
  });

  it('reports a missing or mismatched snapshot as a miss', async () => {
    const { dataDir } = await setup();
    const docs = [
      makeDocument('a', 'Talks resumed in Geneva.'),
      makeDocument('b', 'Sanctions were extended.'),
    ];
    const path = snapshotPath(dataDir);
    expect(await loadSnapshot(path, docs)).toMatchObject({ miss: 'missing' });
    await saveSnapshot(path, docs, createEngine(docs).exportState());
    expect(await loadSnapshot(path, docs)).toHaveProperty('state');
    expect(await loadSnapshot(path, docs.slice(0, 1))).toMatchObject({ miss: 'stale' });
  });

  it('refuses to restore passages that lie outside their article', async () => {
    const { dataDir } = await setup();
    const docs = [makeDocument('a', 'Talks resumed in Geneva. Sanctions were extended.')];
    const path = snapshotPath(dataDir);
    await saveSnapshot(path, docs, createEngine(docs).exportState());
    const loaded = await loadSnapshot(path, docs);
    if (!('state' in loaded)) throw new Error('expected a usable snapshot');
    // Passage rows are [sentence, block, heading, start, end]: push the second one's end past the body.
    loaded.state.passages.rows[9] = 10_000;
    expect(() => createEngine(docs, { restore: loaded.state })).toThrow(/lies outside/);
  });

  it('replaces a snapshot left in the old JSON format', async () => {
    const config = await setup();
    await writeFile(join(config.dataDir, 'index-snapshot.json'), '{"format":"peacedesk-index-snapshot"}\n{}');
    const { lines, logger } = recordingLogger();
    await createCore(config, logger, { snapshot: true });
    expect(lines.map((l) => l.msg)).toContain('index snapshot saved');
    await expect(readFile(join(config.dataDir, 'index-snapshot.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('sentence vectors in the snapshot', () => {
  const loadEncoder = async () => createWordEncoder();
  const question = 'How much did the Kherson bridge repair cost?';

  async function savedWithVectors() {
    const config = await setup();
    const first = await createCore(config, createLogger('silent'), {
      snapshot: true,
      semantic: 'later',
      loadEncoder,
    });
    expect(first.engine.unembedded()).toHaveLength(4);
    await first.engine.embedSentences();
    const documents = first.engine.articles().map((a) => first.engine.document(a.docId)!);
    await saveSnapshot(
      snapshotPath(config.dataDir),
      documents,
      first.engine.exportState(),
      first.engine.vectors!.exportState(),
    );
    return { config, first };
  }

  it('are restored with the index, and rank as before', async () => {
    const { config, first } = await savedWithVectors();
    const calls: string[][] = [];
    const again = await createCore(config, createLogger('silent'), {
      snapshot: true,
      semantic: 'later',
      loadEncoder: async () => createWordEncoder([], calls),
    });
    expect(again.engine.unembedded()).toEqual([]);
    expect(again.engine.vectors!.size).toBe(4);
    expect(await again.engine.answerAsync(question)).toEqual(await first.engine.answerAsync(question));
    expect(calls.flat()).toEqual([question]);
  });

  it('outlive a corpus change: only the edited sentence needs a vector again', async () => {
    const { config } = await savedWithVectors();
    await writeFile(
      join(config.corpusDir, 'grain-corridor.md'),
      article(
        'grain-corridor',
        'Grain ships left Odesa under a new corridor agreement. Insurers left the route.',
      ),
    );
    // The rebuild in a child process has no model: it carries the vectors over.
    await createCore(config, createLogger('silent'), { snapshot: true });
    const again = await createCore(config, createLogger('silent'), {
      snapshot: true,
      semantic: 'later',
      loadEncoder,
    });
    expect(again.engine.unembedded()).toEqual(['Insurers left the route.']);
  });

  it('from another model are dropped, the index still restored', async () => {
    const { config } = await savedWithVectors();
    const { lines, logger } = recordingLogger();
    const other = async () => ({ ...createWordEncoder(), id: 'another-model' });
    const again = await createCore(config, logger, { snapshot: true, semantic: 'later', loadEncoder: other });
    expect(lines.map((l) => l.msg)).toContain('index snapshot restored');
    expect(again.engine.unembedded()).toHaveLength(4);
  });

  it('are checked against their keys', async () => {
    const { dataDir } = await setup();
    const docs = [makeDocument('a', 'Talks resumed in Geneva.')];
    const path = snapshotPath(dataDir);
    const vectors = { encoder: 'm', dimensions: 4, keys: ['k1', 'k2'], data: [new Int8Array(4)] };
    await saveSnapshot(path, docs, createEngine(docs).exportState(), vectors);
    expect(await loadSnapshot(path, docs)).toMatchObject({ miss: 'corrupt', reason: /vectors/ });
  });

  it('replace a snapshot of the previous version', async () => {
    const config = await setup();
    await createCore(config, createLogger('silent'), { snapshot: true });
    const path = snapshotPath(config.dataDir);
    const file = await readFile(path);
    file.write('PDSNAP05', 0, 'latin1');
    await writeFile(path, file);
    const { lines, logger } = recordingLogger();
    await createCore(config, logger, { snapshot: true });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'index snapshot ignored, rebuilding' }),
    );
    expect(lines.map((l) => l.msg)).toContain('index snapshot saved');
    const third = recordingLogger();
    await createCore(config, third.logger, { snapshot: true });
    expect(third.lines.map((l) => l.msg)).toContain('index snapshot restored');
  });
});
