import type { Engine } from '../../../src/answering/engine.ts';
import type { Clock } from '../../../src/clock.ts';
import type { Asker, AskRefusal, AskResult, AskService } from '../../../src/conversation/ask-service.ts';
import type { LinkAdder } from '../../../src/corpus/link-adder.ts';
import type { Overview } from '../../../src/coverage/overview.ts';
import type { Logger } from '../../../src/logger.ts';
import { rateLimitMessage } from '../../../src/messages/index.ts';
import type { AuditLog, DeliveryLedger, FeedbackStore, ThreadStore } from '../../../src/store/types.ts';
import { type AnswerMessageOptions, answerMessage, noticeMessage, type SlackMessage } from '../blocks.ts';
import type { SlackConfig } from '../config.ts';

/** What the App Home needs: who the editors are and how to build the overview. */
export interface SlackHomeOptions {
  /** Slack user ids who see coverage gaps (SLACK_EDITOR_IDS). */
  editorIds: readonly string[];
  overview(request: { platform: 'slack'; editor: boolean }): Promise<Overview>;
}

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
  /** The ask service: rate limit, answer, audit and remember (every question goes through it). */
  asks: AskService;
  /** The bot's own user and bot ids (from auth.test), to ignore its own messages. */
  bot: { userId: string; botId: string };
  /** Runs a handler body: catches and logs its errors, and lets `stop()` wait for it. */
  track(name: string, work: () => Promise<void>, apologise: () => Promise<unknown>): Promise<void>;
}

/** Slack message options that keep answers compact: no link previews of cited articles. */
export const POST_OPTIONS = { unfurl_links: false, unfurl_media: false } as const;

/**
 * Run a request through the ask service (`ask.ask`, `ask.compare` or `ask.timeline`) and render
 * the answer; a refusal (over the rate limit, input the engine rejects: empty, too long, unknown
 * topic...) becomes its own message. The service records the audit entry.
 */
export async function answerQuestion(
  asker: { userId: string; workspaceId?: string | undefined; asked?: string },
  options: AnswerMessageOptions & { answerId: string },
  run: (asker: Asker) => Promise<AskResult>,
): Promise<SlackMessage> {
  const result = await run({ platform: 'slack', ...asker, answerId: options.answerId });
  return result.ok ? answerMessage(result.answer, options) : refusalMessage(result);
}

/** What Slack says for a request the ask service refused. */
export function refusalMessage(refusal: AskRefusal): SlackMessage {
  if (refusal.reason === 'rate-limited') return noticeMessage(rateLimitMessage(refusal.retryAfterMs / 1000));
  return noticeMessage(refusal.reason === 'invalid' ? refusal.message : refusal.text);
}
