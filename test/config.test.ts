import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { isPeacedeskError } from '../src/errors.ts';

const failure = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (isPeacedeskError(error, 'invalid_config')) return error.message;
    throw error;
  }
  throw new Error('expected invalid_config');
};

describe('loadConfig', () => {
  it('has working defaults with no environment at all, and freezes the result', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      corpusDir: 'corpus',
      maxCitations: 3,
      slack: undefined,
      discord: undefined,
    });
    expect(config.databasePath).toBe('data/peacedesk.db');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.digest)).toBe(true);
  });

  it('turns on Slack Socket Mode and Discord from their tokens', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      DISCORD_TOKEN: 'abc',
      WATCH_CORPUS: 'false',
    });
    expect(config.slack).toMatchObject({ botToken: 'xoxb-1', appToken: 'xapp-1', command: '/peacedesk' });
    expect(config.discord).toMatchObject({ mode: 'gateway', token: 'abc' });
    expect(config.watchCorpus).toBe(false);
  });

  it('treats empty values as unset (as in a copied .env.example)', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', DISCORD_TOKEN: '' })).toMatchObject({
      slack: undefined,
      discord: undefined,
    });
  });

  it.each([
    [{ MAX_CITATIONS: 'lots' }, /MAX_CITATIONS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_APP_TOKEN: 'xapp-1' }, /SLACK_BOT_TOKEN: must start with "xoxb-"/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET: is required/],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, /SLACK_BOT_TOKEN: is required/],
    [{ DISCORD_MODE: 'http' }, /DISCORD_PUBLIC_KEY: is required[\s\S]*DISCORD_APPLICATION_ID: is required/],
    [{ WATCH_CORPUS: 'maybe' }, /WATCH_CORPUS/],
    [{ SLACK_PORT: '99999' }, /SLACK_PORT/],
    [{ SLACK_HOST: 'every interface' }, /SLACK_HOST: must be an IP address/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(failure(env)).toMatch(message);
  });

  it('listens on 127.0.0.1 unless told otherwise, and reads NO_COLOR', () => {
    const http = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DISCORD_TOKEN: 'abc' };
    const config = loadConfig(http);
    expect(config.slack?.host).toBe('127.0.0.1');
    expect(config.discord?.httpHost).toBe('127.0.0.1');
    expect(config.noColor).toBe(false);
    const open = loadConfig({ ...http, SLACK_HOST: '0.0.0.0', DISCORD_HTTP_HOST: '::', NO_COLOR: '1' });
    expect([open.slack?.host, open.discord?.httpHost, open.noColor]).toEqual(['0.0.0.0', '::', true]);
    expect(loadConfig({ NO_COLOR: '' }).noColor).toBe(false);
  });
});
