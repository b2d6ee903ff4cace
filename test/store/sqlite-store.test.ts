import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { isPeacedeskError } from '../../src/errors.ts';
import { openSqliteStores, SCHEMA_VERSION, type SqliteStores } from '../../src/store/sqlite-store.ts';
import { tempFolder } from '../helpers.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const { dir, cleanup } = await tempFolder({});
  cleanups.push(cleanup);
  return dir;
}

function open(path: string, options: Parameters<typeof openSqliteStores>[1] = {}): SqliteStores {
  const stores = openSqliteStores(path, options);
  cleanups.push(() => stores.close());
  return stores;
}

function openError(path: string): unknown {
  try {
    openSqliteStores(path).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('openSqliteStores', () => {
  it('creates the folder and file on first start, in WAL mode at the current schema version', async () => {
    const path = join(await tempDir(), 'nested', 'data', 'peacedesk.db');
    open(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a corrupt file with an error naming it, and leaves the file untouched', async () => {
    const path = join(await tempDir(), 'broken.db');
    const garbage = 'this is not a database, just some text that happens to be here\n'.repeat(100);
    writeFileSync(path, garbage);
    const error = openError(path);
    expect(isPeacedeskError(error, 'database_corrupt')).toBe(true);
    expect((error as Error).message).toContain(path);
    expect(readFileSync(path, 'utf8')).toBe(garbage);
  });

  it('refuses a database whose pages are damaged', async () => {
    const path = join(await tempDir(), 'damaged.db');
    const stores = openSqliteStores(path);
    for (let i = 0; i < 200; i++)
      await stores.audit.recordQuestion({
        at: new Date(),
        platform: 'slack',
        userId: 'U',
        question: `question number ${i} about the peace plan`.repeat(5),
        answered: true,
        citedDocIds: [],
        latencyMs: 1,
      });
    stores.close();
    const bytes = readFileSync(path);
    // Keep the header page, overwrite the rest with noise.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    writeFileSync(path, bytes);
    expect(isPeacedeskError(openError(path), 'database_corrupt')).toBe(true);
  });

  it('reports an unwritable path (a file where the folder should be) naming the file', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    const path = join(dir, 'not-a-folder', 'peacedesk.db');
    const error = openError(path);
    expect(isPeacedeskError(error, 'database_unwritable')).toBe(true);
    expect((error as Error).message).toContain(path);
  });

  it('reports a folder at the database path as unwritable', async () => {
    const path = join(await tempDir(), 'db-is-a-folder');
    mkdirSync(path);
    const error = openError(path);
    expect(isPeacedeskError(error, 'database_unwritable')).toBe(true);
    expect((error as Error).message).toContain(path);
  });

  it('opens read-only without migrating or writing, and refuses an unmigrated file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'ro.db');
    const stores = openSqliteStores(path);
    await stores.documents.sync([{ docId: 'a', contentHash: '1' }]);
    stores.close();
    const reader = open(path, { readonly: true });
    expect(await reader.documents.revision()).toBe(1);
    await expect(reader.documents.sync([{ docId: 'b', contentHash: '1' }])).rejects.toThrow(/readonly/);
    const blank = join(dir, 'blank.db');
    new Database(blank).close();
    expect(() => openSqliteStores(blank, { readonly: true })).toThrow(/start peacedesk once to migrate/);
  });

  it('refuses a database written by a newer schema', async () => {
    const path = join(await tempDir(), 'future.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const error = openError(path);
    expect(isPeacedeskError(error, 'database_unwritable')).toBe(true);
    expect((error as Error).message).toMatch(/newer/);
  });
});

// Behaviour shared with PostgreSQL is in contract.test.ts; this checks what SQLite writes.
describe('AuditLog', () => {
  it('keeps only hashed user ids and counts folded questions since a time', async () => {
    const path = join(await tempDir(), 'audit.db');
    const { audit } = open(path, { salt: 'pepper' });
    const base = { platform: 'slack' as const, answered: true, citedDocIds: ['a', 'b'], latencyMs: 12.6 };
    await audit.recordQuestion({
      ...base,
      at: new Date('2026-01-01T09:00:00Z'),
      userId: 'U-SECRET',
      question: 'Old?',
    });
    await audit.recordQuestion({
      ...base,
      at: new Date('2026-01-02T09:00:00Z'),
      userId: 'U-SECRET',
      question: 'What about NATO?',
    });
    await audit.recordQuestion({
      ...base,
      at: new Date('2026-01-02T10:00:00Z'),
      userId: 'U2',
      question: 'what  about nato',
    });
    await audit.recordQuestion({
      ...base,
      at: new Date('2026-01-02T11:00:00Z'),
      userId: 'U3',
      question: 'Donbas?',
    });
    expect(await audit.topQuestions(new Date('2026-01-02T00:00:00Z'), 5)).toEqual([
      { question: 'What about NATO?', count: 2 },
      { question: 'Donbas?', count: 1 },
    ]);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT user_hash, cited_doc_ids, latency_ms FROM questions').all() as Array<{
      user_hash: string;
      cited_doc_ids: string;
      latency_ms: number;
    }>;
    db.close();
    expect(rows.every((r) => !r.user_hash.includes('SECRET') && r.user_hash.length === 32)).toBe(true);
    expect(JSON.parse(rows[0]!.cited_doc_ids)).toEqual(['a', 'b']);
    expect(rows[0]!.latency_ms).toBe(13);
  });
});
