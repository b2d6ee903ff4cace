import { parseSince } from '../answering/intent.ts';
import { resolveTopic } from '../answering/perspectives.ts';
import type { Answer } from '../answering/types.ts';
import type { Clock } from '../clock.ts';
import { questionRecordOf } from '../coverage/record.ts';
import { type ErrorCode, isPeacedeskError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { AuditLog, Platform, ThreadStore } from '../store/types.ts';
import { parseThreadContext, type ThreadContext } from '../threads/context.ts';
import { type ConversationEngine, converse } from '../threads/converse.ts';
import { type AnswerMemory, createAnswerMemory, type RememberedAnswer } from './answer-memory.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';

/** What the ask service needs from the engine. */
export type AskEngine = ConversationEngine & {
  compare(topic: string): Answer;
  timeline(options?: { topic?: string; since?: string }): Answer;
  /**
   * An answer given earlier with what is known of its sources now (copies found and corrections
   * made since), when the engine keeps such notes: a shared answer then says that a sentence it
   * quotes has changed.
   */
  renew?: (answer: Answer) => Answer;
};

/** Who asks, where, and the id the surface gives the answer message (what votes carry). */
export interface Asker {
  platform: Platform;
  userId: string;
  workspaceId?: string | undefined;
  answerId: string;
  /** What to log as the question when it differs from the engine's (a subcommand as typed). */
  asked?: string | undefined;
  /** Runs once the request is admitted and checked, before the engine answers (e.g. a deferral). */
  beforeAnswer?: () => Promise<void>;
}

/** A conversation turn: where it is, and when to save the thread's context. */
export interface ConversationRequest {
  /** The thread asked in, or null for a first question that may open one. */
  threadId: string | null;
  /** `always`: save (and so mark the thread as the bot's); `known`: only a thread saved before. */
  save: 'always' | 'known';
  /** The context to follow on from when the surface keeps it itself (the terminal chat); else the store's. */
  context?: ThreadContext | null;
}

/** Why a request got no answer: over the rate limit, input the engine refuses, or a date it cannot read. */
export type AskRefusal =
  | { ok: false; reason: 'rate-limited'; retryAfterMs: number }
  | { ok: false; reason: 'invalid'; code: ErrorCode; message: string }
  | { ok: false; reason: 'bad-date'; text: string };

/** An answer; in a conversation also the context to keep and a way to save it under a new thread. */
export type AskResult =
  | AskRefusal
  | { ok: true; answer: Answer; context?: ThreadContext; saveThread?: (threadId: string) => Promise<void> };

/** The one door into the core for every surface: limit, check, answer, audit, remember. */
export interface AskService {
  /** A question (a conversation turn when `conversation` is given). */
  ask(asker: Asker, text: string, conversation?: ConversationRequest): Promise<AskResult>;
  /** How the sources compare on a topic. */
  compare(asker: Asker, topic: string): Promise<AskResult>;
  /** The timeline of a topic (or everything), from a date typed by the user or already read. */
  timeline(asker: Asker, options: { topic?: string; since?: string; sinceText?: string }): Promise<AskResult>;
  /** The answer given under an answer id, while it is kept (for votes and Share), with its sources' notes as they are now. */
  recall(answerId: string): RememberedAnswer | undefined;
}

/** Asks per user per minute where the config says nothing (the config's own default is the same). */
export const DEFAULT_ASKS_PER_MINUTE = 6;

/** Settings of the ask service: per-platform asks per minute (a platform not listed is not limited). */
export interface AskServiceOptions {
  engine: AskEngine;
  audit?: AuditLog | undefined;
  clock: Clock;
  logger: Logger;
  threads?: ThreadStore | undefined;
  asksPerMinute: Partial<Record<Platform, number>>;
  /** A platform's limiter when the surface shares it with other commands (it then wins over asksPerMinute). */
  limiters?: Partial<Record<Platform, RateLimiter>>;
  memory?: AnswerMemory;
}

/** Build the ask service every surface calls. */
export function createAskService(options: AskServiceOptions): AskService {
  const { engine, clock, logger } = options;
  const memory = options.memory ?? createAnswerMemory();
  const limiters = new Map<Platform, RateLimiter>();
  for (const [platform, limit] of Object.entries(options.asksPerMinute) as Array<[Platform, number]>)
    limiters.set(platform, createRateLimiter({ limit, clock }));
  for (const [platform, limiter] of Object.entries(options.limiters ?? {}) as Array<[Platform, RateLimiter]>)
    limiters.set(platform, limiter);

  const admit = (asker: Asker): AskRefusal | null => {
    const decision = limiters.get(asker.platform)?.take(asker.userId) ?? { allowed: true };
    return decision.allowed
      ? null
      : { ok: false, reason: 'rate-limited', retryAfterMs: decision.retryAfterMs };
  };

  // Expected failures (PeacedeskError) become refusals; anything else is a bug and propagates.
  const refusing = async <T>(work: () => T | Promise<T>): Promise<T | AskRefusal> => {
    try {
      return await work();
    } catch (error) {
      if (isPeacedeskError(error))
        return { ok: false, reason: 'invalid', code: error.code, message: error.message };
      throw error;
    }
  };

  const record = async (asker: Asker, answer: Answer, started: Date) => {
    memory.remember(asker.answerId, answer);
    if (!options.audit) return;
    // A failing audit log must not cost the answer.
    await options.audit
      .recordQuestion(
        questionRecordOf(answer, {
          platform: asker.platform,
          userId: asker.userId,
          workspaceId: asker.workspaceId,
          answerId: asker.answerId,
          started,
          finished: clock.now(),
          ...(asker.asked !== undefined && { asked: asker.asked }),
        }),
      )
      .catch((error: unknown) =>
        logger.warn(`${asker.platform}: audit record failed`, { answerId: asker.answerId, error }),
      );
  };

  const turn = async (asker: Asker, text: string, conversation: ConversationRequest, today: Date) => {
    const { threadId } = conversation;
    const stored = threadId ? await options.threads?.get(asker.platform, threadId) : undefined;
    const context =
      conversation.context !== undefined ? conversation.context : parseThreadContext(stored?.context);
    const next = await converse(engine, text, context, today);
    const saveThread = async (id: string) => {
      await options.threads?.save({
        platform: asker.platform,
        threadId: id,
        context: JSON.stringify(next.context),
        updatedAt: clock.now(),
      });
    };
    if (threadId && (conversation.save === 'always' || stored)) await saveThread(threadId);
    return { ok: true as const, answer: next.answer, context: next.context, saveThread };
  };

  /** Admit, run the checks, let the surface prepare, answer, then audit and remember. */
  const serve = async (
    asker: Asker,
    check: () => AskRefusal | null,
    produce: (started: Date) => Promise<Extract<AskResult, { ok: true }>>,
  ): Promise<AskResult> => {
    const refused = admit(asker) ?? (await refusing(check));
    if (refused) return refused;
    await asker.beforeAnswer?.();
    const started = clock.now();
    const result = await refusing(() => produce(started));
    if (!result.ok) return result;
    await record(asker, result.answer, started);
    return result;
  };

  return {
    ask: (asker, text, conversation) =>
      serve(
        asker,
        () => null,
        async (started) =>
          conversation
            ? turn(asker, text, conversation, started)
            : { ok: true, answer: await engine.answerAsync(text) },
      ),
    compare: (asker, topic) =>
      serve(
        asker,
        () => {
          resolveTopic(topic);
          return null;
        },
        async () => ({ ok: true, answer: engine.compare(topic) }),
      ),
    timeline(asker, { topic, since: given, sinceText }) {
      let since = given;
      return serve(
        asker,
        () => {
          if (topic) resolveTopic(topic);
          if (sinceText) {
            since = parseSince(sinceText, clock.now()) ?? undefined;
            if (!since) return { ok: false, reason: 'bad-date', text: sinceText };
          }
          return null;
        },
        async () => ({
          ok: true,
          answer: engine.timeline({ ...(topic && { topic }), ...(since && { since }) }),
        }),
      );
    },
    recall: (answerId) => {
      const kept = memory.recall(answerId);
      return kept && engine.renew ? { ...kept, answer: engine.renew(kept.answer) } : kept;
    },
  };
}
