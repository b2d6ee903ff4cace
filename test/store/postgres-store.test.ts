import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.ts';
import { isPeacedeskError } from '../../src/errors.ts';
import { POSTGRES_SCHEMA_VERSION } from '../../src/store/postgres-db.ts';
import { openPostgresStores } from '../../src/store/postgres-store.ts';
import { postgresBackend, type TestDatabase, testDatabaseUrl } from './backends.ts';

const url = testDatabaseUrl();
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

async function database(): Promise<TestDatabase> {
  const db = await postgresBackend(url!).create();
  databases.push(db);
  return db;
}

async function rows<T>(db: TestDatabase, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${db.schema}` });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function openError(target: string, options: Parameters<typeof openPostgresStores>[1] = {}) {
  try {
    await (await openPostgresStores(target, options)).close();
  } catch (error) {
    return error;
  }
  return undefined;
}

// PostgreSQL-only behaviour: migrations, connection failures, what is written, leases.
describe.runIf(url)('openPostgresStores', () => {
  it('migrates once when several replicas start together, recording each step', async () => {
    const db = await database();
    await Promise.all([db.open(), db.open(), db.open(), db.open()]);
    const steps = await rows<{ version: number }>(
      db,
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(steps.map((s) => s.version)).toEqual(
      Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    const salts = await rows<{ value: string }>(db, `SELECT value FROM meta WHERE key = 'audit_salt'`);
    expect(salts).toHaveLength(1);
  });

  it('refuses a schema written by a newer peacedesk', async () => {
    const db = await database();
    await (await db.open()).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`INSERT INTO ${db.schema}.schema_migrations (version, name) VALUES (999, 'future')`);
    await client.end();
    const error = await openError(url!, { schema: db.schema! });
    expect(isPeacedeskError(error, 'database_unwritable')).toBe(true);
    expect((error as Error).message).toMatch(/newer than this peacedesk/);
  });

  it('reports an unreachable server naming the URL without its password', async () => {
    const closed = new URL(url!);
    closed.port = '1';
    closed.password = 'hunter2';
    const error = await openError(closed.toString());
    expect(isPeacedeskError(error, 'database_unwritable')).toBe(true);
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('reports a wrong password as a clear error', async () => {
    const wrong = new URL(url!);
    wrong.password = 'not-the-password';
    const error = await openError(wrong.toString());
    expect(isPeacedeskError(error, 'database_unwritable')).toBe(true);
    expect((error as Error).message).toMatch(/password/);
    expect((error as Error).message).not.toContain('not-the-password');
  });

  it('refuses a schema name it would have to quote', async () => {
    const error = await openError(url!, { schema: 'x"; DROP TABLE votes; --' });
    expect(isPeacedeskError(error, 'invalid_config')).toBe(true);
  });

  it('keeps only salted hashes of user ids, and the cited ids as JSON', async () => {
    const db = await database();
    const { audit, feedback } = await db.open({ salt: 'pepper' });
    await audit.recordQuestion({
      at: new Date('2026-01-01T09:00:00Z'),
      platform: 'slack',
      userId: 'U-SECRET',
      question: 'What about NATO?',
      answered: true,
      citedDocIds: ['a', 'b'],
      latencyMs: 12.6,
    });
    await feedback.recordVote({ platform: 'slack', answerId: 'x', userId: 'U-SECRET', value: 'up' });
    const questions = await rows<{ user_hash: string; cited_doc_ids: string[]; latency_ms: number }>(
      db,
      'SELECT user_hash, cited_doc_ids, latency_ms FROM questions',
    );
    const votes = await rows<{ user_hash: string }>(db, 'SELECT user_hash FROM votes');
    for (const { user_hash } of [...questions, ...votes]) {
      expect(user_hash).not.toContain('SECRET');
      expect(user_hash).toHaveLength(32);
    }
    expect(questions[0]).toMatchObject({ cited_doc_ids: ['a', 'b'], latency_ms: 13 });
    // Another salt gives another hash: the salt is really used.
    const other = await (await database()).open({ salt: 'other' });
    await other.feedback.recordVote({ platform: 'slack', answerId: 'x', userId: 'U-SECRET', value: 'up' });
    expect(votes[0]!.user_hash).not.toBe(
      (await rows<{ user_hash: string }>(databases.at(-1)!, 'SELECT user_hash FROM votes'))[0]!.user_hash,
    );
  });

  it('keeps a hostile question verbatim', async () => {
    const db = await database();
    const { audit } = await db.open();
    const question = `'); DROP TABLE questions; -- ${'\u{1F600}'.repeat(100)} ${'x'.repeat(5000)}`;
    await audit.recordQuestion({
      at: new Date('2026-01-01T09:00:00Z'),
      platform: 'discord',
      userId: 'u',
      question,
      answered: false,
      citedDocIds: [],
      latencyMs: 0,
    });
    expect(await audit.topQuestions(new Date('2026-01-01T00:00:00Z'), 1)).toEqual([{ question, count: 1 }]);
  });
});

describe.runIf(url)('PostgreSQL leases', () => {
  it('gives a lease to one holder, renews it for that holder, and hands it over when it expires', async () => {
    const db = await database();
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const [a, b] = await Promise.all([db.open({ clock }), db.open({ clock })]);
    const both = await Promise.all([
      a!.leases!.acquire('digest', 'A', 60_000),
      b!.leases!.acquire('digest', 'B', 60_000),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const [holder, other] = both[0] ? [a!, b!] : [b!, a!];
    const [holderName, otherName] = both[0] ? ['A', 'B'] : ['B', 'A'];
    clock.advance(50_000);
    expect(await holder.leases!.acquire('digest', holderName, 60_000)).toBe(true);
    clock.advance(50_000);
    // Renewed at 50 s, so still held at 100 s.
    expect(await other.leases!.acquire('digest', otherName, 60_000)).toBe(false);
    clock.advance(10_001);
    expect(await other.leases!.acquire('digest', otherName, 60_000)).toBe(true);
    expect(await holder.leases!.acquire('digest', holderName, 60_000)).toBe(false);
    await other.leases!.release('digest', otherName);
    expect(await holder.leases!.acquire('digest', holderName, 60_000)).toBe(true);
    // Releasing a lease one does not hold changes nothing.
    await other.leases!.release('digest', otherName);
    expect(await other.leases!.acquire('digest', otherName, 60_000)).toBe(false);
  });
});

describe.runIf(url)('PostgreSQL delivery ledger across replicas', () => {
  it('lets a redelivery take over a claim only from a replica that died right after claiming', async () => {
    const db = await database();
    const clock = createManualClock('2026-01-01T00:00:00Z');
    // No background heartbeat: the clock alone decides who looks alive.
    const options = { clock, heartbeatMs: 3_600_000 };
    const a = await db.open({ ...options, replicaId: 'A' });
    const b = await db.open({ ...options, replicaId: 'B' });
    expect(await a.ledger.claim('asked')).toBe(true);
    expect(await a.ledger.claim('done-long-ago')).toBe(true);
    expect(await b.ledger.claim('asked')).toBe(false);
    clock.advance(40_000);
    // A is alive at 40 s (it claims something else); the claim at 0 s was surely finished.
    expect(await a.ledger.claim('later')).toBe(true);
    clock.advance(25_000);
    // A has been silent for 25 s: dead. Its 'later' claim (it died within 25 s of it) is taken
    // over; the ones it lived 40 s past are not.
    expect(await b.ledger.claim('later')).toBe(true);
    expect(await b.ledger.claim('asked')).toBe(false);
    expect(await b.ledger.claim('done-long-ago')).toBe(false);
    // And B, alive, keeps what it took.
    expect(await a.ledger.claim('later')).toBe(false);
  });

  it('keeps the claims of a replica that stopped cleanly', async () => {
    const db = await database();
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const options = { clock, heartbeatMs: 3_600_000 };
    const a = await db.open({ ...options, replicaId: 'A' });
    const b = await db.open({ ...options, replicaId: 'B' });
    expect(await a.ledger.claim('k')).toBe(true);
    await a.close();
    clock.advance(25_000);
    expect(await b.ledger.claim('k')).toBe(false);
  });
});
