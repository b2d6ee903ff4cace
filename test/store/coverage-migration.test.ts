import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStores, SCHEMA_VERSION } from '../../src/store/sqlite-store.ts';
import { tempFolder } from '../helpers.ts';

describe('a database from before coverage reports', () => {
  it('is migrated in place: old questions read back with empty details, nothing lost', async () => {
    const { dir, cleanup } = await tempFolder({});
    try {
      const path = join(dir, 'old.db');
      // The questions and votes tables as schema version 1 wrote them.
      const old = new Database(path);
      old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE questions (id INTEGER PRIMARY KEY, at TEXT NOT NULL, platform TEXT NOT NULL, user_hash TEXT NOT NULL,
          question TEXT NOT NULL, question_key TEXT NOT NULL, answered INTEGER NOT NULL, cited_doc_ids TEXT NOT NULL, latency_ms INTEGER NOT NULL);
        CREATE INDEX questions_at ON questions (at);
        CREATE TABLE votes (platform TEXT NOT NULL, answer_id TEXT NOT NULL, user_hash TEXT NOT NULL,
          value TEXT NOT NULL CHECK (value IN ('up', 'down')), question TEXT, at TEXT NOT NULL, PRIMARY KEY (platform, answer_id, user_hash));
        CREATE TABLE documents (doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, first_seen_at TEXT NOT NULL,
          last_changed_at TEXT NOT NULL, added_revision INTEGER NOT NULL, changed_revision INTEGER NOT NULL);
        CREATE TABLE digest_runs (platform TEXT NOT NULL, channel_id TEXT NOT NULL, period TEXT NOT NULL, status TEXT NOT NULL,
          claimed_at TEXT NOT NULL, finished_at TEXT, corpus_revision INTEGER NOT NULL, publisher TEXT NOT NULL, message_id TEXT,
          error TEXT, PRIMARY KEY (platform, channel_id, period));
        CREATE TABLE deliveries (key TEXT PRIMARY KEY, claimed_at INTEGER NOT NULL);
        INSERT INTO questions (at, platform, user_hash, question, question_key, answered, cited_doc_ids, latency_ms)
          VALUES ('2026-01-01T00:00:00.000Z', 'slack', 'abc', 'What about the Pope?', 'what about the pope', 0, '[]', 3);
        PRAGMA user_version = 1;`);
      old.close();
      const stores = openSqliteStores(path, { salt: 's' });
      try {
        const [row] = await stores.insights.questions(new Date(0));
        expect(row).toMatchObject({
          question: 'What about the Pope?',
          answerId: null,
          topic: null,
          relatedDocIds: [],
          citations: [],
        });
        expect(await stores.insights.closures()).toEqual([]);
      } finally {
        stores.close();
      }
      const check = new Database(path, { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      check.close();
    } finally {
      await cleanup();
    }
  });
});
