import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDigestChannels, parseDigestChannels } from '../../src/digest/channel-config.ts';
import { isPeacedeskError } from '../../src/errors.ts';
import { tempFolder } from '../helpers.ts';

const problemsOf = (json: unknown): string => {
  try {
    parseDigestChannels('digest.config.json', JSON.stringify(json), ['slack', 'discord']);
  } catch (error) {
    if (isPeacedeskError(error, 'invalid_digest_config')) return error.message;
    throw error;
  }
  return '';
};

describe('digest channel config', () => {
  it('parses the shipped example', () => {
    const text = readFileSync(new URL('../../digest.config.example.json', import.meta.url), 'utf8');
    const channels = parseDigestChannels('digest.config.example.json', text);
    expect(channels.map((c) => [c.platform, c.timeZone, c.whenEmpty])).toEqual([
      ['slack', 'Europe/Kyiv', 'say-so'],
      ['discord', 'America/New_York', 'silent'],
    ]);
  });

  it('fills defaults: UTC, say so when empty, three top questions', () => {
    expect(
      parseDigestChannels('f', '{"channels":[{"platform":"slack","channelId":"C1","schedule":"0 8 * * *"}]}'),
    ).toEqual([
      {
        platform: 'slack',
        channelId: 'C1',
        schedule: '0 8 * * *',
        timeZone: 'UTC',
        whenEmpty: 'say-so',
        topQuestions: 3,
        gaps: 0,
      },
    ]);
  });

  it('names each bad field', () => {
    const message = problemsOf({
      channels: [
        { platform: 'teams', channelId: 'C1', schedule: '0 8 * * *' },
        { platform: 'slack', channelId: 'C2', schedule: 'every morning', timeZone: 'Mars/Olympus' },
        { platform: 'slack', channelId: 'C3', schedule: '0 8 * * *', whenEmpty: 'maybe' },
      ],
    });
    expect(message).toContain('Invalid digest config digest.config.json');
    expect(message).toContain('channels.0.platform');
    expect(message).toMatch(/channels\.1\.schedule: must be a cron expression/);
    expect(message).toMatch(/channels\.1\.timeZone: must be an IANA time zone/);
    expect(message).toContain('channels.2.whenEmpty');
  });

  it('rejects a channel listed twice', () => {
    const twice = { platform: 'slack', channelId: 'C3', schedule: '0 8 * * *' };
    expect(problemsOf({ channels: [twice, { ...twice, schedule: '0 9 * * *' }] })).toContain(
      'channels.1.channelId: slack:C3 is listed twice',
    );
  });

  it('reports invalid JSON with the file name', () => {
    expect(() => parseDigestChannels('my.json', '{"channels": [')).toThrow(/my\.json is not valid JSON/);
  });

  it('treats a missing file as no channels', async () => {
    const { dir, cleanup } = await tempFolder({ 'digest.config.json': '{"channels":[]}' });
    try {
      expect(loadDigestChannels(join(dir, 'absent.json'))).toEqual([]);
      expect(loadDigestChannels(join(dir, 'digest.config.json'))).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});
