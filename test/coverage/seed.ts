import type { Engine } from '../../src/answering/engine.ts';
import type { Answer } from '../../src/answering/types.ts';
import { createManualClock } from '../../src/clock.ts';
import { createAskService } from '../../src/conversation/ask-service.ts';
import { silentLogger } from '../../src/logger.ts';
import type { AuditLog, Platform } from '../../src/store/types.ts';
import { makeDocument } from '../helpers.ts';

type ManualClock = ReturnType<typeof createManualClock>;

/** Declined over the shipped corpus: three ask about Brazil, three about the Pope, one about China. */
export const GAP_QUESTIONS = [
  ['What does the plan say about Brazil?', 'reporter-1', 'slack'],
  ['Is Brazil a mediator in the talks?', 'reporter-2', 'discord'],
  ['What about the Pope?', 'reporter-1', 'slack'],
  ['what is the role of brazil in the peace talks', 'reporter-3', 'slack'],
  ['What did the Pope say about the talks?', 'reporter-2', 'discord'],
  ['what about the pope', 'reporter-3', 'slack'],
  ['What role does China play?', 'reporter-2', 'slack'],
] as const;

/** Answered over the shipped corpus. */
export const ANSWERED_QUESTIONS = [
  ['What does the US draft say about NATO?', 'reporter-1', 'slack'],
  ['How many troops would Ukraine keep?', 'reporter-4', 'discord'],
] as const;

/** An article that answers the Brazil questions. */
export const BRAZIL_ARTICLE = makeDocument(
  '2026-01-30-brazil-mediation',
  'Brazil offered to mediate the peace talks between Russia and Ukraine. President Lula said Brazil would act as a mediator and host the talks in Brasilia.',
  { title: 'Brazil offers to mediate the peace talks', source: 'Test Wire', published: '2026-01-30' },
);

/**
 * Asks questions through the ask service (the one door every surface uses: it answers and writes
 * the audit record), an hour apart; no rate limit, so a test may ask as often as it likes.
 */
export function createAsker(
  engine: Engine,
  audit: AuditLog,
  clock: ManualClock = createManualClock('2026-02-01T08:00:00Z'),
) {
  const service = createAskService({ engine, audit, clock, logger: silentLogger, asksPerMinute: {} });
  let n = 0;
  return {
    clock,
    service,
    async ask(
      question: string,
      userId: string,
      platform: Platform = 'slack',
    ): Promise<{ answer: Answer; answerId: string }> {
      const answerId = `answer-${++n}`;
      const result = await service.ask({ platform, userId, answerId }, question);
      if (!result.ok)
        throw new Error(`the ask service refused ${JSON.stringify(question)}: ${result.reason}`);
      clock.advance(60 * 60 * 1000);
      return { answer: result.answer, answerId };
    },
  };
}
