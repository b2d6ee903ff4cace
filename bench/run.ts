/**
 * `npm run bench`: build peacedesk's engine over synthetic corpora (1k and 10k articles by
 * default) and measure build time, memory, snapshot size and load time, answer times over 1,000
 * varied questions beside plain MiniSearch, adding one article, and start-up from a snapshot.
 * Each size runs in its own process (clean heap and RSS); the parent prints a table and writes
 * bench/reports/latest.json. Usage: npm run bench -- [--sizes 1000,10000] [--questions 1000]
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { parseDocument } from '../src/corpus/parse-document.ts';
import { createEngine, type Engine } from '../src/engine/engine.ts';
import { loadSnapshot, saveSnapshot, snapshotPath } from '../src/engine/snapshot.ts';
import { isPeacedeskError } from '../src/errors.ts';
import { STOP_WORDS } from '../src/text/stop-words.ts';
import { generateCorpus, generateQuestions } from './generate.ts';

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
  plainMiniSearch: Timing & { buildMs: number };
  plainMiniSearchStopWords: Timing & { buildMs: number };
  ratioToPlain: number;
  ratioToStopWords: number;
  addArticle: Timing;
  /** From process start to the first answer, running the bundle `npm start` runs. */
  startupToFirstAnswerMs: number;
  /** The bundling `npm start` does before that (scripts/build.mjs). */
  bundleMs: number;
  /** The first start, without a snapshot, to the first answer (npm start's way: built in a child from 1k articles). */
  firstStartMs: number;
  /** The bot process's RSS then, and its peak (the child's memory is its own). */
  firstStartRssMB: number;
  firstStartPeakRssMB: number;
  startupRssMB: number;
  questions: number;
  answered: number;
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

async function measureSize(articles: number, questionCount: number): Promise<SizeReport> {
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
        passages: documents.flatMap((d) => engine.passages(d.id).map((p) => ({ id: p.id, text: p.text }))),
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
    const plainMiniSearch = plain({ fields: ['text'] });
    const plainMiniSearchStopWords = plain({
      fields: ['text'],
      processTerm: (term) => {
        const lower = term.toLowerCase();
        return STOP_WORDS.has(lower) ? null : lower;
      },
    });

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
      ) as { ms: number; rssMB: number; peakRssMB: number; restored: boolean };
    // The first start, with no snapshot: as npm start, the index is built in a child process
    // (from 1,000 articles) and the bot restores from the snapshot it saves.
    const firstStart = probe(join(work, 'data-first'), { BENCH_BUILD_ENTRY: join(root, 'dist/main.mjs') });
    if (articles >= 1000 && !firstStart.restored)
      throw new Error('bench: the first start did not build in a child process');
    const startup = probe(dataDir);
    if (!startup.restored) throw new Error('bench: start-up did not use the snapshot');

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
      plainMiniSearch,
      plainMiniSearchStopWords,
      ratioToPlain: round(answer.p50 / plainMiniSearch.p50, 2),
      ratioToStopWords: round(answer.p50 / plainMiniSearchStopWords.p50, 2),
      addArticle: timing(adds),
      startupToFirstAnswerMs: round(startup.ms, 0),
      bundleMs: round(bundleMs, 0),
      firstStartMs: round(firstStart.ms, 0),
      firstStartRssMB: firstStart.rssMB,
      firstStartPeakRssMB: firstStart.peakRssMB,
      startupRssMB: startup.rssMB,
      questions: questions.length,
      answered,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function table(reports: SizeReport[]): string {
  const rows: Array<[string, (r: SizeReport) => string]> = [
    ['passages', (r) => String(r.passages)],
    ['index build', (r) => `${r.buildMs} ms`],
    ['heap / RSS after an in-process build', (r) => `${r.heapMB} / ${r.rssMB} MB`],
    [
      'first start, no snapshot, to first answer (bot process RSS / peak)',
      (r) => `${r.firstStartMs} ms (${r.firstStartRssMB} / ${r.firstStartPeakRssMB} MB)`,
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
      (r) => `${r.plainMiniSearch.p50} / ${r.plainMiniSearch.p99} / ${r.plainMiniSearch.max} ms`,
    ],
    [
      'plain MiniSearch + stop words p50 / p99 / max',
      (r) =>
        `${r.plainMiniSearchStopWords.p50} / ${r.plainMiniSearchStopWords.p99} / ${r.plainMiniSearchStopWords.max} ms`,
    ],
    ['answer p50 ÷ plain / ÷ stop words', (r) => `${r.ratioToPlain}× / ${r.ratioToStopWords}×`],
    ['add one article p50 / max', (r) => `${r.addArticle.p50} / ${r.addArticle.max} ms`],
    ['questions answered (not declined)', (r) => `${r.answered} / ${r.questions}`],
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
      child: { type: 'string' },
      out: { type: 'string', default: new URL('./reports/latest.json', import.meta.url).pathname },
    },
  });
  const questions = Number(values.questions);
  if (values.child) {
    process.stdout.write(`${JSON.stringify(await measureSize(Number(values.child), questions))}\n`);
    return;
  }
  const reports: SizeReport[] = [];
  for (const size of values.sizes.split(',').map(Number)) {
    process.stderr.write(`bench: ${size} articles…\n`);
    const out = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=6144',
        '--import',
        'tsx',
        new URL(import.meta.url).pathname,
        '--child',
        String(size),
        '--questions',
        String(questions),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    reports.push(JSON.parse(out.trim().split('\n').at(-1)!) as SizeReport);
  }
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    note: 'Timings on a shared machine; other processes compete for the CPUs. Answer = the whole engine.answer (retrieval, ranking, snippets); plain MiniSearch = search only.',
    sizes: reports,
  };
  await mkdir(new URL('./reports/', import.meta.url), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${table(reports)}\n\nReport written to ${values.out}\n`);
}

await main();
