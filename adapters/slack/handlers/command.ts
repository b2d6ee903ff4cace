import { randomUUID } from 'node:crypto';
import type { App, RespondFn, webApi } from '@slack/bolt';
import { helpMessage, noticeMessage, type SlackMessage, sourcesMessage } from '../blocks.ts';
import { slackToPlain } from '../escape.ts';
import { APOLOGY, answerQuestion, type SlackHandlerContext } from './context.ts';

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

/** `/peacedesk <question>` answers privately with a share button; `sources` and `help` list and explain. */
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
        const keyword = text.toLowerCase();
        if (keyword === '' || keyword === 'help') return reply(helpMessage(ctx.config.command));
        if (keyword === 'sources') return reply(sourcesMessage(ctx.engine.articles()));
        await reply(
          await answerQuestion(ctx, text, command.user_id, {
            answerId: `cmd-${randomUUID()}`,
            shareable: true,
          }),
        );
      },
      () => reply(noticeMessage(APOLOGY)),
    );
  });
}
