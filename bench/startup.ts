/**
 * Start-up probe for the benchmark: from process start, load the corpus and the snapshot the way
 * `npm start` does, answer one question, and print the elapsed time and RSS as JSON.
 * `npm run build` bundles it to dist/bench-startup.mjs, which the bench runs with plain node,
 * as `npm start` runs dist/main.mjs. Usage: node dist/bench-startup.mjs CORPUS_DIR DATA_DIR QUESTION
 * BENCH_SEMANTIC=1 loads the sentence model as npm start does, and with BENCH_FILL_WATCH_MS the
 * probe then fills missing vectors in a child process for that long, recording the progress lines.
 */
import { buildIndexInChild, embedInChild } from '../src/cli/index-in-child.ts';
import { createLogger } from '../src/logger.ts';
import { createCore } from '../src/runtime.ts';
import { createVectorFillService } from '../src/semantic/background-fill.ts';

const [corpusDir, dataDir, question] = process.argv.slice(2);
if (!corpusDir || !dataDir || !question) throw new Error('usage: startup.ts CORPUS_DIR DATA_DIR QUESTION');
let restored = false;
const progress: Array<{ atMs: number; line: string }> = [];
const logger = createLogger('info', (line) => {
  if (line.includes('"index snapshot restored"')) restored = true;
  const msg = (JSON.parse(line) as { msg: string }).msg;
  if (msg.startsWith('sentence vectors:')) progress.push({ atMs: Math.round(performance.now()), line: msg });
});
// BENCH_BUILD_ENTRY (dist/main.mjs): a missing snapshot is built in a child process, as npm start does.
const entry = process.env.BENCH_BUILD_ENTRY;
const semantic = process.env.BENCH_SEMANTIC === '1';
const childEnv = { ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir };
const core = await createCore({ corpusDir, dataDir, maxCitations: 3 }, logger, {
  snapshot: true,
  ...(semantic && { semantic: 'later' as const }),
  ...(entry && {
    buildSnapshot: { run: () => buildIndexInChild(entry, childEnv), fromArticles: 1000 },
  }),
});
try {
  await core.engine.answerAsync(question);
} catch {
  // A question the engine refuses still counts as answered for start-up time.
}
// performance.now() counts from the start of the process, module loading included.
const ms = performance.now();
const rssMB = Math.round(process.memoryUsage().rss / 1048576);
const vectors = core.engine.vectors?.size ?? 0;
const watchMs = Number(process.env.BENCH_FILL_WATCH_MS ?? 0);
let fillRssMB: number | undefined;
if (semantic && entry && watchMs > 0) {
  const fillService = createVectorFillService({
    engine: core.engine,
    logger,
    progressEvery: 1000,
    elsewhere: (texts, onVectors) => embedInChild(entry, texts, onVectors, childEnv),
  });
  await fillService.start();
  await Promise.race([fillService.done, new Promise((resolve) => setTimeout(resolve, watchMs))]);
  fillRssMB = Math.round(process.memoryUsage().rss / 1048576);
  await fillService.stop();
}
process.stdout.write(
  `${JSON.stringify({
    ms,
    rssMB,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    restored,
    vectors,
    progress,
    fillRssMB,
  })}\n`,
);
process.exit(0);
