import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createCoverage } from '../coverage/coverage.ts';
import { type DigestChannel, loadDigestChannels } from '../digest/channel-config.ts';
import { createDigestComposer } from '../digest/compose.ts';
import { createConsolePublisher } from '../digest/console-publisher.ts';
import { renderDigestText } from '../digest/render-digest.ts';
import { createDigestScheduler } from '../digest/scheduler.ts';
import { PeacedeskError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { createCore, describeProblems } from '../runtime.ts';
import { openStores } from '../store/open-stores.ts';
import { openSqliteStores } from '../store/sqlite-store.ts';
import { runCli } from './run-cli.ts';

const USAGE = `Usage:
  npm run digest -- --preview [--channel ID] [--since YYYY-MM-DD]
      print the digest a channel would get next; nothing is posted or recorded. Without
      --channel (or for a channel with no digest yet) it covers the whole corpus; --since
      lists articles published or updated on or after that date instead
  npm run digest -- --now --channel ID
      post the channel's digest now and record it (through the console publisher when the
      channel's platform adapter is not running, as in this command)

Channels are read from DIGEST_CONFIG (default digest.config.json; see digest.config.example.json).`;

/** `npm run digest`: preview a digest, or post one now. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let values: ReturnType<typeof parseFlags>['values'];
  try {
    ({ values } = parseFlags(argv));
  } catch (error) {
    throw new PeacedeskError('usage', `${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (Boolean(values.preview) === Boolean(values.now))
    throw new PeacedeskError('usage', `Give exactly one of --preview or --now.\n\n${USAGE}`);
  if (values.now && !values.channel)
    throw new PeacedeskError('usage', `--now needs --channel ID.\n\n${USAGE}`);
  if (values.now && values.since)
    throw new PeacedeskError('usage', `--since only applies to --preview.\n\n${USAGE}`);
  if (values.since !== undefined && !isDate(values.since))
    throw new PeacedeskError('usage', `--since must be a date written YYYY-MM-DD, not "${values.since}".`);

  const config = loadConfig(env);
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : 'error');
  const channels = loadDigestChannels(config.digest.configPath);
  const channel =
    values.channel === undefined
      ? undefined
      : findChannel(channels, values.channel, config.digest.configPath);
  const core = await createCore(config, logger);
  for (const line of describeProblems(core.problems)) process.stderr.write(`warning: ${line}\n`);

  if (values.preview) {
    // A preview never creates the database; an existing one is only read.
    // With DATABASE_URL the shared PostgreSQL is used (its tables are created if missing; nothing is recorded).
    const stores = config.databaseUrl
      ? await openStores(config)
      : existsSync(config.databasePath)
        ? openSqliteStores(config.databasePath, { salt: config.auditSalt, readonly: true })
        : undefined;
    try {
      const composer = createDigestComposer({
        engine: core.engine,
        documents: stores?.documents,
        digests: stores?.digests,
        audit: stores?.audit,
        // A preview writes nothing: gaps that close are computed, not recorded.
        coverage:
          stores && createCoverage({ engine: core.engine, insights: stores.insights, persist: false }),
        corrections: stores?.live,
      });
      const { digest } = await composer.compose({
        platform: channel?.platform ?? 'terminal',
        channelId: channel?.channelId ?? 'preview',
        record: false,
        sinceDate: values.since,
        timeZone: channel?.timeZone ?? 'UTC',
        topQuestions: channel?.topQuestions ?? 3,
        gaps: channel?.gaps ?? 0,
      });
      process.stdout.write(`${renderDigestText(digest)}\n`);
      process.stderr.write('(preview: nothing was posted or recorded)\n');
    } finally {
      await stores?.close();
    }
    return 0;
  }

  const target = channel!;
  const stores = await openStores(config);
  try {
    process.stderr.write(
      `The ${target.platform} adapter does not run inside this command: the digest for ${target.channelId} is printed by the console publisher and recorded as that channel's digest.\n`,
    );
    const scheduler = createDigestScheduler({
      channels: [target],
      composer: createDigestComposer({
        engine: core.engine,
        documents: stores.documents,
        digests: stores.digests,
        audit: stores.audit,
        coverage: createCoverage({ engine: core.engine, insights: stores.insights }),
        corrections: stores.live,
      }),
      digests: stores.digests,
      publishers: {},
      fallback: createConsolePublisher(),
      graceMinutes: config.digest.graceMinutes,
      logger,
    });
    const result = await scheduler.postNow(target);
    if (result.outcome === 'failed') {
      process.stderr.write(`The digest could not be posted (recorded as failed for ${result.period}).\n`);
      return 1;
    }
    process.stderr.write(
      result.outcome === 'posted'
        ? `Recorded ${result.period} for ${target.platform} channel ${target.channelId} (message ${result.messageId}).\n`
        : `Nothing new and the channel is set to stay silent: recorded ${result.period}, nothing posted.\n`,
    );
    return 0;
  } finally {
    await stores.close();
  }
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      preview: { type: 'boolean' },
      now: { type: 'boolean' },
      channel: { type: 'string' },
      since: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function isDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
  );
}

function findChannel(channels: readonly DigestChannel[], id: string, path: string): DigestChannel {
  const matches = channels.filter((c) => c.channelId === id || `${c.platform}:${c.channelId}` === id);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw new PeacedeskError(
      'usage',
      `Channel ${id} is configured on ${matches.length} platforms; write ${matches.map((c) => `${c.platform}:${id}`).join(' or ')}.`,
    );
  const known = channels.map((c) => `${c.platform}:${c.channelId}`).join(', ');
  throw new PeacedeskError(
    'usage',
    `Channel ${id} is not in ${path} (${known ? `configured: ${known}` : 'no channels are configured'}).`,
  );
}

runCli(import.meta.url, main);
