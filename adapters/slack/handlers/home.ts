import type { App } from '@slack/bolt';
import type { Overview } from '../../../src/coverage/overview.ts';
import { homeView } from '../home-view.ts';
import type { SlackHandlerContext } from './context.ts';

/** What the App Home needs: who the editors are and how to build the overview. */
export interface SlackHomeOptions {
  /** Slack user ids who see coverage gaps (SLACK_EDITOR_IDS). */
  editorIds: readonly string[];
  overview(request: { platform: 'slack'; editor: boolean }): Promise<Overview>;
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
        await client.views.publish({ user_id: event.user, view: homeView(overview) });
      },
      // Nowhere to say sorry on a Home tab; the failure is logged.
      async () => {},
    );
  });
}
