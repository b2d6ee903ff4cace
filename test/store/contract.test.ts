import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, createManualClock } from '../../src/clock.ts';
import { createMemoryStores } from '../../src/store/memory-store.ts';
import type {
  AuditLog,
  DeliveryLedger,
  FeedbackStore,
  InsightStore,
  QuestionRecord,
  ThreadStore,
} from '../../src/store/types.ts';
import { backends, type TestDatabase, type TestStoreOptions, type TestStores } from './backends.ts';

const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

type Stores = { feedback: FeedbackStore; audit: AuditLog; ledger: DeliveryLedger };
const implementations: Array<[string, (clock: Clock) => Promise<Stores>]> = [
  ['memory', async (clock) => createMemoryStores({ clock, ledgerTtlMs: 1000 })],
  ...backends().map((backend): [string, (clock: Clock) => Promise<Stores>] => [
    backend.name,
    async (clock) => {
      const db = await backend.create();
      databases.push(db);
      return db.open({ clock, ledgerTtlMs: 1000 });
    },
  ]),
];

// The adapters rely on these behaviours whichever store backs them.
describe.each(implementations)('%s stores behave alike', (_name, make) => {
  it('tallies votes, one per user per answer, changeable', async () => {
    const { feedback } = await make(createManualClock('2026-01-01T00:00:00Z'));
    const base = { platform: 'slack' as const, answerId: 'a' };
    await feedback.recordVote({ ...base, userId: 'u1', value: 'down' });
    await feedback.recordVote({ ...base, userId: 'u2', value: 'down' });
    expect(await feedback.recordVote({ ...base, userId: 'u1', value: 'up' })).toEqual({ up: 1, down: 1 });
  });

  it('ranks folded questions since a time', async () => {
    const { audit } = await make(createManualClock('2026-01-01T00:00:00Z'));
    const ask = (question: string, at: string) =>
      audit.recordQuestion({
        at: new Date(at),
        platform: 'discord',
        userId: 'u',
        question,
        answered: false,
        citedDocIds: [],
        latencyMs: 3,
      });
    await ask('Old question', '2025-12-31T00:00:00Z');
    await ask('Who holds Donbas?', '2026-01-01T01:00:00Z');
    await ask('who holds donbas', '2026-01-01T02:00:00Z');
    await ask('Any ceasefire?', '2026-01-01T03:00:00Z');
    expect(await audit.topQuestions(new Date('2026-01-01T00:00:00Z'), 1)).toEqual([
      { question: 'Who holds Donbas?', count: 2 },
    ]);
  });

  it('claims a delivery once until it expires', async () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const { ledger } = await make(clock);
    expect([await ledger.claim('k'), await ledger.claim('k')]).toEqual([true, false]);
    clock.advance(1001);
    expect(await ledger.claim('k')).toBe(true);
  });
});

type InsightStores = Stores & { insights: InsightStore };
const withInsights: Array<[string, (clock: Clock) => Promise<InsightStores>]> = [
  ['memory', async (clock) => createMemoryStores({ clock, salt: 'contract' })],
  ...backends().map((backend): [string, (clock: Clock) => Promise<InsightStores>] => [
    backend.name,
    async (clock) => {
      const db = await backend.create();
      databases.push(db);
      return db.open({ clock, salt: 'contract' });
    },
  ]),
];

// Coverage reports read questions, votes and closures back the same way from either store.
describe.each(withInsights)('%s stores read the audit log back alike', (_name, make) => {
  const record = (at: string, extra: Partial<QuestionRecord> = {}): QuestionRecord => ({
    at: new Date(at),
    platform: 'slack',
    userId: 'U123',
    question: 'What about the Pope?',
    answered: false,
    citedDocIds: [],
    latencyMs: 4.6,
    ...extra,
  });

  it('returns questions since a time, oldest first, askers hashed, details kept', async () => {
    const { audit, insights } = await make(createManualClock('2026-01-01T00:00:00Z'));
    await audit.recordQuestion(record('2025-12-30T00:00:00Z'));
    await audit.recordQuestion(
      record('2026-01-01T01:00:00Z', {
        question: 'Who holds Donbas?',
        answered: true,
        citedDocIds: ['a'],
        answerId: 'C1-1.2',
        topic: 'territory',
        relatedDocIds: ['b'],
        citations: [{ docId: 'a', snippet: 'Russia holds most of Donbas.' }],
      }),
    );
    await audit.recordQuestion(record('2026-01-01T02:00:00Z', { userId: 'U456' }));
    const rows = await insights.questions(new Date('2026-01-01T00:00:00Z'));
    expect(rows.map((r) => r.question)).toEqual(['Who holds Donbas?', 'What about the Pope?']);
    expect(rows[0]).toMatchObject({
      platform: 'slack',
      questionKey: 'who holds donbas',
      answered: true,
      citedDocIds: ['a'],
      latencyMs: 5,
      answerId: 'C1-1.2',
      topic: 'territory',
      relatedDocIds: ['b'],
      citations: [{ docId: 'a', snippet: 'Russia holds most of Donbas.' }],
    });
    expect(rows[1]).toMatchObject({ answerId: null, topic: null, relatedDocIds: [], citations: [] });
    expect(rows[0]!.askerHash).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0]!.askerHash).not.toBe(rows[1]!.askerHash);
    expect(JSON.stringify(rows)).not.toContain('U123');
    expect((await insights.questions(new Date(0), 1)).map((r) => r.question)).toEqual([
      'What about the Pope?',
    ]);
  });

  it('keeps the Slack workspace of each question and ranks top questions per workspace', async () => {
    const { audit, insights } = await make(createManualClock('2026-01-01T00:00:00Z'));
    await audit.recordQuestion(record('2026-01-01T01:00:00Z', { question: 'Pope?', workspaceId: 'T1' }));
    await audit.recordQuestion(record('2026-01-01T02:00:00Z', { question: 'Donbas?', workspaceId: 'T2' }));
    await audit.recordQuestion(record('2026-01-01T03:00:00Z', { question: 'donbas', workspaceId: 'T2' }));
    await audit.recordQuestion(record('2026-01-01T04:00:00Z', { question: 'DONBAS?', workspaceId: 'T1' }));
    await audit.recordQuestion(record('2026-01-01T05:00:00Z', { question: 'Pope', platform: 'discord' }));
    await audit.recordQuestion(record('2026-01-01T06:00:00Z', { question: 'pope', workspaceId: 'T1' }));
    const since = new Date('2026-01-01T00:00:00Z');
    expect((await insights.questions(since)).map((q) => q.workspaceId)).toEqual([
      'T1',
      'T2',
      'T2',
      'T1',
      null,
      'T1',
    ]);
    // The wording shown is the workspace's own first one.
    expect(await audit.topQuestions(since, 5, 'T1')).toEqual([
      { question: 'Pope?', count: 2 },
      { question: 'DONBAS?', count: 1 },
    ]);
    expect(await audit.topQuestions(since, 5, 'T2')).toEqual([{ question: 'Donbas?', count: 2 }]);
    expect(await audit.topQuestions(since, 5, 'T9')).toEqual([]);
    expect(await audit.topQuestions(since, 5)).toContainEqual({ question: 'Donbas?', count: 3 });
  });

  it('returns votes with hashed voters; a changed vote is one vote', async () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const { feedback, insights } = await make(clock);
    const vote = { platform: 'discord' as const, answerId: 'x1', question: 'Q?' };
    await feedback.recordVote({ ...vote, userId: 'u1', value: 'up' });
    clock.advance(1000);
    await feedback.recordVote({ ...vote, userId: 'u1', value: 'down' });
    await feedback.recordVote({ ...vote, userId: 'u2', value: 'down' });
    const votes = await insights.votes(new Date(0));
    expect(votes.map((v) => [v.answerId, v.value, v.question])).toEqual([
      ['x1', 'down', 'Q?'],
      ['x1', 'down', 'Q?'],
    ]);
    expect(votes[0]!.voterHash).toMatch(/^[0-9a-f]{32}$/);
    expect(await insights.votes(new Date('2026-01-02T00:00:00Z'))).toEqual([]);
  });

  it('keeps the comment of a vote when the same voter votes again without one', async () => {
    const { feedback, insights } = await make(createManualClock('2026-01-01T00:00:00Z'));
    const vote = { platform: 'slack' as const, answerId: 'x2', userId: 'u1' };
    await feedback.recordVote({ ...vote, value: 'down' });
    expect((await insights.votes(new Date(0)))[0]!.comment).toBeNull();
    await feedback.recordVote({ ...vote, value: 'down', comment: 'Wrong figure.' });
    await feedback.recordVote({ ...vote, value: 'down' });
    expect((await insights.votes(new Date(0))).map((v) => v.comment)).toEqual(['Wrong figure.']);
  });

  it('keeps the first closure of a question until it is removed', async () => {
    const { insights } = await make(createManualClock('2026-01-01T00:00:00Z'));
    const closure = {
      questionKey: 'k',
      question: 'K?',
      closedAt: new Date('2026-01-02T00:00:00Z'),
      docId: 'd1',
    };
    await insights.recordClosure(closure);
    await insights.recordClosure({ ...closure, closedAt: new Date('2026-01-03T00:00:00Z'), docId: 'd2' });
    expect(await insights.closures()).toEqual([closure]);
    await insights.removeClosure('k');
    expect(await insights.closures()).toEqual([]);
  });
});

const threadStores: Array<[string, () => Promise<ThreadStore>]> = [
  ['memory', async () => createMemoryStores().threads],
  ...backends().map((backend): [string, () => Promise<ThreadStore>] => [
    backend.name,
    async () => {
      const db = await backend.create();
      databases.push(db);
      return (await db.open()).threads;
    },
  ]),
];

describe.each(threadStores)('%s thread store', (_name, make) => {
  it('keeps a thread per platform and id, and a later save replaces its context', async () => {
    const threads = await make();
    expect(await threads.get('slack', 'C1:1.2')).toBeUndefined();
    const at = new Date('2026-01-01T00:00:00Z');
    await threads.save({ platform: 'slack', threadId: 'C1:1.2', context: '{"a":1}', updatedAt: at });
    await threads.save({ platform: 'discord', threadId: 'C1:1.2', context: '{"b":2}', updatedAt: at });
    const later = new Date('2026-01-02T00:00:00Z');
    await threads.save({ platform: 'slack', threadId: 'C1:1.2', context: '{"a":3}', updatedAt: later });
    expect(await threads.get('slack', 'C1:1.2')).toEqual({
      platform: 'slack',
      threadId: 'C1:1.2',
      context: '{"a":3}',
      updatedAt: later,
    });
    expect((await threads.get('discord', 'C1:1.2'))?.context).toBe('{"b":2}');
  });
});

// What the durable stores (SQLite, PostgreSQL) promise beyond that: the registry, digest runs,
// restarts, and several processes on one database.
describe.each(backends())('$name durable stores', (backend) => {
  const database = async () => {
    const db = await backend.create();
    databases.push(db);
    return db;
  };
  const open = async (options: TestStoreOptions = {}): Promise<TestStores> =>
    (await database()).open(options);

  it('counts one vote per user per answer, and lets a user change it', async () => {
    const { feedback } = await open();
    const vote = { platform: 'discord' as const, answerId: 'a1' };
    expect(await feedback.recordVote({ ...vote, userId: 'u1', value: 'up' })).toEqual({ up: 1, down: 0 });
    expect(await feedback.recordVote({ ...vote, userId: 'u1', value: 'up' })).toEqual({ up: 1, down: 0 });
    expect(await feedback.recordVote({ ...vote, userId: 'u2', value: 'down' })).toEqual({ up: 1, down: 1 });
    expect(await feedback.recordVote({ ...vote, userId: 'u1', value: 'down' })).toEqual({ up: 0, down: 2 });
    expect(await feedback.recordVote({ ...vote, answerId: 'a2', userId: 'u1', value: 'up' })).toEqual({
      up: 1,
      down: 0,
    });
  });

  it('counts folded questions since a time, the first wording shown', async () => {
    const { audit } = await open({ salt: 'pepper' });
    const base = { platform: 'slack' as const, answered: true, citedDocIds: ['a', 'b'], latencyMs: 12.6 };
    const ask = (at: string, userId: string, question: string) =>
      audit.recordQuestion({ ...base, at: new Date(at), userId, question });
    await ask('2026-01-01T09:00:00Z', 'U-SECRET', 'Old?');
    await ask('2026-01-02T09:00:00Z', 'U-SECRET', 'What about NATO?');
    await ask('2026-01-02T10:00:00Z', 'U2', 'what  about nato');
    await ask('2026-01-02T11:00:00Z', 'U3', 'Donbas?');
    expect(await audit.topQuestions(new Date('2026-01-02T00:00:00Z'), 5)).toEqual([
      { question: 'What about NATO?', count: 2 },
      { question: 'Donbas?', count: 1 },
    ]);
  });

  it('claims a delivery key once, and again after it expires', async () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const { ledger } = await open({ clock, ledgerTtlMs: 60_000 });
    expect(await ledger.claim('evt-1')).toBe(true);
    expect(await ledger.claim('evt-1')).toBe(false);
    expect(await ledger.claim('evt-2')).toBe(true);
    clock.advance(61_000);
    expect(await ledger.claim('evt-1')).toBe(true);
    expect(await ledger.claim('evt-1')).toBe(false);
  });

  it('records first seen and last changed, bumping the revision only when something changed', async () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const { documents } = await open({ clock });
    expect(await documents.revision()).toBe(0);
    expect(await documents.sync([{ docId: 'a', contentHash: '1' }])).toEqual({
      revision: 1,
      added: ['a'],
      changed: [],
    });
    clock.advance(1000);
    expect(await documents.sync([{ docId: 'a', contentHash: '1' }])).toEqual({
      revision: 1,
      added: [],
      changed: [],
    });
    expect(
      await documents.sync([
        { docId: 'a', contentHash: '2' },
        { docId: 'b', contentHash: '1' },
      ]),
    ).toEqual({ revision: 2, added: ['b'], changed: ['a'] });
    const [a, b] = await documents.list();
    expect(a).toMatchObject({ docId: 'a', contentHash: '2', addedRevision: 1, changedRevision: 2 });
    expect(a!.firstSeenAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(a!.lastChangedAt.toISOString()).toBe('2026-01-01T00:00:01.000Z');
    expect(b).toMatchObject({ docId: 'b', addedRevision: 2, changedRevision: 2 });
  });

  it('lists documents by id in byte order, removed ones included', async () => {
    const { documents } = await open();
    await documents.sync(['b', 'B', 'a-2', 'a'].map((docId) => ({ docId, contentHash: 'h' })));
    await documents.sync([{ docId: 'a', contentHash: 'h' }]);
    expect((await documents.list()).map((d) => d.docId)).toEqual(['B', 'a', 'a-2', 'b']);
  });

  const key = { platform: 'slack' as const, channelId: 'C1', period: '2026-01-01T08:00:00.000Z' };

  it('lets a period be claimed once, whatever happens to the run', async () => {
    const { digests } = await open();
    const at = new Date('2026-01-01T08:00:01Z');
    expect(await digests.claim({ ...key, corpusRevision: 3, publisher: 'console', at })).toBe(true);
    expect(await digests.claim({ ...key, corpusRevision: 4, publisher: 'console', at })).toBe(false);
    await digests.finish(key, { status: 'failed', error: 'boom', at });
    expect(await digests.claim({ ...key, corpusRevision: 4, publisher: 'console', at })).toBe(false);
    expect(await digests.get(key.platform, key.channelId, key.period)).toMatchObject({
      status: 'failed',
      error: 'boom',
      corpusRevision: 3,
      publisher: 'console',
      messageId: null,
    });
    expect(await digests.get('discord', key.channelId, key.period)).toBeUndefined();
  });

  it('uses the last delivered run as the baseline and abandons stale claims', async () => {
    const { digests } = await open();
    const claim = (period: string, at: string, revision: number) =>
      digests.claim({ ...key, period, corpusRevision: revision, publisher: 'slack', at: new Date(at) });
    await claim('p1', '2026-01-01T08:00:00Z', 1);
    await digests.finish({ ...key, period: 'p1' }, { status: 'posted', messageId: 'm1', at: new Date() });
    await claim('p2', '2026-01-02T08:00:00Z', 2);
    await claim('p3', '2026-01-02T08:30:00Z', 2);
    expect(await digests.lastDelivered('slack', 'C1')).toMatchObject({ period: 'p1', messageId: 'm1' });
    expect(await digests.lastDelivered('discord', 'C1')).toBeUndefined();
    expect(await digests.abandonStale(new Date('2026-01-02T07:00:00Z'))).toEqual([]);
    const abandoned = await digests.abandonStale(new Date('2026-01-02T09:00:00Z'));
    expect(abandoned.map((r) => [r.period, r.status])).toEqual([
      ['p2', 'unknown'],
      ['p3', 'unknown'],
    ]);
    expect(await digests.abandonStale(new Date('2026-01-02T09:00:00Z'))).toEqual([]);
    expect((await digests.list('slack', 'C1')).map((r) => r.status)).toEqual([
      'posted',
      'unknown',
      'unknown',
    ]);
  });

  it('breaks a tie in claim time by claim order for the baseline', async () => {
    const { digests } = await open();
    const at = new Date('2026-01-01T08:00:00Z');
    for (const period of ['x', 'y']) {
      await digests.claim({ ...key, period, corpusRevision: 1, publisher: 'slack', at });
      await digests.finish({ ...key, period }, { status: 'empty', at });
    }
    expect((await digests.lastDelivered('slack', 'C1'))?.period).toBe('y');
    expect((await digests.list('slack', 'C1')).map((r) => r.period)).toEqual(['x', 'y']);
  });

  it('keeps what it recorded across a restart, with the same salt', async () => {
    const db = await database();
    const first = await db.open();
    await first.documents.sync([{ docId: 'a', contentHash: 'h1' }]);
    await first.feedback.recordVote({ platform: 'slack', answerId: 'x', userId: 'U1', value: 'up' });
    await first.close();
    const second = await db.open();
    expect((await second.documents.list()).map((d) => d.docId)).toEqual(['a']);
    expect(await second.documents.revision()).toBe(1);
    // The same user voting again after the restart replaces the vote: the stored salt was reused.
    expect(
      await second.feedback.recordVote({ platform: 'slack', answerId: 'x', userId: 'U1', value: 'down' }),
    ).toEqual({ up: 0, down: 1 });
  });

  it('lets exactly one of several processes claim a period or a delivery', async () => {
    const db = await database();
    const processes = await Promise.all([db.open(), db.open(), db.open()]);
    const at = new Date('2026-01-01T08:00:00Z');
    const periodClaims = await Promise.all(
      processes.flatMap((p) =>
        [1, 2, 3].map(() => p.digests.claim({ ...key, corpusRevision: 1, publisher: 'slack', at })),
      ),
    );
    expect(periodClaims.filter(Boolean)).toHaveLength(1);
    const deliveryClaims = await Promise.all(
      processes.flatMap((p) => ['e1', 'e2', 'e1', 'e2'].map((k) => p.ledger.claim(k))),
    );
    expect(deliveryClaims.filter(Boolean)).toHaveLength(2);
  });

  it('bumps the revision once per change when processes sync at once', async () => {
    const db = await database();
    const [one, two] = await Promise.all([db.open(), db.open()]);
    const results = await Promise.all([
      one!.documents.sync([{ docId: 'a', contentHash: '1' }]),
      two!.documents.sync([{ docId: 'a', contentHash: '1' }]),
    ]);
    expect(results.map((r) => r.added.length).sort()).toEqual([0, 1]);
    expect(await one!.documents.revision()).toBe(1);
  });
});

describe.each(backends())('$name installations', (backend) => {
  it('keeps one installation per workspace, replaced on reinstall, until removed', async () => {
    const db = await backend.create();
    databases.push(db);
    const { installations } = await db.open();
    const install = (workspaceId: string, token: string, at: string) =>
      installations.save({
        platform: 'slack',
        workspaceId,
        data: { team: { id: workspaceId }, bot: { token, scopes: ['chat:write'] }, note: 'it\'s "quoted"' },
        installedAt: new Date(at),
      });
    expect(await installations.get('slack', 'T1')).toBeUndefined();
    await install('T2', 'xoxb-2', '2026-01-01T00:00:00Z');
    await install('T1', 'xoxb-1', '2026-01-01T00:00:00Z');
    await install('T1', 'xoxb-1b', '2026-01-02T00:00:00Z');
    expect(await installations.get('slack', 'T1')).toEqual({
      platform: 'slack',
      workspaceId: 'T1',
      data: { team: { id: 'T1' }, bot: { token: 'xoxb-1b', scopes: ['chat:write'] }, note: 'it\'s "quoted"' },
      installedAt: new Date('2026-01-02T00:00:00Z'),
    });
    expect((await installations.list('slack')).map((i) => i.workspaceId)).toEqual(['T1', 'T2']);
    expect(await installations.list('discord')).toEqual([]);
    expect(await installations.remove('slack', 'T1')).toBe(true);
    expect(await installations.remove('slack', 'T1')).toBe(false);
    expect(await installations.get('slack', 'T1')).toBeUndefined();
  });
});
