import { describe, expect, it } from 'vitest';
import { type Clock, createManualClock } from '../../src/clock.ts';
import { createMemoryStores } from '../../src/store/memory-store.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import type { AuditLog, DeliveryLedger, FeedbackStore } from '../../src/store/types.ts';

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
