import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers.ts';
import { type Backend, backends, type TestDatabase, testDatabaseUrl } from '../store/backends.ts';

const CHILD = fileURLToPath(new URL('./fixtures/digest-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ChildRun {
  killed: boolean;
  steps: string[];
}

// The same SIGKILL scenario against each durable backend: SQLite always, PostgreSQL when available.
describe.each(backends())('digest survives SIGKILL at any step ($name)', (backend: Backend) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let db: TestDatabase;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempFolder({}));
    db = await backend.create();
  });
  afterAll(async () => {
    await db.drop();
    await cleanup();
  });
  const location = () => (backend.name === 'sqlite' ? join(dir, 'peacedesk.db') : db.location);

  /** Run the digest child at `now`; when it reports `pauseAt`, kill it with SIGKILL. */
  function runChild(now: string, pauseAt?: string, holder?: string): Promise<ChildRun> {
    return new Promise((resolve, reject) => {
      const args = [location(), join(dir, 'posts.jsonl'), now, pauseAt ?? '', db.schema ?? '', holder ?? ''];
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('paused\n')) child.kill('SIGKILL');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
        else resolve({ killed: signal === 'SIGKILL', steps: stdout.split('\n').filter(Boolean) });
      });
    });
  }

  const posted = (): string[] => {
    const file = join(dir, 'posts.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { period: string }).period);
  };

  const statusOf = async (period: string): Promise<string | undefined> => {
    if (backend.name === 'sqlite') {
      const sqlite = new Database(location(), { readonly: true });
      const row = sqlite.prepare('SELECT status FROM digest_runs WHERE period = ?').get(period) as
        | { status: string }
        | undefined;
      sqlite.close();
      return row?.status;
    }
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string }>(
        `SELECT status FROM ${db.schema}.digest_runs WHERE period = $1`,
        [period],
      );
      return rows[0]?.status;
    } finally {
      await client.end();
    }
  };

  it('never posts a period twice and posts a missed period once', { timeout: 120_000 }, async () => {
    // Day 1: killed before claiming; the restart (still within grace) posts it.
    expect((await runChild('2026-02-01T08:00:05Z', 'before-claim')).killed).toBe(true);
    expect(posted()).toEqual([]);
    expect((await runChild('2026-02-01T08:30:00Z')).steps).toContain('done ["posted"]');
    expect(posted()).toEqual(['2026-02-01T08:00:00.000Z']);

    // Day 2: killed after claiming, before posting. At-most-once at this point: never re-posted.
    expect((await runChild('2026-02-02T08:00:05Z', 'after-claim')).killed).toBe(true);
    expect((await runChild('2026-02-02T08:30:00Z')).steps).toContain('done ["already-claimed"]');
    expect(posted()).not.toContain('2026-02-02T08:00:00.000Z');
    expect(await statusOf('2026-02-02T08:00:00.000Z')).toBe('unknown');

    // Day 3: killed after posting, before marking it posted: the restart does not post again.
    expect((await runChild('2026-02-03T08:00:05Z', 'after-post')).killed).toBe(true);
    expect(posted().filter((p) => p === '2026-02-03T08:00:00.000Z')).toHaveLength(1);
    expect((await runChild('2026-02-03T08:20:00Z')).steps).toContain('done ["already-claimed"]');

    // Day 4: killed after marking (a clean finish, then a hard stop); a restart is a no-op.
    expect((await runChild('2026-02-04T08:00:05Z', 'after-mark')).killed).toBe(true);
    expect(await statusOf('2026-02-04T08:00:00.000Z')).toBe('posted');
    await runChild('2026-02-04T08:05:00Z');

    // Day 5: down at 08:00, started at 09:45 (within the 2 h grace): posted once, even by two processes at once.
    const both = await Promise.all([runChild('2026-02-05T09:45:00Z'), runChild('2026-02-05T09:45:00Z')]);
    expect(both.map((r) => r.steps.at(-1)).sort()).toEqual(['done ["already-claimed"]', 'done ["posted"]']);

    // Day 6: down until 10:30, past the grace time: skipped, not posted late.
    await runChild('2026-02-06T10:30:00Z');

    // Day 7: killed after claiming, restarted a minute later (not 15): marked unknown at once, with a warning.
    expect((await runChild('2026-02-07T08:00:05Z', 'after-claim')).killed).toBe(true);
    expect(await statusOf('2026-02-07T08:00:00.000Z')).toBe('posting');
    const restart = await runChild('2026-02-07T08:01:00Z');
    expect(restart.steps).toContain('done ["already-claimed"]');
    expect(restart.steps).toContainEqual(
      expect.stringMatching(/^warn digest run interrupted mid-post; marked unknown/),
    );
    expect(await statusOf('2026-02-07T08:00:00.000Z')).toBe('unknown');
    if (backend.name === 'postgres') {
      // Day 8, with the schedule lease: the holder is killed before claiming. Within the lease's
      // 60 s another replica does nothing; after it, that replica takes over and posts once.
      expect((await runChild('2026-02-08T08:00:05Z', 'before-claim', 'replica-1')).killed).toBe(true);
      expect((await runChild('2026-02-08T08:00:30Z', undefined, 'replica-2')).steps).toEqual(['done []']);
      expect((await runChild('2026-02-08T08:01:10Z', undefined, 'replica-2')).steps).toContain(
        'done ["posted"]',
      );
    }

    const periods = posted();
    expect(periods).toEqual([
      '2026-02-01T08:00:00.000Z',
      '2026-02-03T08:00:00.000Z',
      '2026-02-04T08:00:00.000Z',
      '2026-02-05T08:00:00.000Z',
      ...(backend.name === 'postgres' ? ['2026-02-08T08:00:00.000Z'] : []),
    ]);
    expect(new Set(periods).size).toBe(periods.length);
  });
});
