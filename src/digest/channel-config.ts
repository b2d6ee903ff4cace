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

// A platform id is an adapter's registry name; which ones exist is the caller's to say.
const platformId = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be an adapter name such as "slack"');

/** The platform field: any adapter name, or one of `platforms` when the caller lists them. */
function platformField(platforms?: readonly string[]) {
  if (!platforms) return platformId;
  return platformId.refine((platform) => platforms.includes(platform), {
    message: `must be one of ${platforms.map((p) => `"${p}"`).join(', ')} (the adapters that post digests)`,
  });
}

/** One channel that gets a digest, for the given adapters (any adapter name without the list). */
export function digestChannelSchemaFor(platforms?: readonly string[]) {
  return z.strictObject({
    /** Which adapter posts it. */
    platform: platformField(platforms),
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
}

/** One channel that gets a digest (any adapter name as its platform). */
export const digestChannelSchema = digestChannelSchemaFor();

/** A validated channel entry of the digest config file. */
export type DigestChannel = z.infer<typeof digestChannelSchema>;

/** The digest config file, `{ "channels": [...] }`, for the given adapters. */
export const digestConfigSchemaFor = (platforms?: readonly string[]) =>
  z
    .strictObject({ $schema: z.string().optional(), channels: z.array(digestChannelSchemaFor(platforms)) })
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
export function loadDigestChannels(path: string, platforms?: readonly string[]): DigestChannel[] {
  const text = readJsonConfigText(path, DIGEST_FILE);
  return text === undefined ? [] : parseDigestChannels(path, text, platforms);
}

/** Validate digest config text (see {@link loadDigestChannels}); `platforms`: the adapters that post digests. */
export function parseDigestChannels(
  path: string,
  text: string,
  platforms?: readonly string[],
): DigestChannel[] {
  return parseJsonConfig(digestConfigSchemaFor(platforms), path, text, DIGEST_FILE).channels;
}
