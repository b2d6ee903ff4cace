/**
 * `npm run bench`: build peacedesk's engine over synthetic corpora (1k and 10k articles by
 * default) and measure build time, memory, snapshot size and load time, answer times over 1,000
 * varied questions beside plain MiniSearch, adding one article, and start-up from a snapshot.
 * Each size runs in its own process (clean heap and RSS); the parent prints a table and writes
 * bench/reports/latest.json. With the sentence model (--semantic on, the default) it also measures
 * the model's costs, fills vectors for up to --fill-budget seconds (default 600; a full fill at
 * 10k articles takes far longer here, so the rest is extrapolated from the measured rate and
 * marked so), answers with it, and watches a first start's fill for --watch-fill seconds.
 * Usage: npm run bench -- [--sizes 1000,10000] [--questions 1000] [--semantic on|off]
 *        [--fill-budget 600] [--watch-fill 30] [--first-start on|off] [--plain on|off] [--heap-mb 6144]
 *        [--out bench/reports/latest.json]
 * --heap-mb sets the heap of each size's process (plain MiniSearch over 100k articles needs more than 6 GB).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { createEngine, type Engine } from '../src/answering/engine.ts';
import { parseDocument } from '../src/corpus/parse-document.ts';
import { isPeacedeskError } from '../src/errors.ts';
import { loadSnapshot, saveSnapshot, snapshotPath } from '../src/persistence/snapshot.ts';
import { STOP_WORDS } from '../src/text/stop-words.ts';
import { generateCorpus, generateQuestions } from './generate.ts';
import { measureSemantic, type SemanticReport } from './semantic.ts';

interface Timing {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** What one corpus size measured. */
export interface SizeReport {
  articles: number;
  passages: number;
  buildMs: number;
  heapMB: number;
  rssMB: number;
  snapshotMB: number;
  snapshotSaveMs: number;
  snapshotLoadMs: number;
  answer: Timing;
  /** The same questions on the engine restored from the snapshot (passages decoded as read). */
  answerRestored: Timing;
  /** Absent with --plain off (plain MiniSearch's Maps over 1.7M sentences outgrow the default 6 GB heap: see --heap-mb). */
  plainMiniSearch?: Timing & { buildMs: number };
  plainMiniSearchStopWords?: Timing & { buildMs: number };
  ratioToPlain?: number;
  ratioToStopWords?: number;
  addArticle: Timing;
  /** From process start to the first answer, running the bundle `npm start` runs. */
  startupToFirstAnswerMs: number;
  /** The bundling `npm start` does before that (scripts/build.mjs). */
  bundleMs: number;
  /**
   * The first start, without a snapshot, to the first answer (npm start's way: built in a child
   * from 1k articles). Absent with --first-start off (a second full build; long at 100k).
   */
  firstStartMs?: number;
  /** The bot process's RSS then, and its peak (the child's memory is its own). */
  firstStartRssMB?: number;
  firstStartPeakRssMB?: number;
  startupRssMB: number;
  questions: number;
  answered: number;
  /** Load averages (1, 5, 15 min) when this size finished (added by the parent process). */
  loadAverage?: string;
  /** The sentence model (absent with --semantic off). */
  semantic?: SemanticReport & {
    /** Start-up from the snapshot with its vectors, the model loaded, to the first answer. */
    startupMs: number;
    /** What the model adds to the bot's RSS: start-up with it minus without, less the vectors loaded. */
    modelRssMB: number;
    startupRssMB: number;
    /** With the vectors a full fill would add (int8, measured bytes per vector), extrapolated. */
    startupRssFullMB: number;
    /** The first start with no snapshot, model on: the first answer (lexical), then the fill in a child. */
    firstStartMs: number;
    firstStartRssMB: number;
    firstStartFillRssMB: number | undefined;
    firstStartProgress: Array<{ atMs: number; line: string }>;
  };
}

/** Options of one size's run. */
interface SizeOptions {
  semantic: boolean;
  /** Measure the first start without a snapshot (a second full build). */
  firstStart: boolean;
  /** Measure plain MiniSearch over the same sentences. */
  plain: boolean;
  fillBudgetS: number;
  watchFillS: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 1024 / 1024);

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    p50: round(at(0.5), 2),
    p99: round(at(0.99), 2),
    max: round(sorted.at(-1)!, 2),
    mean: round(samples.reduce((s, x) => s + x, 0) / samples.length, 2),
  };
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

/** Answer each question once after 50 to warm up; times in ms and how many were answered. */
function timeAnswers(engine: Engine, questions: readonly string[]): { times: number[]; answered: number } {
  const answerOnce = (q: string) => {
    try {
      return engine.answer(q).answered;
    } catch (error) {
      if (isPeacedeskError(error)) return false;
      throw error;
    }
  };
  for (const q of questions.slice(0, 50)) answerOnce(q);
  let answered = 0;
  const times = questions.map((q) => {
    const [ok, ms] = time(() => answerOnce(q));
    if (ok) answered++;
    return ms;
  });
  return { times, answered };
}

async function measureSize(
  articles: number,
  questionCount: number,
  options: SizeOptions,
): Promise<SizeReport> {
  const generated = generateCorpus({ articles: articles + 50 });
  const extra = generated.splice(articles);
  const work = await mkdtemp(join(tmpdir(), 'peacedesk-bench-'));
  try {
    const corpusDir = join(work, 'corpus');
    const dataDir = join(work, 'data');
    await mkdir(corpusDir);
    for (const a of generated) await writeFile(join(corpusDir, `${a.id}.md`), a.text);
    const documents = generated.map((a) => parseDocument(join(corpusDir, `${a.id}.md`), a.text));
    const questions = generateQuestions(generated, questionCount);

    const path = snapshotPath(dataDir);
    // Each phase in its own function, so only one engine is in memory at a time and neither
    // measurement pays for the other's heap.
    const fresh = await (async () => {
      gc();
      const [engine, buildMs] = time(() => createEngine(documents));
      gc();
      const memory = process.memoryUsage();
      const saveStart = performance.now();
      const bytes = await saveSnapshot(path, documents, engine.exportState());
      const snapshotSaveMs = performance.now() - saveStart;
      const answers = timeAnswers(engine, questions);
      const adds = extra.map((a) => {
        const document = parseDocument(join(corpusDir, `${a.id}.md`), a.text);
        return time(() => engine.upsert(document))[1];
      });
      return {
        buildMs,
        memory,
        bytes,
        snapshotSaveMs,
        answers,
        adds,
        passageCount: engine.passageCount - extra.reduce((s, a) => s + engine.passages(a.id).length, 0),
        passages: options.plain
          ? documents.flatMap((d) => engine.passages(d.id).map((p) => ({ id: p.id, text: p.text })))
          : [],
      };
    })();
    const { buildMs, memory, bytes, snapshotSaveMs, adds, passageCount, passages } = fresh;
    const answerTimes = fresh.answers;
    const answered = answerTimes.answered;

    const { snapshotLoadMs, restoredTimes } = await (async () => {
      gc();
      const loadStart = performance.now();
      const loaded = await loadSnapshot(path, documents);
      if (!('state' in loaded)) throw new Error(`bench: snapshot not reusable: ${loaded.reason}`);
      const restored = createEngine(documents, { restore: loaded.state });
      const snapshotLoadMs = performance.now() - loadStart;
      if (restored.passageCount !== passageCount) throw new Error('bench: restored index differs');
      const restoredTimes = timeAnswers(restored, questions);
      if (restoredTimes.answered !== answered) throw new Error('bench: restored index answers differently');
      return { snapshotLoadMs, restoredTimes };
    })();

    // The same passages, searched by plain MiniSearch: default options, then a stop-word filter.
    const plain = (options: ConstructorParameters<typeof MiniSearch>[0]) => {
      gc();
      const [index, ms] = time(() => {
        const m = new MiniSearch(options);
        m.addAll(passages);
        return m;
      });
      for (const q of questions.slice(0, 50)) index.search(q);
      const times = questions.map((q) => time(() => index.search(q))[1]);
      return { ...timing(times), buildMs: round(ms, 0) };
    };
    const plainMiniSearch = options.plain ? plain({ fields: ['text'] }) : undefined;
    const plainMiniSearchStopWords = options.plain
      ? plain({
          fields: ['text'],
          processTerm: (term) => {
            const lower = term.toLowerCase();
            return STOP_WORDS.has(lower) ? null : lower;
          },
        })
      : undefined;

    // Start-up in a fresh process, as `npm start` runs it: bundle (timed, reported beside it),
    // then load config, corpus files and snapshot, and answer one question.
    const root = new URL('..', import.meta.url).pathname;
    const [, bundleMs] = time(() =>
      execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' }),
    );
    const probe = (data: string, env: Record<string, string> = {}) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [join(root, 'dist/bench-startup.mjs'), corpusDir, data, questions[1]!],
          {
            encoding: 'utf8',
            env: { PATH: process.env.PATH ?? '', ...env },
          },
        )
          .trim()
          .split('\n')
          .at(-1)!,
      ) as {
        ms: number;
        rssMB: number;
        peakRssMB: number;
        restored: boolean;
        vectors: number;
        progress: Array<{ atMs: number; line: string }>;
        fillRssMB?: number;
      };
    // The first start, with no snapshot: as npm start, the index is built in a child process
    // (from 1,000 articles) and the bot restores from the snapshot it saves.
    const firstStart = options.firstStart
      ? probe(join(work, 'data-first'), { BENCH_BUILD_ENTRY: join(root, 'dist/main.mjs') })
      : undefined;
    if (firstStart && articles >= 1000 && !firstStart.restored)
      throw new Error('bench: the first start did not build in a child process');
    const startup = probe(dataDir);
    if (!startup.restored) throw new Error('bench: start-up did not use the snapshot');

    let semantic: SizeReport['semantic'];
    if (options.semantic) {
      gc();
      const measured = await measureSemantic(documents, path, questions, options.fillBudgetS, bytes);
      const withModel = probe(dataDir, { BENCH_SEMANTIC: '1' });
      if (!withModel.restored || withModel.vectors !== measured.filled)
        throw new Error('bench: start-up with the model did not restore the vectors');
      const first = probe(join(work, 'data-first-semantic'), {
        BENCH_SEMANTIC: '1',
        BENCH_BUILD_ENTRY: join(root, 'dist/main.mjs'),
        BENCH_FILL_WATCH_MS: String(options.watchFillS * 1000),
      });
      semantic = {
        ...measured,
        startupMs: round(withModel.ms, 0),
        modelRssMB: round(
          withModel.rssMB - startup.rssMB - (measured.filled * measured.snapshotBytesPerSentence) / 1048576,
          0,
        ),
        startupRssMB: withModel.rssMB,
        startupRssFullMB: round(
          withModel.rssMB +
            ((measured.sentences - measured.filled) * measured.snapshotBytesPerSentence) / 1048576,
          0,
        ),
        firstStartMs: round(first.ms, 0),
        firstStartRssMB: first.rssMB,
        firstStartFillRssMB: first.fillRssMB,
        firstStartProgress: first.progress,
      };
    }

    const answer = timing(answerTimes.times);
    return {
      articles,
      passages: passageCount,
      buildMs: round(buildMs, 0),
      heapMB: mb(memory.heapUsed),
      rssMB: mb(memory.rss),
      snapshotMB: mb(bytes),
      snapshotSaveMs: round(snapshotSaveMs, 0),
      snapshotLoadMs: round(snapshotLoadMs, 0),
      answer,
      answerRestored: timing(restoredTimes.times),
      ...(plainMiniSearch &&
        plainMiniSearchStopWords && {
          plainMiniSearch,
          plainMiniSearchStopWords,
          ratioToPlain: round(answer.p50 / plainMiniSearch.p50, 2),
          ratioToStopWords: round(answer.p50 / plainMiniSearchStopWords.p50, 2),
        }),
      addArticle: timing(adds),
      startupToFirstAnswerMs: round(startup.ms, 0),
      bundleMs: round(bundleMs, 0),
      ...(firstStart && {
        firstStartMs: round(firstStart.ms, 0),
        firstStartRssMB: firstStart.rssMB,
        firstStartPeakRssMB: firstStart.peakRssMB,
      }),
      startupRssMB: startup.rssMB,
      questions: questions.length,
      answered,
      ...(semantic && { semantic }),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function semanticRows(reports: SizeReport[]): Array<[string, (r: SizeReport) => string]> {
  if (!reports.some((r) => r.semantic)) return [];
  const s = (fn: (x: NonNullable<SizeReport['semantic']>) => string) => (r: SizeReport) =>
    r.semantic ? fn(r.semantic) : 'off';
  return [
    ['sentence model: load / RSS added', s((x) => `${x.loadMs} ms / ${x.modelRssMB} MB`)],
    [
      'model: ms per sentence alone / in batches',
      s((x) => `${x.msPerSentenceSingle} / ${x.msPerSentenceBatched} ms (batch ${x.batch})`),
    ],
    ['model: embed one question p50 / p99', s((x) => `${x.question.p50} / ${x.question.p99} ms`)],
    [
      'sentence vectors filled (budget)',
      s(
        (x) =>
          `${x.filled} / ${x.sentences} in ${Math.round(x.fillMs / 1000)} s (${x.fillBudgetS} s); all: ~${x.fullFillMinutes} min${x.filled < x.sentences ? ' (extrapolated)' : ''}`,
      ),
    ],
    [
      'answer with the model p50 / p99 / max',
      s((x) => `${x.answer.p50} / ${x.answer.p99} / ${x.answer.max} ms (answered ${x.answered})`),
    ],
    [
      'snapshot with vectors: size / save / load',
      s(
        (x) =>
          `${x.snapshotMB} MB / ${x.snapshotSaveMs} / ${x.snapshotLoadMs} ms (${x.snapshotBytesPerSentence} B a sentence)`,
      ),
    ],
    [
      'start-up with the model, from the snapshot',
      s(
        (x) =>
          `${x.startupMs} ms (RSS ${x.startupRssMB} MB; with all vectors ~${x.startupRssFullMB} MB, extrapolated)`,
      ),
    ],
    [
      'first start with the model, no snapshot, to first answer',
      s(
        (x) =>
          `${x.firstStartMs} ms (RSS ${x.firstStartRssMB} MB, ${x.firstStartFillRssMB ?? '?'} MB while filling); ${x.firstStartProgress.at(-1)?.line ?? 'no progress logged'}`,
      ),
    ],
  ];
}

function table(reports: SizeReport[]): string {
  const rows: Array<[string, (r: SizeReport) => string]> = [
    ['passages', (r) => String(r.passages)],
    ['index build', (r) => `${r.buildMs} ms`],
    ['heap / RSS after an in-process build', (r) => `${r.heapMB} / ${r.rssMB} MB`],
    [
      'first start, no snapshot, to first answer (bot process RSS / peak)',
      (r) =>
        r.firstStartMs === undefined
          ? 'not measured'
          : `${r.firstStartMs} ms (${r.firstStartRssMB} / ${r.firstStartPeakRssMB} MB)`,
    ],
    ['snapshot size', (r) => `${r.snapshotMB} MB`],
    ['snapshot save / load', (r) => `${r.snapshotSaveMs} / ${r.snapshotLoadMs} ms`],
    [
      'start-up from snapshot to first answer',
      (r) => `${r.startupToFirstAnswerMs} ms (RSS ${r.startupRssMB} MB), after ${r.bundleMs} ms bundling`,
    ],
    ['answer p50 / p99 / max', (r) => `${r.answer.p50} / ${r.answer.p99} / ${r.answer.max} ms`],
    [
      'answer after restore p50 / p99 / max',
      (r) => `${r.answerRestored.p50} / ${r.answerRestored.p99} / ${r.answerRestored.max} ms`,
    ],
    [
      'plain MiniSearch p50 / p99 / max',
      (r) =>
        r.plainMiniSearch
          ? `${r.plainMiniSearch.p50} / ${r.plainMiniSearch.p99} / ${r.plainMiniSearch.max} ms`
          : 'not measured',
    ],
    [
      'plain MiniSearch + stop words p50 / p99 / max',
      (r) =>
        r.plainMiniSearchStopWords
          ? `${r.plainMiniSearchStopWords.p50} / ${r.plainMiniSearchStopWords.p99} / ${r.plainMiniSearchStopWords.max} ms`
          : 'not measured',
    ],
    [
      'answer p50 ÷ plain / ÷ stop words',
      (r) => (r.plainMiniSearch ? `${r.ratioToPlain}× / ${r.ratioToStopWords}×` : 'not measured'),
    ],
    ['add one article p50 / max', (r) => `${r.addArticle.p50} / ${r.addArticle.max} ms`],
    ['questions answered (not declined)', (r) => `${r.answered} / ${r.questions}`],
    ...semanticRows(reports),
  ];
  const header = `| | ${reports.map((r) => `${r.articles} articles`).join(' | ')} |`;
  const rule = `|---|${reports.map(() => '---').join('|')}|`;
  return [header, rule, ...rows.map(([name, cell]) => `| ${name} | ${reports.map(cell).join(' | ')} |`)].join(
    '\n',
  );
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      questions: { type: 'string', default: '1000' },
      semantic: { type: 'string', default: 'on' },
      'first-start': { type: 'string', default: 'on' },
      plain: { type: 'string', default: 'on' },
      'fill-budget': { type: 'string', default: '600' },
      'watch-fill': { type: 'string', default: '30' },
      'heap-mb': { type: 'string', default: '6144' },
      child: { type: 'string' },
      out: { type: 'string', default: new URL('./reports/latest.json', import.meta.url).pathname },
    },
  });
  const questions = Number(values.questions);
  if (values.child) {
    const options = {
      semantic: values.semantic !== 'off',
      firstStart: values['first-start'] !== 'off',
      plain: values.plain !== 'off',
      fillBudgetS: Number(values['fill-budget']),
      watchFillS: Number(values['watch-fill']),
    };
    process.stdout.write(`${JSON.stringify(await measureSize(Number(values.child), questions, options))}\n`);
    return;
  }
  const reports: SizeReport[] = [];
  for (const size of values.sizes.split(',').map(Number)) {
    process.stderr.write(`bench: ${size} articles…\n`);
    const out = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        `--max-old-space-size=${Number(values['heap-mb']) || 6144}`,
        '--import',
        'tsx',
        new URL(import.meta.url).pathname,
        '--child',
        String(size),
        '--questions',
        String(questions),
        '--semantic',
        values.semantic,
        '--first-start',
        values['first-start'],
        '--plain',
        values.plain,
        '--fill-budget',
        values['fill-budget'],
        '--watch-fill',
        values['watch-fill'],
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    reports.push({
      ...(JSON.parse(out.trim().split('\n').at(-1)!) as SizeReport),
      loadAverage: loadAverageNow(),
    });
    // Written after each size, so a long run stopped later keeps the sizes that finished.
    await writeReport(values.out, reports, true);
  }
  await writeReport(values.out, reports, false);
  process.stdout.write(`${table(reports)}\n\nReport written to ${values.out}\n`);
}

/** Load averages (1, 5, 15 min) now: how much the CPUs were shared. */
const loadAverageNow = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

async function writeReport(out: string, reports: SizeReport[], partial: boolean) {
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    // Load averages (1, 5, 15 min) when the run ended: how much the CPUs were shared. A string, as
    // a short array would be laid out differently from what the formatter wants.
    loadAverage: loadAverageNow(),
    note: 'Timings on a shared machine; other processes compete for the CPUs. Answer = the whole engine.answer (retrieval, ranking, snippets); plain MiniSearch = search only.',
    ...(partial && { partial: 'written after each size; the run had not finished all sizes' }),
    sizes: reports,
  };
  await mkdir(new URL('./reports/', import.meta.url), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
}

await main();
