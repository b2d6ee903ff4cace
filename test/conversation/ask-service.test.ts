import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/answering/engine.ts';
import type { Answer } from '../../src/answering/types.ts';
import { createManualClock } from '../../src/clock.ts';
import { createAnswerMemory } from '../../src/conversation/answer-memory.ts';
import { type Asker, type AskService, createAskService } from '../../src/conversation/ask-service.ts';
import { silentLogger } from '../../src/logger.ts';
import { createMemoryStores } from '../../src/store/memory-store.ts';
import type { Platform } from '../../src/store/types.ts';
import { shippedEngine } from '../helpers.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

function setup(asksPerMinute: Partial<Record<Platform, number>> = { slack: 2, discord: 2, terminal: 2 }) {
  const clock = createManualClock('2025-12-01T12:00:00Z');
  const stores = createMemoryStores({ clock });
  const asks = createAskService({
    engine,
    audit: stores.audit,
    threads: stores.threads,
    clock,
    logger: silentLogger,
    asksPerMinute,
  });
  return { clock, stores, asks };
}

let ids = 0;
const asker = (platform: Platform, userId = 'U1', extra: Partial<Asker> = {}): Asker => ({
  platform,
  userId,
  answerId: `a${++ids}`,
  ...extra,
});

async function answered(asks: AskService, who: Asker, text: string): Promise<Answer> {
  const result = await asks.ask(who, text);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.answer;
}

describe('createAskService', () => {
  it('refuses empty, huge and unknown-topic input with the engine message, without throwing or auditing', async () => {
    const { asks, stores } = setup();
    const empty = await asks.ask(asker('slack'), '   ');
    expect(empty).toMatchObject({ ok: false, reason: 'invalid', code: 'empty_question' });
    const huge = await asks.ask(asker('discord'), 'nato '.repeat(5000));
    expect(huge).toMatchObject({ ok: false, reason: 'invalid', code: 'question_too_long' });
    const topic = await asks.compare(asker('terminal'), 'bananas');
    expect(topic).toMatchObject({ ok: false, reason: 'invalid', code: 'unknown_topic' });
    if (!topic.ok && topic.reason === 'invalid') expect(topic.message).toMatch(/bananas/);
    const date = await asks.timeline(asker('discord'), { sinceText: 'the 45th of Nevember' });
    expect(date).toEqual({ ok: false, reason: 'bad-date', text: 'the 45th of Nevember' });
    expect(stores.audit.records).toHaveLength(0);
  });

  it.each(['slack', 'discord', 'terminal'] as const)(
    'limits each %s user per minute, with a retry-after',
    async (platform) => {
      const { asks, clock } = setup();
      await answered(asks, asker(platform), 'What does the US draft say about NATO?');
      clock.advance(20_000);
      await answered(asks, asker(platform), 'What about territory?');
      const refused = await asks.compare(asker(platform), 'nato');
      expect(refused).toEqual({ ok: false, reason: 'rate-limited', retryAfterMs: 40_000 });
      // Another user, and the same user a minute after the first ask, are let through.
      expect((await asks.ask(asker(platform, 'U2'), 'NATO?')).ok).toBe(true);
      clock.advance(40_000);
      expect((await asks.compare(asker(platform), 'nato')).ok).toBe(true);
    },
  );

  it('does not limit a platform it has no limit for, and runs beforeAnswer only when admitted', async () => {
    const { asks } = setup({ discord: 1 });
    for (let i = 0; i < 3; i++) expect((await asks.ask(asker('slack'), 'NATO?')).ok).toBe(true);
    const ran: string[] = [];
    const first = await asks.ask(
      asker('discord', 'U1', { beforeAnswer: async () => void ran.push('1') }),
      'NATO?',
    );
    const second = await asks.ask(
      asker('discord', 'U1', { beforeAnswer: async () => void ran.push('2') }),
      'NATO?',
    );
    expect([first.ok, second.ok, ran]).toEqual([true, false, ['1']]);
  });

  it('records one audit entry per answer, with deduped doc ids, the asker and the command as typed', async () => {
    const { asks, stores } = setup();
    const answer = await answered(
      asks,
      asker('slack', 'U9', { workspaceId: 'T1', answerId: 'cmd-1' }),
      'What does the US draft say about NATO?',
    );
    const compared = await asks.compare(
      asker('terminal', 'me', { asked: 'compare nato', answerId: 't-1' }),
      'nato',
    );
    expect(compared.ok).toBe(true);
    const [first, second] = stores.audit.records;
    expect(stores.audit.records).toHaveLength(2);
    expect(first).toMatchObject({
      platform: 'slack',
      workspaceId: 'T1',
      answerId: 'cmd-1',
      question: answer.question,
      answered: answer.answered,
      topic: 'nato',
    });
    expect(first?.citedDocIds).toEqual([...new Set(answer.citations.map((c) => c.docId))]);
    expect(new Set(first?.citedDocIds).size).toBe(first?.citedDocIds.length);
    expect(first?.citations).toHaveLength(answer.citations.length);
    expect(second).toMatchObject({ platform: 'terminal', answerId: 't-1', question: 'compare nato' });
    expect(second?.workspaceId).toBeUndefined();
  });

  it('remembers answers by id for votes and Share, and forgets the oldest past its bound', async () => {
    const { asks } = setup({});
    const answer = await answered(asks, asker('discord', 'U1', { answerId: 'keep-me' }), 'NATO?');
    expect(asks.recall('keep-me')).toEqual({ question: answer.question, answer });
    expect(asks.recall('never-given')).toBeUndefined();
    const memory = createAnswerMemory(2);
    memory.remember('x', answer);
    memory.remember('y', answer);
    memory.remember('z', answer);
    expect([memory.recall('x'), memory.recall('y')?.question, memory.recall('z')?.question]).toEqual([
      undefined,
      answer.question,
      answer.question,
    ]);
  });

  it('answers a follow-up in a thread with its context, saving it as asked', async () => {
    const { asks, stores } = setup({});
    const first = await asks.ask(asker('slack'), 'What does the US draft say about NATO?', {
      threadId: 'C1:1',
      save: 'always',
    });
    expect(first.ok && first.context).toBeTruthy();
    expect(await stores.threads.get('slack', 'C1:1')).toBeDefined();
    const follow = await asks.ask(asker('slack'), 'and territory?', { threadId: 'C1:1', save: 'always' });
    if (!follow.ok) throw new Error('refused');
    expect(follow.answer.followsOn).toBeDefined();
    // `known`: a thread never saved stays unsaved until the surface saves it under its new id.
    const opening = await asks.ask(asker('discord'), 'NATO?', { threadId: null, save: 'known' });
    if (!opening.ok) throw new Error('refused');
    expect(await stores.threads.get('discord', 'T-new')).toBeUndefined();
    await opening.saveThread?.('T-new');
    expect(await stores.threads.get('discord', 'T-new')).toBeDefined();
  });
});
