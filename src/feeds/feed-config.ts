import { Cron } from 'croner';
import { z } from 'zod';
import { type JsonConfigKind, parseJsonConfig, readJsonConfigText } from '../json-config-file.ts';

/** One followed feed. */
export const feedSchema = z.strictObject({
  /** The RSS or Atom feed's address (http or https). */
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// feed address' }),
  /** A name for logs and reports ("Reuters World"). Default: the feed's host. */
  name: z.string().trim().min(1).max(100).optional(),
  /** The outlet to cite for its articles when their pages do not name one. */
  source: z.string().trim().min(1).max(200).optional(),
});

/** A validated feed entry. */
export type FeedEntry = z.infer<typeof feedSchema>;

/** The feeds file: `{ "schedule": "*\/30 * * * *", "feeds": [...] }`. */
export const feedsConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** When to poll every feed: a cron expression (UTC). Default every 30 minutes. */
    schedule: z
      .string()
      .trim()
      .refine((pattern) => {
        try {
          new Cron(pattern, { paused: true });
          return true;
        } catch {
          return false;
        }
      }, 'must be a cron expression such as "*/30 * * * *"')
      .default('*/30 * * * *'),
    feeds: z.array(feedSchema).max(500),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.feeds.forEach((feed, i) => {
      if (seen.has(feed.url))
        ctx.addIssue({ code: 'custom', path: ['feeds', i, 'url'], message: `${feed.url} is listed twice` });
      seen.add(feed.url);
    });
  });

/** The feeds to follow and when. */
export type FeedsConfig = z.infer<typeof feedsConfigSchema>;

const FEEDS_FILE: JsonConfigKind = { label: 'feeds config', code: 'invalid_feeds_config' };

/**
 * Read and validate the feeds file. A missing file means no feeds; an unreadable or invalid one
 * throws PeacedeskError `invalid_feeds_config` naming the file and each problem.
 */
export function loadFeedsConfig(path: string): FeedsConfig {
  const text = readJsonConfigText(path, FEEDS_FILE);
  return text === undefined ? { schedule: '*/30 * * * *', feeds: [] } : parseFeedsConfig(path, text);
}

/** Validate feeds config text (see {@link loadFeedsConfig}). */
export function parseFeedsConfig(path: string, text: string): FeedsConfig {
  return parseJsonConfig(feedsConfigSchema, path, text, FEEDS_FILE);
}
