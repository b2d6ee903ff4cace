import { readFileSync } from 'node:fs';
import { Cron } from 'croner';
import { z } from 'zod';
import { PeacedeskError } from '../errors.ts';

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

/**
 * Read and validate the feeds file. A missing file means no feeds; an unreadable or invalid one
 * throws PeacedeskError `invalid_feeds_config` naming the file and each problem.
 */
export function loadFeedsConfig(path: string): FeedsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schedule: '*/30 * * * *', feeds: [] };
    throw new PeacedeskError(
      'invalid_feeds_config',
      `Cannot read feeds config ${path}: ${(error as Error).message}`,
      {
        path,
      },
    );
  }
  return parseFeedsConfig(path, text);
}

/** Validate feeds config text (see {@link loadFeedsConfig}). */
export function parseFeedsConfig(path: string, text: string): FeedsConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PeacedeskError(
      'invalid_feeds_config',
      `Feeds config ${path} is not valid JSON: ${(error as Error).message}`,
      { path },
    );
  }
  const parsed = feedsConfigSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`,
    );
    throw new PeacedeskError(
      'invalid_feeds_config',
      `Invalid feeds config ${path}:\n${problems.join('\n')}`,
      {
        path,
      },
    );
  }
  return parsed.data;
}
