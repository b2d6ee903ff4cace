import type { App } from '@slack/bolt';
import { listTopics, suggestedPrompts } from '../../../src/conversation/index.ts';
import type { SlackHandlerContext } from './context.ts';

/**
 * The agent DM (Messages tab): opening it sets the suggested prompts. The agent experience
 * (`agent_view` in the manifest) takes them per DM, without a thread_ts (Slack ignores calls that
 * carry one), which the typed client method requires, hence the plain API call.
 */
export function registerAgentHandler(app: App, ctx: SlackHandlerContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'messages' || !event.channel) return;
    await ctx.track(
      'suggested_prompts',
      async () => {
        await client.apiCall('assistant.threads.setSuggestedPrompts', {
          channel_id: event.channel,
          title: 'Ask about the peace proposals',
          prompts: suggestedPrompts(ctx.engine.articles(), listTopics()),
        });
      },
      // Nothing to say sorry in: the DM still works without prompts; the failure is logged.
      async () => {},
    );
  });
}
