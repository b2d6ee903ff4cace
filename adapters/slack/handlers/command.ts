import { randomUUID } from 'node:crypto';
import type { App, RespondFn, webApi } from '@slack/bolt';
import type { Asker } from '../../../src/conversation/ask-service.ts';
import { type CommandRequest, listTopics, parseCommandText } from '../../../src/conversation/index.ts';
import { isPeacedeskError } from '../../../src/errors.ts';
import { APOLOGY_MESSAGE } from '../../../src/messages/index.ts';
import { helpMessage, noticeMessage, type SlackMessage, sourcesMessage } from '../blocks.ts';
import { slackToPlain } from '../escape.ts';
import { addArticle } from './add.ts';
import { answerQuestion, type SlackHandlerContext } from './context.ts';

/** Answer privately: through the command's response_url, or chat.postEphemeral if that fails. */
async function replyPrivately(
  ctx: SlackHandlerContext,
  respond: RespondFn,
  client: webApi.WebClient,
  where: { channel: string; user: string },
  message: SlackMessage,
): Promise<void> {
  try {
    await respond({ response_type: 'ephemeral', ...message });
  } catch (error) {
    ctx.logger.warn('slack: response_url failed, trying chat.postEphemeral', { error });
    await client.chat.postEphemeral({ ...where, text: message.text, blocks: message.blocks });
  }
}

/**
 * `/peacedesk <question>`, `compare <topic>` and `timeline [topic] [since <date>]` answer privately
 * with a share button; `sources` and `help` list and explain.
 */
export function registerCommandHandler(app: App, ctx: SlackHandlerContext): void {
  app.command(ctx.config.command, async ({ command, ack, respond, client }) => {
    // Slack wants the ack within 3 seconds; the answer follows through response_url.
    await ack();
    const where = { channel: command.channel_id, user: command.user_id };
    const reply = (message: SlackMessage) => replyPrivately(ctx, respond, client, where, message);
    await ctx.track(
      'slash_command',
      async () => {
        const text = slackToPlain(command.text ?? '');
        let request: CommandRequest;
        try {
          request = parseCommandText(text, ctx.clock.now());
        } catch (error) {
          if (isPeacedeskError(error)) return reply(noticeMessage(error.message));
          throw error;
        }
        if (request.kind === 'help') return reply(helpMessage(ctx.config.command, listTopics()));
        if (request.kind === 'sources') return reply(sourcesMessage(ctx.engine.articles()));
        if (request.kind === 'usage') return reply(noticeMessage(request.message));
        if (request.kind === 'add') return reply(await addArticle(ctx, client, request.url, command.user_id));
        const options = { answerId: `cmd-${randomUUID()}`, shareable: true };
        const asker = { userId: command.user_id, workspaceId: command.team_id };
        if (request.kind === 'question')
          return reply(await answerQuestion(asker, options, (a) => ctx.asks.ask(a, request.question)));
        // The audit log keeps the command as typed; the engine names the answer itself.
        const typed = { ...asker, asked: text };
        const run =
          request.kind === 'compare'
            ? (a: Asker) => ctx.asks.compare(a, request.topic)
            : (a: Asker) =>
                ctx.asks.timeline(a, {
                  ...(request.topic && { topic: request.topic }),
                  ...(request.since && { since: request.since }),
                });
        await reply(await answerQuestion(typed, options, run));
      },
      () => reply(noticeMessage(APOLOGY_MESSAGE)),
    );
  });
}
