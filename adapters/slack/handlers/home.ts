import type { App, webApi } from '@slack/bolt';
import { homeView } from '../home-view.ts';
import type { SlackHandlerContext } from './context.ts';

export type { SlackHomeOptions } from './context.ts';

/** Most channels read for one Home tab (pages of 200). */
const MAX_CHANNEL_PAGES = 10;

/** The ids of the channels a user is in (users.conversations: channels:read, groups:read). */
async function channelsOf(client: webApi.WebClient, user: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_CHANNEL_PAGES; page++) {
    const result = await client.users.conversations({
      user,
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const channel of result.channels ?? []) if (channel.id) ids.add(channel.id);
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return ids;
}

/** `app_home_opened` on the Home tab publishes the user's Home view (`views.publish`). */
export function registerHomeHandler(app: App, ctx: SlackHandlerContext): void {
  const home = ctx.home;
  if (!home) return;
  app.event('app_home_opened', async ({ event, client }) => {
    // The Messages tab is the DM; only the Home tab has a view to publish.
    if (event.tab !== 'home') return;
    await ctx.track(
      'app_home_opened',
      async () => {
        const overview = await home.overview({
          platform: 'slack',
          editor: home.editorIds.includes(event.user),
        });
        // The digests of the channels the user is in; every digest when Slack will not say.
        const mine = await channelsOf(client, event.user).catch((error: unknown) => {
          ctx.logger.warn('slack: could not list the user’s channels for the Home tab', { error });
          return undefined;
        });
        const digests = mine ? overview.digests.filter((d) => mine.has(d.channelId)) : overview.digests;
        await client.views.publish({
          user_id: event.user,
          view: homeView({ ...overview, digests }, mine ? { digestsOfUser: true } : {}),
        });
      },
      // Nowhere to say sorry on a Home tab; the failure is logged.
      async () => {},
    );
  });
}
