import { describe, expect, it } from 'vitest';
import { type Clock, createManualClock } from '../../src/clock.ts';
import { createMemoryStores } from '../../src/store/memory-store.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import type {
  AuditLog,
  DeliveryLedger,
  FeedbackStore,
  InsightStore,
  QuestionRecord,
  ThreadStore,
} from '../../src/store/types.ts';

type Stores = { feedback: FeedbackStore; audit: AuditLog; ledger: DeliveryLedger };
const implementations: Array<[string, (clock: Clock) => Stores]> = [
  ['memory', (clock) => createMemoryStores({ clock, ledgerTtlMs: 1000 })],
  ['sqlite', (clock) => openSqliteStores(':memory:', { clock, ledgerTtlMs: 1000 })],
];

// The adapters rely on these behaviours whichever store backs them.
describe.each(implementations)('%s stores behave alike', (_name, make) => {
  it('tallies votes, one per user per answer, changeable', async () => {
    const { feedback } = make(createManualClock('2026-01-01T00:00:00Z'));
    const base = { platform: 'slack' as const, answerId: 'a' };
    await feedback.recordVote({ ...base, userId: 'u1', value: 'down' });
    await feedback.recordVote({ ...base, userId: 'u2', value: 'down' });
    expect(await feedback.recordVote({ ...base, userId: 'u1', value: 'up' })).toEqual({ up: 1, down: 1 });
  });

  it('ranks folded questions since a time', async () => {
    const { audit } = make(createManualClock('2026-01-01T00:00:00Z'));
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
    const { ledger } = make(clock);
    expect([await ledger.claim('k'), await ledger.claim('k')]).toEqual([true, false]);
    clock.advance(1001);
    expect(await ledger.claim('k')).toBe(true);
  });
});

type InsightStores = Stores & { insights: InsightStore };
const withInsights: Array<[string, (clock: Clock) => InsightStores]> = [
  ['memory', (clock) => createMemoryStores({ clock, salt: 'contract' })],
  ['sqlite', (clock) => openSqliteStores(':memory:', { clock, salt: 'contract' })],
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
    const { audit, insights } = make(createManualClock('2026-01-01T00:00:00Z'));
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

  it('returns votes with hashed voters; a changed vote is one vote', async () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const { feedback, insights } = make(clock);
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
    const { feedback, insights } = make(createManualClock('2026-01-01T00:00:00Z'));
    const vote = { platform: 'slack' as const, answerId: 'x2', userId: 'u1' };
    await feedback.recordVote({ ...vote, value: 'down' });
    expect((await insights.votes(new Date(0)))[0]!.comment).toBeNull();
    await feedback.recordVote({ ...vote, value: 'down', comment: 'Wrong figure.' });
    await feedback.recordVote({ ...vote, value: 'down' });
    expect((await insights.votes(new Date(0))).map((v) => v.comment)).toEqual(['Wrong figure.']);
  });

  it('keeps the first closure of a question until it is removed', async () => {
    const { insights } = make(createManualClock('2026-01-01T00:00:00Z'));
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

const threadStores: Array<[string, () => ThreadStore]> = [
  ['memory', () => createMemoryStores().threads],
  ['sqlite', () => openSqliteStores(':memory:').threads],
];

describe.each(threadStores)('%s thread store', (_name, make) => {
  it('keeps a thread per platform and id, and a later save replaces its context', async () => {
    const threads = make();
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
