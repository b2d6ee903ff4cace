import { describe, expect, it } from 'vitest';
import { isPeacedeskError } from '../src/errors.ts';
import { editorsOf, loadConfigWithAdapters as loadConfig } from './config-with-adapters.ts';

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

describe('loadConfig: links and feeds (issue 16)', () => {
  it('parses the comma lists and the limits', () => {
    const env = {
      FETCH_ALLOW_HOSTS: ' 127.0.0.1, intranet.example ,10.0.0.0/8,,fd00::/8',
      FETCH_TIMEOUT_SECONDS: '5',
      SLACK_EDITOR_IDS: 'U01ABC,S02EDITORS',
      DISCORD_EDITOR_ROLE_IDS: '130000000000000042',
    };
    const config = loadConfig(env);
    expect(config.fetch).toEqual({
      allowHosts: ['127.0.0.1', 'intranet.example', '10.0.0.0/8', 'fd00::/8'],
      timeoutMs: 5000,
      maxBytes: 5_000_000,
    });
    expect(editorsOf(env)).toEqual({
      slackIds: ['U01ABC', 'S02EDITORS'],
      discordRoleIds: ['130000000000000042'],
    });
    expect(loadConfig({}).fetch.allowHosts).toEqual([]);
    expect(loadConfig({}).feeds.configPath).toBe('feeds.config.json');
  });

  it('names a bad entry', () => {
    expect(failure({ FETCH_ALLOW_HOSTS: '10.0.0.0/99' })).toMatch(
      /FETCH_ALLOW_HOSTS\.0: "10\.0\.0\.0\/99" is not a host name, an IP address or a CIDR range/,
    );
    expect(failure({ SLACK_EDITOR_IDS: 'alice' })).toMatch(/SLACK_EDITOR_IDS\.0: must be Slack user ids/);
    expect(failure({ DISCORD_EDITOR_ROLE_IDS: 'editors' })).toMatch(
      /DISCORD_EDITOR_ROLE_IDS\.0: must be numeric Discord role ids/,
    );
  });
});

describe('SEMANTIC_MODEL', () => {
  it('is the shipped sentence model by default, and can be turned off', () => {
    expect(loadConfig({}).semanticModel).toBe('use-lite');
    expect(loadConfig({ SEMANTIC_MODEL: 'off' }).semanticModel).toBe('off');
  });

  it('rejects an unknown model, naming the variable', () => {
    expect(failure({ SEMANTIC_MODEL: 'gpt' })).toMatch(/SEMANTIC_MODEL/);
  });
});

describe('DATABASE_URL', () => {
  it('is off by default and taken as given when it is a postgres:// URL', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: ' postgresql://u:p@127.0.0.1:5432/peacedesk ' }).databaseUrl).toBe(
      'postgresql://u:p@127.0.0.1:5432/peacedesk',
    );
  });

  it('refuses anything else, naming the variable', () => {
    expect(failure({ DATABASE_URL: 'mysql://u@h/db' })).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(failure({ DATABASE_URL: 'postgres://has space@h/db' })).toMatch(/DATABASE_URL/);
  });
});

describe('Slack OAuth installs', () => {
  const oauth = {
    SLACK_CLIENT_ID: '1111.2222',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'a-state-secret-of-some-length',
    SLACK_SIGNING_SECRET: 'signing',
  };

  it('turns Slack on in HTTP mode without a bot token', () => {
    const config = loadConfig(oauth);
    expect(config.slack).toMatchObject({ botToken: '', appToken: undefined, signingSecret: 'signing' });
    expect(config.slack?.oauth).toEqual({
      clientId: '1111.2222',
      clientSecret: 'client-secret',
      stateSecret: 'a-state-secret-of-some-length',
      redirectUri: undefined,
    });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack?.oauth).toBeUndefined();
  });

  it('names every missing or conflicting setting', () => {
    const message = failure({
      SLACK_CLIENT_ID: '1111.2222',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_STATE_SECRET: 'short',
    });
    expect(message).toMatch(/SLACK_CLIENT_SECRET: is required for OAuth installs/);
    expect(message).toMatch(/SLACK_SIGNING_SECRET: is required/);
    expect(message).toMatch(/SLACK_STATE_SECRET: must be at least 16 characters/);
    expect(message).toMatch(/SLACK_BOT_TOKEN: must be empty with SLACK_CLIENT_ID/);
  });
});
