import { Cron } from 'croner';
import { z } from 'zod';
import { type JsonConfigKind, parseJsonConfig, readJsonConfigText } from '../json-config-file.ts';

const cronExpression = z
  .string()
  .trim()
  .min(1)
  .refine((pattern) => {
    try {
      new Cron(pattern, { paused: true });
      return true;
    } catch {
      return false;
    }
  }, 'must be a cron expression such as "0 8 * * 1-5" (minute hour day-of-month month day-of-week)');

const timeZone = z
  .string()
  .trim()
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as "Europe/Kyiv" or "UTC"');

/** One channel that gets a digest. */
export const digestChannelSchema = z.strictObject({
  /** Which adapter posts it. */
  platform: z.enum(['slack', 'discord']),
  /** The platform's channel id (Slack "C0123ABC", Discord snowflake). */
  channelId: z.string().trim().min(1).max(100),
  /** When to post: a cron expression read in `timeZone`. */
  schedule: cronExpression,
  /** IANA time zone the schedule is read in. Default UTC. */
  timeZone: timeZone.default('UTC'),
  /** With nothing new: post a one-line "nothing new since …" (`say-so`) or nothing (`silent`). */
  whenEmpty: z.enum(['say-so', 'silent']).default('say-so'),
  /** How many most-asked questions to add (0 for none). Default 3. */
  topQuestions: z.number().int().min(0).max(10).default(3),
  /** How many coverage gaps ("Asked but not in the sources") to add (0 for none). Default 0. */
  gaps: z.number().int().min(0).max(10).default(0),
});

/** A validated channel entry of the digest config file. */
export type DigestChannel = z.infer<typeof digestChannelSchema>;

/** The digest config file: `{ "channels": [...] }`. */
export const digestConfigSchema = z
  .strictObject({ $schema: z.string().optional(), channels: z.array(digestChannelSchema) })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.channels.forEach((channel, i) => {
      const key = `${channel.platform}:${channel.channelId}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'channelId'],
          message: `${key} is listed twice`,
        });
      seen.add(key);
    });
  });

const DIGEST_FILE: JsonConfigKind = { label: 'digest config', code: 'invalid_digest_config' };

/**
 * Read and validate the digest channel file. A missing file means no channels; an unreadable or
 * invalid one throws PeacedeskError `invalid_digest_config` naming the file and each problem.
 */
export function loadDigestChannels(path: string): DigestChannel[] {
  const text = readJsonConfigText(path, DIGEST_FILE);
  return text === undefined ? [] : parseDigestChannels(path, text);
}

/** Validate digest config text (see {@link loadDigestChannels}). */
export function parseDigestChannels(path: string, text: string): DigestChannel[] {
  return parseJsonConfig(digestConfigSchema, path, text, DIGEST_FILE).channels;
}
