import { parseArgs } from 'node:util';
import { createEngine, type EngineOptions } from '../answering/engine.ts';
import { loadConfig } from '../config.ts';
import { PeacedeskError } from '../errors.ts';
import { type AblationResult, ablate } from '../eval/ablation.ts';
import { type EvalReport, evaluate } from '../eval/evaluate.ts';
import { loadQuestionSet } from '../eval/question-set.ts';
import { createLogger } from '../logger.ts';
import { loadCorpus } from '../persistence/load-corpus.ts';
import { loadSentenceEncoder } from '../semantic/load-encoder.ts';
import { runCli } from './run-cli.ts';

const USAGE =
  'Usage: npm run eval -- [FILE] [--json] [--no-ablation]   (FILE defaults to eval/questions.json)';

/** `npm run eval`: score the engine on a question set and list every miss. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let args: { values: { json?: boolean; 'no-ablation'?: boolean }; positionals: string[] };
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, 'no-ablation': { type: 'boolean' } },
    });
  } catch (error) {
    throw new PeacedeskError('usage', `${(error as Error).message}\n${USAGE}`);
  }
  if (args.positionals.length > 1) throw new PeacedeskError('usage', USAGE);
  const set = await loadQuestionSet(args.positionals[0] ?? 'eval/questions.json');
  const config = loadConfig(env);
  const logger = createLogger('warn');
  const { documents } = await loadCorpus(config.corpusDir, createLogger('error'));
  // With the sentence model, every engine below shares one set of sentence and question vectors,
  // computed before scoring: the timings are the answers', not the model's.
  const encoder = await loadSentenceEncoder(config.semanticModel, logger);
  const options: EngineOptions = {
    maxCitations: config.maxCitations,
    ...(encoder && { semantic: { encoder, questionVectors: new Map<string, Float32Array>() } }),
  };
  const engine = createEngine(documents, options);
  if (encoder) {
    await engine.embedSentences();
    await engine.embedQuestions([
      ...set.inScope.map((i) => i.q),
      ...set.outOfScope.map((o) => (typeof o === 'string' ? o : o.q)),
    ]);
    options.semantic = { ...options.semantic!, vectors: engine.vectors! };
  }
  const report = evaluate(engine, set);
  const ablations = args.values['no-ablation'] ? [] : ablate(documents, set, report, options);
  if (args.values.json) {
    const { inScope, outOfScope, ...scores } = report;
    const parts = Object.fromEntries(ablations.map((a) => [a.part, a.delta]));
    process.stdout.write(`${JSON.stringify({ ...scores, ablation: parts })}\n`);
  } else {
    process.stdout.write(formatReport(report));
    if (ablations.length) process.stdout.write(formatAblation(ablations));
  }
  return 0;
}

const points = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;

/** What each ranking part bought: percentage points lost when it is switched off. */
export function formatAblation(results: readonly AblationResult[]): string {
  const lines = [
    '',
    'What each part bought (points lost when it is switched off):',
    '| part | top-1 | top-3 | paraphrase top-3 | answered | declined |',
    '|---|---|---|---|---|---|',
    ...results.map(
      ({ part, delta }) =>
        `| ${part} | ${points(delta.top1)} | ${points(delta.top3)} | ${points(delta.paraphraseTop3)} | ${points(delta.answeredRate)} | ${points(delta.declinedRate)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
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
    `off-topic declined:                       ${pct(report.declinedRate)} (hard ones: ${pct(report.hardDeclinedRate)})`,
    `declining: precision ${pct(report.declinePrecision)}, recall ${pct(report.declineRecall)}`,
    `median time per question:                 ${report.medianMs.toFixed(2)} ms (p90 ${report.p90Ms.toFixed(2)} ms)`,
    '',
  ];
  const misses = report.inScope.filter((r) => r.rank !== 1);
  const mark = (r: { paraphrase: boolean }) => (r.paraphrase ? ' (paraphrase)' : '');
  if (misses.length) lines.push('Misses (in scope, right passage not first):');
  for (const miss of misses) {
    lines.push(
      `- ${miss.q}${mark(miss)}`,
      `    want ${miss.doc} /${miss.expect}/ — got ${miss.rank ? `rank ${miss.rank}` : miss.answered ? 'not cited' : 'declined'}`,
    );
    const first = miss.answer.citations[0];
    if (first) lines.push(`    first: [${first.docId}] ${first.snippet.slice(0, 140)}`);
  }
  const wrong = report.outOfScope.filter((r) => !r.declined);
  if (wrong.length) lines.push('', 'Answered although off-topic:');
  for (const r of wrong)
    lines.push(
      `- ${r.q}${r.hard ? ' (hard)' : ''}`,
      `    first: [${r.answer.citations[0]?.docId}] ${r.answer.citations[0]?.snippet.slice(0, 140)}`,
    );
  return `${lines.join('\n')}\n`;
}

runCli(import.meta.url, main);
