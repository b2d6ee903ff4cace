import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/answering/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { type CorpusUpdate, createCorpusWatcher } from '../../src/persistence/watch-corpus.ts';
import { createPostgresCorpusSync } from '../../src/store/postgres-corpus.ts';
import { makeDocument, tempFolder } from '../helpers.ts';
import { postgresBackend, type TestDatabase, testDatabaseUrl } from '../store/backends.ts';

const url = testDatabaseUrl();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const article = (id: string, body: string) =>
  `---\nid: ${id}\ntitle: "Title of ${id}"\nsource: Test Wire\npublished: 2025-01-01\n---\n\n${body}\n`;

/** One replica: its own corpus folder, engine and watcher, sharing the corpus through `db`. */
async function replica(db: TestDatabase, files: Record<string, string> = {}) {
  const { dir, cleanup } = await tempFolder(files);
  cleanups.push(cleanup);
  const stores = await db.open();
  const pool = stores.pool!;
  const engine: Engine = createEngine(
    Object.entries(files).map(([name, text]) => makeDocumentFromFile(name, text)),
  );
  const logger = createLogger('silent');
  const sync = createPostgresCorpusSync({ pool, url: db.location, schema: db.schema!, dir, logger });
  const watcher = createCorpusWatcher({
    dir,
    index: engine,
    logger,
    debounceMs: 20,
    onUpdate: (update) => void sync.publish(update),
  });
  await sync.start();
  await watcher.start();
  cleanups.push(async () => {
    await watcher.stop();
    await sync.stop();
  });
  return { dir, engine, sync };
}

function makeDocumentFromFile(name: string, text: string) {
  const id = name.replace(/\.md$/, '');
  const body = text.split('\n---\n\n')[1]!.trim();
  return makeDocument(id, body);
}

/**
 * Wait (up to 45 s) until `check` holds: the sync is asynchronous by nature. (Runs that never
 * converged were a lost update, a late echo overwriting a newer version — see the next test — not
 * a slow machine; the generous wait stays for loaded CI machines.)
 */
async function eventually(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 900; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe.runIf(url)('corpus shared through PostgreSQL', () => {
  it("brings an article added, changed or removed on one replica into the others' indexes", {
    timeout: 180_000,
  }, async () => {
    const db = await postgresBackend(url!).create();
    cleanups.push(() => db.drop());
    const seed = { 'ceasefire.md': article('ceasefire', 'Russia proposed a ceasefire in the Donbas.') };
    const a = await replica(db, seed);
    const b = await replica(db, seed);
    const c = await replica(db);
    // C started with an empty folder: the table gave it the seed article.
    await eventually('C indexes the seed', () => c.engine.document('ceasefire') !== undefined);

    await writeFile(join(a.dir, 'grain.md'), article('grain', 'The grain corridor reopened under the deal.'));
    await eventually('B and C index the new article', () =>
      [b, c].every((r) => r.engine.answer('grain corridor').citations[0]?.docId === 'grain'),
    );

    await writeFile(join(b.dir, 'grain.md'), article('grain', 'The grain corridor closed again in spring.'));
    await eventually('A and C see the change', () =>
      [a, c].every((r) => r.engine.document('grain')?.body.includes('closed again') ?? false),
    );
    expect(await readFile(join(c.dir, 'grain.md'), 'utf8')).toContain('closed again');

    await rm(join(c.dir, 'ceasefire.md'));
    await eventually('A and B drop the removed article', () =>
      [a, b].every((r) => r.engine.document('ceasefire') === undefined),
    );

    // A replica started later (D) catches up from the table: the live articles only.
    const d = await replica(db);
    await eventually('D has the current corpus', () => d.engine.document('grain') !== undefined);
    expect(d.engine.document('ceasefire')).toBeUndefined();
  });

  it("does not let a late echo of an older version replace another replica's newer one", async () => {
    const db = await postgresBackend(url!).create();
    cleanups.push(() => db.drop());
    const logger = createLogger('silent');
    // Two syncs without watchers or LISTEN, so what each one sees is decided by the test.
    const sync = async () => {
      const { dir, cleanup } = await tempFolder({});
      cleanups.push(cleanup);
      const { pool } = await db.open();
      return {
        dir,
        sync: createPostgresCorpusSync({ pool: pool!, url: db.location, schema: db.schema!, dir, logger }),
      };
    };
    const stored = async () => {
      const { pool } = await db.open();
      const { rows } = await pool!.query<{ content: string; deleted: boolean }>(
        `SELECT content, deleted FROM corpus_files WHERE doc_id = 'grain'`,
      );
      return rows[0];
    };
    const a = await sync();
    const c = await sync();
    const update = (kind: 'added' | 'changed' | 'removed', docId: string): CorpusUpdate => ({
      added: [],
      changed: [],
      removed: [],
      skipped: [],
      [kind]: [docId],
    });

    await writeFile(join(a.dir, 'grain.md'), article('grain', 'Version one.'));
    await a.sync.publish(update('added', 'grain'));
    await c.sync.reconcile(); // C's folder now holds version one, from the table
    await writeFile(join(a.dir, 'grain.md'), article('grain', 'Version two.'));
    await a.sync.publish(update('changed', 'grain'));
    // C's watcher reports, late, the version-one file it wrote from the table.
    await c.sync.publish(update('changed', 'grain'));
    expect((await stored())?.content).toContain('Version two.');
    await c.sync.reconcile();
    expect(await readFile(join(c.dir, 'grain.md'), 'utf8')).toContain('Version two.');

    // The same for a removal: C removes its copy because A deleted it; A adds it back; C's watcher
    // then reports the removal it saw.
    await rm(join(a.dir, 'grain.md'));
    await a.sync.publish(update('removed', 'grain'));
    await c.sync.reconcile();
    await expect(readFile(join(c.dir, 'grain.md'), 'utf8')).rejects.toThrow(/ENOENT/);
    await writeFile(join(a.dir, 'grain.md'), article('grain', 'Version three.'));
    await a.sync.publish(update('added', 'grain'));
    await c.sync.publish(update('removed', 'grain'));
    expect(await stored()).toMatchObject({ deleted: false });
    expect((await stored())?.content).toContain('Version three.');
  });

  it('ignores a malformed id in the table instead of writing outside the folder', async () => {
    const db = await postgresBackend(url!).create();
    cleanups.push(() => db.drop());
    const a = await replica(db);
    const stores = await db.open();
    const pool = stores.pool!;
    await pool.query(
      `INSERT INTO corpus_files (doc_id, content, content_hash, updated_at, updated_by) VALUES ($1, 'x', 'h', now(), 'evil')`,
      ['../escaped'],
    );
    await pool.query(`SELECT pg_notify($1, 'evil ../escaped')`, [`peacedesk_corpus_${db.schema}`]);
    await a.sync.reconcile();
    await expect(readFile(join(a.dir, '..', 'escaped.md'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
