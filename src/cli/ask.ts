import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import type { Engine } from '../engine/engine.ts';
import { isPeacedeskError, PeacedeskError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { createCore, describeProblems } from '../runtime.ts';
import { runCli } from './run-cli.ts';

const USAGE = `Usage:
  npm run ask -- "question"          print the answer as text
  npm run ask -- --json "question"   print the answer object as one JSON line
  npm run ask -- --jsonl             read questions from standard input (one per line),
                                     print one JSON answer per line`;

/** `npm run ask`: answer one question, or a stream of them, from the command line. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let parsed: ReturnType<typeof parseArgsStrict>;
  try {
    parsed = parseArgsStrict(argv);
  } catch (error) {
    throw new PeacedeskError('usage', `${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.jsonl && positionals.length)
    throw new PeacedeskError(
      'usage',
      `--jsonl reads questions from standard input; drop "${positionals.join(' ')}".\n\n${USAGE}`,
    );
  if (!values.jsonl && positionals.length === 0)
    throw new PeacedeskError('usage', `No question given.\n\n${USAGE}`);

  const config = loadConfig(env);
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : 'error');
  const core = await createCore(config, logger);
  for (const line of describeProblems(core.problems)) process.stderr.write(`warning: ${line}\n`);

  if (values.jsonl) {
    await answerLines(core.engine);
    return 0;
  }
  const question = positionals.join(' ');
  if (question.trim() === '') throw new PeacedeskError('usage', `The question is blank.\n\n${USAGE}`);
  const answer = core.engine.answer(question);
  process.stdout.write(values.json ? `${JSON.stringify(answer)}\n` : `${answer.text}\n`);
  return 0;
}

function parseArgsStrict(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, jsonl: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
}

/** Answer each non-blank stdin line in order; a bad question becomes a JSON error line, not an exit. */
async function answerLines(engine: Engine): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    try {
      process.stdout.write(`${JSON.stringify(engine.answer(line))}\n`);
    } catch (error) {
      if (!isPeacedeskError(error)) throw error;
      process.stdout.write(
        `${JSON.stringify({ question: line, error: { code: error.code, message: error.message } })}\n`,
      );
    }
  }
}

runCli(import.meta.url, main);
