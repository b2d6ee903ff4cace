import type { AdapterDefinition } from '../../src/adapter.ts';
import { type SlackConfig, slackConfigSchema } from './config.ts';

/** Slack (@slack/bolt): Socket Mode with SLACK_APP_TOKEN, the HTTP Events API with SLACK_SIGNING_SECRET. */
export const slackAdapter: AdapterDefinition<SlackConfig> = {
  name: 'slack',
  config: slackConfigSchema,
  kind: 'service',
  describe: (config) =>
    config
      ? `Slack: on (${config.appToken ? 'Socket Mode' : `HTTP on ${config.host}:${config.port}`})`
      : 'Slack: off (set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET to turn it on)',
  async create(config, context) {
    // Loaded only when needed: Bolt is a heavy import for the terminal chat.
    const { createSlackService } = await import('./create-slack-service.ts');
    const { stores } = context;
    const editorIds = config.editorIds ?? [];
    const slack = createSlackService({
      config,
      engine: context.engine,
      feedback: stores.feedback,
      audit: stores.audit,
      ledger: stores.ledger,
      threads: stores.threads,
      // OAuth installs (SLACK_CLIENT_ID): one row per workspace, shared by the replicas.
      installations: stores.installations,
      // Replicas: a question a killed replica was answering is redelivered and answered elsewhere.
      ackAfterAnswer: stores.kind === 'postgres',
      logger: context.logger,
      clock: context.clock,
      home: { editorIds, overview: context.overview },
      links: context.links,
      editorIds,
    });
    return {
      name: slack.name,
      platform: 'slack',
      publisher: slack.publisher,
      start: () => slack.start(),
      stop: () => slack.stop(),
      endpoint() {
        const address = slack.address();
        return (
          address &&
          `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/slack/events`
        );
      },
    };
  },
};
