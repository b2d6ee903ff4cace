import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { PeacedeskError } from '../errors.ts';
import { type EvalReport, evaluate } from '../eval/evaluate.ts';
import { loadQuestionSet } from '../eval/question-set.ts';
import { createLogger } from '../logger.ts';
import { createCore } from '../runtime.ts';
import { runCli } from './run-cli.ts';

const USAGE = 'Usage: npm run eval -- [FILE] [--json]   (FILE defaults to eval/questions.json)';

/** `npm run eval`: score the engine on a question set and list every miss. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let args: { values: { json?: boolean }; positionals: string[] };
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  } catch (error) {
    throw new PeacedeskError('usage', `${(error as Error).message}\n${USAGE}`);
  }
  if (args.positionals.length > 1) throw new PeacedeskError('usage', USAGE);
  const set = await loadQuestionSet(args.positionals[0] ?? 'eval/questions.json');
  const config = loadConfig(env);
  const core = await createCore(config, createLogger('error'));
  const report = evaluate(core.engine, set);
  if (args.values.json) {
    const { inScope, outOfScope, ...scores } = report;
    process.stdout.write(`${JSON.stringify(scores)}\n`);
  } else {
    process.stdout.write(formatReport(report));
  }
  return 0;
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/** The human report: the scores, then each miss with what was answered instead. */
export function formatReport(report: EvalReport): string {
  const lines = [
    `in-scope questions: ${report.inScope.length}   off-topic questions: ${report.outOfScope.length}`,
    `top-1 (right article and passage first):  ${pct(report.top1)}`,
    `top-3 (... among the first three):        ${pct(report.top3)}`,
    `paraphrased questions, top-3:             ${pct(report.paraphraseTop3)}`,
    `in-scope answered:                        ${pct(report.answeredRate)}`,
    `off-topic declined:                       ${pct(report.declinedRate)}`,
    `declining: precision ${pct(report.declinePrecision)}, recall ${pct(report.declineRecall)}`,
    `median time per question:                 ${report.medianMs.toFixed(2)} ms`,
    '',
  ];
  const misses = report.inScope.filter((r) => r.rank !== 1);
  if (misses.length) lines.push('Misses (in scope, right passage not first):');
  for (const miss of misses) {
    lines.push(
      `- ${miss.q}`,
      `    want ${miss.doc} /${miss.expect}/ — got ${miss.rank ? `rank ${miss.rank}` : miss.answered ? 'not cited' : 'declined'}`,
    );
    const first = miss.answer.citations[0];
    if (first) lines.push(`    first: [${first.docId}] ${first.snippet.slice(0, 140)}`);
  }
  const wrong = report.outOfScope.filter((r) => !r.declined);
  if (wrong.length) lines.push('', 'Answered although off-topic:');
  for (const r of wrong)
    lines.push(
      `- ${r.q}`,
      `    first: [${r.answer.citations[0]?.docId}] ${r.answer.citations[0]?.snippet.slice(0, 140)}`,
    );
  return `${lines.join('\n')}\n`;
}

runCli(import.meta.url, main);
