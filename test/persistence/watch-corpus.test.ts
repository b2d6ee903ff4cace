import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/answering/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { loadCorpus } from '../../src/persistence/load-corpus.ts';
import { type CorpusUpdate, createCorpusWatcher } from '../../src/persistence/watch-corpus.ts';
import type { Service } from '../../src/service.ts';
import { tempFolder } from '../helpers.ts';

const article = (id: string, body: string) =>
  `---\nid: ${id}\ntitle: "Report ${id}"\nsource: Test Wire\npublished: 2025-05-02\n---\n\n${body}\n`;

const running: Array<{ watcher: Service; cleanup: () => Promise<void> }> = [];
afterEach(async () => {
  for (const { watcher, cleanup } of running.splice(0)) {
    await watcher.stop();
    await cleanup();
  }
});

/** A watched temp corpus; `next()` resolves with the next update the watcher reports. */
async function watched(files: Record<string, string>) {
  const folder = await tempFolder(files);
  const { documents } = await loadCorpus(folder.dir);
  const engine: Engine = createEngine(documents);
  const warnings: Array<Record<string, unknown>> = [];
  const logger = createLogger('warn', (line) => warnings.push(JSON.parse(line)));
  const waiting: Array<(update: CorpusUpdate) => void> = [];
  const watcher = createCorpusWatcher({
    dir: folder.dir,
    index: engine,
    logger,
    debounceMs: 20,
    onUpdate: (update) => waiting.shift()?.(update),
  });
  const next = () => new Promise<CorpusUpdate>((resolve) => waiting.push(resolve));
  await watcher.start();
  running.push({ watcher, cleanup: folder.cleanup });
  return { dir: folder.dir, engine, warnings, next };
}

const ask = (engine: Engine, question: string) => engine.answer(question).citations.map((c) => c.docId);

describe('corpus watcher', () => {
  it('indexes an added file without a restart', async () => {
    const { dir, engine, next } = await watched({
      'a.md': article('a', 'Talks resumed in Geneva on Monday.'),
    });
    const update = next();
    await writeFile(join(dir, 'b.md'), article('b', 'A prisoner exchange freed 84 soldiers near Sumy.'));
    expect(await update).toMatchObject({ added: ['b'], changed: [], removed: [] });
    expect(ask(engine, 'How many soldiers were freed in the prisoner exchange?')).toEqual(['b']);
    expect(ask(engine, 'Where did talks resume?')).toEqual(['a']);
  });

  it('re-indexes a changed file and drops a removed one', async () => {
    const { dir, engine, next } = await watched({
      'a.md': article('a', 'Talks resumed in Geneva on Monday.'),
      'b.md': article('b', 'A prisoner exchange freed 84 soldiers near Sumy.'),
    });
    let update = next();
    await writeFile(join(dir, 'a.md'), article('a', 'Talks moved to Istanbul after a delay.'));
    expect(await update).toMatchObject({ changed: ['a'] });
    expect(ask(engine, 'Where did talks move?')).toEqual(['a']);
    expect(engine.document('a')?.body).toContain('Istanbul');

    update = next();
    await rm(join(dir, 'b.md'));
    expect(await update).toMatchObject({ removed: ['b'] });
    expect(engine.document('b')).toBeUndefined();
    expect(ask(engine, 'How many soldiers were freed in the prisoner exchange?')).toEqual([]);
  });

  it('reports and skips a bad file, keeping the rest and the previous version', async () => {
    const { dir, engine, warnings, next } = await watched({
      'a.md': article('a', 'Talks resumed in Geneva on Monday.'),
    });
    let update = next();
    await writeFile(join(dir, 'broken.md'), 'no front matter here');
    expect((await update).skipped).toEqual([
      { path: join(dir, 'broken.md'), problem: expect.stringMatching(/front matter/) },
    ]);
    expect(warnings).toContainEqual(expect.objectContaining({ msg: 'corpus file skipped', kept: 'nothing' }));

    update = next();
    await writeFile(join(dir, 'a.md'), '---\nid: a\ntitle: ""\n---\nhalf-written');
    expect((await update).skipped).toHaveLength(1);
    expect(warnings).toContainEqual(expect.objectContaining({ field: 'title', kept: 'previous version' }));
    expect(ask(engine, 'Where did talks resume?')).toEqual(['a']);

    update = next();
    await writeFile(join(dir, 'c.md'), article('c', 'Insurers raised premiums for grain ships.'));
    expect(await update).toMatchObject({ added: ['c'] });
    expect(ask(engine, 'Who raised premiums for grain ships?')).toEqual(['c']);
  });

  it('never lets a stray X.MD replace the live X.md: a loud warning, the article stays', async () => {
    const { dir, engine, warnings, next } = await watched({
      'x.md': article('x', 'Talks resumed in Geneva on Monday.'),
    });
    const update = next();
    await writeFile(join(dir, 'x.MD'), article('x', 'Armies withdrew from Kherson overnight.'));
    expect(await update).toMatchObject({
      added: [],
      changed: [],
      skipped: [{ path: join(dir, 'x.MD'), problem: expect.stringMatching(/not loaded.*lower-case "\.md"/) }],
    });
    expect(warnings).toContainEqual(
      expect.objectContaining({ msg: 'corpus file skipped', path: join(dir, 'x.MD') }),
    );
    expect(engine.document('x')?.body).toContain('Geneva');
    expect(ask(engine, 'Where did talks resume?')).toEqual(['x']);
    expect(ask(engine, 'Which armies withdrew from Kherson?')).toEqual([]);
  });

  it('catches up at start with files changed since the corpus was loaded', async () => {
    const folder = await tempFolder({ 'a.md': article('a', 'Talks resumed in Geneva on Monday.') });
    const engine = createEngine((await loadCorpus(folder.dir)).documents);
    await writeFile(join(folder.dir, 'b.md'), article('b', 'Insurers raised premiums for grain ships.'));
    await rm(join(folder.dir, 'a.md'));
    let resolve: (update: CorpusUpdate) => void = () => {};
    const update = new Promise<CorpusUpdate>((r) => {
      resolve = r;
    });
    const watcher = createCorpusWatcher({
      dir: folder.dir,
      index: engine,
      logger: createLogger('silent'),
      debounceMs: 5,
      onUpdate: (u) => resolve(u),
    });
    running.push({ watcher, cleanup: folder.cleanup });
    await watcher.start();
    expect(await update).toMatchObject({ added: ['b'], removed: ['a'] });
  });
});
