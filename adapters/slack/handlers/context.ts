import type { Clock } from '../../../src/clock.ts';
import type { SlackConfig } from '../../../src/config.ts';
import type { LinkAdder } from '../../../src/corpus/link-adder.ts';
import { questionRecordOf } from '../../../src/coverage/record.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import type { Answer } from '../../../src/engine/types.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import type { Logger } from '../../../src/logger.ts';
import type { AuditLog, DeliveryLedger, FeedbackStore, ThreadStore } from '../../../src/store/types.ts';
import { type AnswerMessageOptions, answerMessage, noticeMessage, type SlackMessage } from '../blocks.ts';
import type { SlackHomeOptions } from './home.ts';

/** What the Slack adapter is given: its settings, the core, the stores, the logger and clock. */
export interface SlackDependencies {
  config: SlackConfig;
  engine: Engine;
  feedback: FeedbackStore;
  audit: AuditLog;
  ledger: DeliveryLedger;
  logger: Logger;
  clock: Clock;
  /** The App Home tab; without it `app_home_opened` is not handled. */
  home?: SlackHomeOptions;
  /** Adds articles from links (`/peacedesk add <url>`); without it the command says adding is off. */
  links?: LinkAdder | undefined;
  /** Slack user ids (U…/W…) and user-group ids (S…) allowed to add articles (SLACK_EDITOR_IDS). */
  editorIds?: readonly string[];
  /** The threads the bot answered in; without it replies in threads need a mention and follow-ups start over. */
  threads?: ThreadStore;
}

/** What every Slack handler needs: the dependencies and who the bot is. */
export interface SlackHandlerContext extends SlackDependencies {
  /** The bot's own user and bot ids (from auth.test), to ignore its own messages. */
  bot: { userId: string; botId: string };
  /** Runs a handler body: catches and logs its errors, and lets `stop()` wait for it. */
  track(name: string, work: () => Promise<void>, apologise: () => Promise<unknown>): Promise<void>;
}

/** Said to the user when a handler fails unexpectedly (the details go to the log). */
export const APOLOGY = 'Sorry, something went wrong answering that. Please try again in a moment.';

/** Slack message options that keep answers compact: no link previews of cited articles. */
export const POST_OPTIONS = { unfurl_links: false, unfurl_media: false } as const;

/**
 * Ask the engine (`answer(question)` unless `ask` says otherwise: a comparison or a timeline) and
 * render the answer; input the engine rejects (empty, too long, unknown topic...) becomes its own
 * message. Records the question (or the subcommand) in the audit log.
 */
export async function answerQuestion(
  ctx: SlackHandlerContext,
  question: string,
  asker: { userId: string; workspaceId?: string | undefined },
  options: AnswerMessageOptions,
  ask?: () => Answer,
): Promise<SlackMessage> {
  const started = ctx.clock.now();
  let answer: Answer;
  try {
    answer = ask ? ask() : await ctx.engine.answerAsync(question);
  } catch (error) {
    if (isPeacedeskError(error)) return noticeMessage(error.message);
    throw error;
  }
  const message = answerMessage(answer, options);
  await ctx.audit
    .recordQuestion(
      questionRecordOf(answer, {
        platform: 'slack',
        userId: asker.userId,
        workspaceId: asker.workspaceId,
        answerId: options.answerId,
        started,
        finished: ctx.clock.now(),
        // A subcommand is logged as typed ("compare territory"); a question as the engine read it.
        ...(ask ? { asked: question } : {}),
      }),
    )
    .catch((error: unknown) => ctx.logger.warn('slack: audit record failed', { error }));
  return message;
}
