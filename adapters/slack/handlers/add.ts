import type { webApi } from '@slack/bolt';
import { addUsage, NOT_AN_EDITOR_MESSAGE } from '../../../src/messages/index.ts';
import { noticeMessage, type SlackMessage } from '../blocks.ts';
import type { SlackHandlerContext } from './context.ts';

/**
 * Whether a Slack user may add articles: listed by user id, or a member of a listed user group
 * (usergroups.users.list; needs the usergroups:read scope). A group that cannot be read counts as
 * "not a member" and is logged: refusing is the safe mistake.
 */
export async function isSlackEditor(
  ctx: SlackHandlerContext,
  client: webApi.WebClient,
  userId: string,
): Promise<boolean> {
  const ids = ctx.editorIds ?? [];
  if (ids.includes(userId)) return true;
  for (const group of ids.filter((id) => id.startsWith('S'))) {
    try {
      const result = await client.usergroups.users.list({ usergroup: group });
      if (result.users?.includes(userId)) return true;
    } catch (error) {
      ctx.logger.warn('slack: editor group not readable (usergroups:read scope?)', { group, error });
    }
  }
  return false;
}

/** `/peacedesk add <url>`: an editor adds an article; the reply says what was added or why not (always private). */
export async function addArticle(
  ctx: SlackHandlerContext,
  client: webApi.WebClient,
  url: string,
  userId: string,
): Promise<SlackMessage> {
  if (!ctx.links) return noticeMessage('Adding articles from Slack is not set up on this bot.');
  if (!(await isSlackEditor(ctx, client, userId))) return noticeMessage(NOT_AN_EDITOR_MESSAGE);
  if (!url) return noticeMessage(addUsage(`${ctx.config.command} add`));
  const { message } = await ctx.links.add(url, { platform: 'slack', userId });
  return noticeMessage(message);
}
