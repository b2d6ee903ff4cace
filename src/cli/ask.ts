import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Engine } from '../answering/engine.ts';
import { parseSince } from '../answering/intent.ts';
import type { Answer } from '../answering/types.ts';
import { systemClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { type AskResult, type AskService, createAskService } from '../conversation/ask-service.ts';
import { stripControlCharacters } from '../corpus/control-characters.ts';
import { isPeacedeskError, PeacedeskError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { renderText } from '../messages/render-terminal.ts';
import { createCore, describeProblems } from '../runtime.ts';
import { listTopics } from '../topics/topics.ts';
import { exitCodeFor, parseUsage, runCli } from './run-cli.ts';

const USAGE = `Usage:
  npm run ask -- "question"          print the answer as text
  npm run ask -- --json "question"   print the answer object as one JSON line
  npm run ask -- --jsonl             read questions from standard input (one per line),
                                     print one JSON answer per line
  npm run ask -- --compare TOPIC     compare the proposals on a topic (${listTopics()
    .map((t) => t.id)
    .join(', ')})
  npm run ask -- --timeline [TOPIC] [--since YYYY-MM-DD]
                                     the documents in date order, one sentence each
  (--json works with --compare and --timeline too)`;

/**
 * `npm run ask`: answer one question, or a stream of them, from the command line. With `--json`,
 * an expected failure (bad input, bad setup) is a JSON error object on stdout, as `--jsonl` lines
 * are, with the same exit status as without it (2 for bad input, 1 for a broken setup).
 */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const asked: { question?: string } = {};
  try {
    return await run(argv, env, asked);
  } catch (error) {
    if (!argv.includes('--json') || !isPeacedeskError(error)) throw error;
    const failure = { code: error.code, message: error.message };
    process.stdout.write(
      `${JSON.stringify(asked.question === undefined ? { error: failure } : { question: asked.question, error: failure })}\n`,
    );
    return exitCodeFor(error);
  }
}

/**
 * The ask service for a batch tool: platform `cli`, no rate limit (one local caller feeding a file
 * of questions, which a per-minute limit would only stall) and no audit record (scripts and
 * evaluation runs would swamp the question counts digests and reports show).
 */
function cliAsks(engine: Engine, logger: ReturnType<typeof createLogger>): AskService {
  return createAskService({ engine, clock: systemClock, logger, asksPerMinute: {} });
}

let answered = 0;
const asker = () => ({ platform: 'cli' as const, userId: 'cli', answerId: `cli:${++answered}` });

/** The answer of an admitted request; a refusal is the engine's typed error, as before. */
function answerOf(result: AskResult): Answer {
  if (result.ok) return result.answer;
  if (result.reason === 'invalid') throw new PeacedeskError(result.code, result.message);
  // Neither happens here (no limit; dates are read before asking), but say so if they ever do.
  throw new PeacedeskError('usage', result.reason === 'bad-date' ? result.text : 'Try again in a moment.');
}

// Plain text for people: control characters never reach the terminal, each source listed once.
const textOf = (answer: Answer) =>
  stripControlCharacters(renderText(answer, undefined, { groupSources: true }));
// `--json` keeps the `text` field scripts read (the terminal rendering, now made here, not in the engine).
const jsonOf = (answer: Answer) => JSON.stringify({ ...answer, text: renderText(answer) });

async function run(
  argv: string[],
  env: Record<string, string | undefined>,
  asked: { question?: string },
): Promise<number> {
  const { values, positionals } = parseUsage(() => parseArgsStrict(argv), USAGE);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const modes = [values.jsonl, values.compare !== undefined, values.timeline].filter(Boolean).length;
  if (modes > 1)
    throw new PeacedeskError('usage', `Use one of --jsonl, --compare and --timeline.\n\n${USAGE}`);
  if (values.since !== undefined && !values.timeline)
    throw new PeacedeskError('usage', `--since goes with --timeline.\n\n${USAGE}`);
  if (values.compare !== undefined || values.timeline) {
    if (values.compare !== undefined && positionals.length) {
      throw new PeacedeskError(
        'usage',
        `--compare takes one topic; drop "${positionals.join(' ')}".\n\n${USAGE}`,
      );
    }
    if (values.compare?.trim() === '')
      throw new PeacedeskError('usage', `--compare needs a topic.\n\n${USAGE}`);
    const since = values.since === undefined ? undefined : parseSince(values.since, new Date());
    if (values.since !== undefined && !since) {
      throw new PeacedeskError(
        'usage',
        `--since "${values.since}" is not a date (YYYY-MM-DD, "August 2025", …).`,
      );
    }
    const config = loadConfig(env);
    const logger = createLogger('error');
    const core = await createCore(config, logger);
    const asks = cliAsks(core.engine, logger);
    const topic = positionals.join(' ').trim();
    const answer = answerOf(
      values.compare !== undefined
        ? await asks.compare(asker(), values.compare)
        : await asks.timeline(asker(), { ...(topic && { topic }), ...(since && { since }) }),
    );
    process.stdout.write(values.json ? `${jsonOf(answer)}\n` : `${textOf(answer)}\n`);
    return 0;
  }
  if (values.jsonl && positionals.length)
    throw new PeacedeskError(
      'usage',
      `--jsonl reads questions from standard input; drop "${positionals.join(' ')}".\n\n${USAGE}`,
    );
  if (!values.jsonl && positionals.length === 0)
    throw new PeacedeskError('usage', `No question given.\n\n${USAGE}`);

  // Checked before the corpus and the sentence model are loaded, which take a while.
  const question = positionals.join(' ');
  if (!values.jsonl) {
    asked.question = question;
    if (question.trim() === '') throw new PeacedeskError('usage', `The question is blank.\n\n${USAGE}`);
  }
  const config = loadConfig(env);
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : 'error');
  const core = await createCore(config, logger, { semantic: 'candidates' });
  for (const line of describeProblems(core.problems)) process.stderr.write(`warning: ${line}\n`);
  if (core.engine.articles().length === 0)
    process.stderr.write(
      `warning: ${config.corpusDir}/ has no articles, so every question will be declined (see README "Ingesting articles").\n`,
    );

  const asks = cliAsks(core.engine, logger);
  if (values.jsonl) {
    await answerLines(asks);
    return 0;
  }
  const answer = answerOf(await asks.ask(asker(), question));
  process.stdout.write(values.json ? `${jsonOf(answer)}\n` : `${textOf(answer)}\n`);
  return 0;
}

function parseArgsStrict(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
      compare: { type: 'string' },
      timeline: { type: 'boolean' },
      since: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Answer each non-blank stdin line in order; a bad question becomes a JSON error line, not an exit. */
async function answerLines(asks: AskService): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    try {
      process.stdout.write(`${jsonOf(answerOf(await asks.ask(asker(), line)))}\n`);
    } catch (error) {
      if (!isPeacedeskError(error)) throw error;
      process.stdout.write(
        `${JSON.stringify({ question: line, error: { code: error.code, message: error.message } })}\n`,
      );
    }
  }
}

runCli(import.meta.url, main);
