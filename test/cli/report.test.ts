import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { main } from '../../src/cli/report.ts';
import { createManualClock } from '../../src/clock.ts';
import { isPeacedeskError } from '../../src/errors.ts';
import { openStores } from '../../src/store/open-stores.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import { ANSWERED_QUESTIONS, createAsker, GAP_QUESTIONS } from '../coverage/seed.ts';
import { shippedCorpus, tempFolder } from '../helpers.ts';
import { testDatabaseUrl } from '../store/backends.ts';

const CORPUS = new URL('../../corpus', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;
let out: string;
let err: string;

beforeEach(async () => {
  ({ dir, cleanup } = await tempFolder({}));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup();
});

const env = () => ({ CORPUS_DIR: CORPUS, DATABASE_PATH: join(dir, 'peacedesk.db') });

/** Questions asked an hour ago and before, through the ask service. */
async function seed() {
  const stores = openSqliteStores(env().DATABASE_PATH);
  const start = new Date(Date.now() - 12 * 60 * 60 * 1000);
  const asker = createAsker(createEngine(await shippedCorpus()), stores.audit, createManualClock(start));
  for (const [question, user, platform] of [...GAP_QUESTIONS, ...ANSWERED_QUESTIONS])
    await asker.ask(question, user, platform);
  stores.close();
}

const usageError = async (argv: string[]) => {
  try {
    await main(argv, env());
  } catch (error) {
    return isPeacedeskError(error, 'usage') ? error.message : `other: ${String(error)}`;
  }
  return 'no error';
};

describe('npm run report', () => {
  it('gaps: prints the groups as a table', async () => {
    await seed();
    expect(await main(['gaps', '--since', '7d'], env())).toBe(0);
    expect(out).toMatch(/^Coverage gaps, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: 7 declined questions\./);
    expect(out).toMatch(/# {2}Asked about +Times +People +Last asked +Examples +Closest article/);
    expect(out).toMatch(/\n1 {2}Pope \[format\] +3 +3 /);
    expect(out).toMatch(/\n2 {2}Brazil, mediator \[format\] +3 +3 /);
    expect(out).toMatch(/\n3 {2}China +1 +1 /);
    expect(out).not.toMatch(/reporter-/);
  });

  it('--json prints the three reports as one object', async () => {
    await seed();
    expect(await main(['--json'], env())).toBe(0);
    const parsed = JSON.parse(out) as Record<string, { gaps?: unknown[]; asked?: number; votes?: unknown }>;
    expect(Object.keys(parsed)).toEqual(['gaps', 'feedback', 'questions']);
    expect(parsed.gaps!.gaps).toHaveLength(3);
    expect(parsed.questions!.asked).toBe(9);
    expect(parsed.feedback!.votes).toEqual({ up: 0, down: 0 });
  });

  it('feedback and questions print their tables', async () => {
    await seed();
    expect(await main(['feedback', 'questions', '--limit', '3'], env())).toBe(0);
    expect(out).toContain('Voted 👎:\n  (none)');
    expect(out).toMatch(/Questions, .*: 9 asked by 5 people, 22% answered\./);
    expect(out).toMatch(/“what about the pope” +2 +0% +2/);
  });

  const url = testDatabaseUrl();
  it.runIf(url)('reads the PostgreSQL question log when DATABASE_URL is set (replicas)', async () => {
    // The public schema of the throwaway test server, as DATABASE_URL alone opens it; emptied after.
    const stores = await openStores({ databasePath: 'unused.db', databaseUrl: url, auditSalt: '' });
    try {
      const start = new Date(Date.now() - 12 * 60 * 60 * 1000);
      const asker = createAsker(createEngine(await shippedCorpus()), stores.audit, createManualClock(start));
      for (const [question, user, platform] of [...GAP_QUESTIONS, ...ANSWERED_QUESTIONS])
        await asker.ask(question, user, platform);
      expect(await main(['gaps', '--since', '7d'], { ...env(), DATABASE_URL: url })).toBe(0);
      expect(out).toMatch(/: 7 declined questions\./);
      expect(out).toMatch(/\n1 {2}Pope \[format\] +3 +3 /);
      expect(out).toMatch(/\n3 {2}China +1 +1 /);
      expect(existsSync(env().DATABASE_PATH)).toBe(false);
    } finally {
      await stores.postgres!.pool.query('DELETE FROM questions; DELETE FROM gap_closures');
      await stores.close();
    }
  });

  it('says so when there is no database yet, and creates none', async () => {
    expect(await main(['gaps'], env())).toBe(0);
    expect(err).toContain('nothing has been asked');
    expect(existsSync(env().DATABASE_PATH)).toBe(false);
  });

  it('refuses unknown reports, bad windows and limits with usage', async () => {
    expect(await usageError(['gapz'])).toContain('Unknown report "gapz"');
    expect(await usageError(['--since', 'tomorrowish'])).toContain('is not a time');
    expect(await usageError(['--limit', '0'])).toContain('--limit');
    expect(await usageError(['--bogus'])).toContain('Usage:');
  });
});
