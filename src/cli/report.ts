import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createCoverage } from '../coverage/coverage.ts';
import { renderFeedbackReport, renderGapReport, renderQuestionsReport } from '../coverage/render-text.ts';
import { parseReportSince } from '../coverage/since.ts';
import { PeacedeskError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { createCore, describeProblems } from '../runtime.ts';
import { openStores } from '../store/open-stores.ts';
import { parseUsage, runCli } from './run-cli.ts';

const REPORTS = ['gaps', 'feedback', 'questions'] as const;
type ReportName = (typeof REPORTS)[number];

const USAGE = `Usage:
  npm run report [-- gaps|feedback|questions] [--since 7d] [--limit N] [--json]
      gaps       declined questions grouped by what they ask about, and those answered since
      feedback   answers voted 👎 with their citations, top citations rarely voted up, most asked
      questions  questions per day with the answered share, and the most asked
      (no name: all three)
  --since      7d, 24h, 2w, a date (2025-08-01) or a month (August); default 30d
  --limit      rows per list (1-200, default 20)
  --json       one JSON object instead of text tables

Reads the question log in DATABASE_PATH (or DATABASE_URL's PostgreSQL); re-asks declined questions against the corpus in
CORPUS_DIR and records the ones it now answers as closed.`;

/** `npm run report`: coverage gaps, feedback and question volume from the audit log. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values, positionals } = parseUsage(() => parseFlags(argv), USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = positionals.filter((p) => !(REPORTS as readonly string[]).includes(p));
  if (unknown.length)
    throw new PeacedeskError('usage', `Unknown report "${unknown[0]!.slice(0, 40)}".\n\n${USAGE}`);
  const wanted: ReportName[] = positionals.length ? [...new Set(positionals as ReportName[])] : [...REPORTS];
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new PeacedeskError('usage', `--limit must be a whole number from 1 to 200, not "${values.limit}".`);
  const now = new Date();
  const since = parseReportSince(values.since ?? '30d', now);

  const config = loadConfig(env);
  // With DATABASE_URL the question log is the replicas' PostgreSQL; otherwise the SQLite file, if any.
  if (!config.databaseUrl && !existsSync(config.databasePath)) {
    process.stderr.write(
      `No database at ${config.databasePath} yet: nothing has been asked. Start peacedesk (npm start) and ask some questions first.\n`,
    );
    return 0;
  }
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : 'error');
  const core = await createCore(config, logger);
  for (const line of describeProblems(core.problems)) process.stderr.write(`warning: ${line}\n`);
  const stores = await openStores(config);
  try {
    const coverage = createCoverage({ engine: core.engine, insights: stores.insights, logger });
    const window = { since, limit };
    const results: Partial<Record<ReportName, unknown>> = {};
    const texts: string[] = [];
    for (const name of wanted) {
      if (name === 'gaps') {
        const report = await coverage.gaps(window);
        results.gaps = report;
        texts.push(renderGapReport(report));
      } else if (name === 'feedback') {
        const report = await coverage.feedback(window);
        results.feedback = report;
        texts.push(renderFeedbackReport(report));
      } else {
        const report = await coverage.questions(window);
        results.questions = report;
        texts.push(renderQuestionsReport(report));
      }
    }
    process.stdout.write(values.json ? `${JSON.stringify(results)}\n` : `${texts.join('\n\n')}\n`);
    return 0;
  } finally {
    await stores.close();
  }
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

runCli(import.meta.url, main);
