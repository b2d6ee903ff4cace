import type { SlackConfig } from '../../../adapters/slack/config.ts';

/** An HTTP-mode Slack config on 127.0.0.1 and port 0; tests pass what differs (secret, fake API URL). */
export function slackConfig(overrides: Partial<SlackConfig> = {}): SlackConfig {
  return {
    botToken: 'xoxb-test',
    appToken: undefined,
    signingSecret: undefined,
    port: 0,
    command: '/peacedesk',
    answerBots: false,
    host: '127.0.0.1',
    apiUrl: undefined,
    ...overrides,
  };
}
