/**
 * Start-up probe for the benchmark: from process start, load the corpus and the snapshot the way
 * `npm start` does, answer one question, and print the elapsed time and RSS as JSON.
 * `npm run build` bundles it to dist/bench-startup.mjs, which the bench runs with plain node,
 * as `npm start` runs dist/main.mjs. Usage: node dist/bench-startup.mjs CORPUS_DIR DATA_DIR QUESTION
 */
import { buildIndexInChild } from '../src/cli/index-in-child.ts';
import { createLogger } from '../src/logger.ts';
import { createCore } from '../src/runtime.ts';

const [corpusDir, dataDir, question] = process.argv.slice(2);
if (!corpusDir || !dataDir || !question) throw new Error('usage: startup.ts CORPUS_DIR DATA_DIR QUESTION');
let restored = false;
const logger = createLogger('info', (line) => {
  if (line.includes('"index snapshot restored"')) restored = true;
});
// BENCH_BUILD_ENTRY (dist/main.mjs): a missing snapshot is built in a child process, as npm start does.
const entry = process.env.BENCH_BUILD_ENTRY;
const core = await createCore({ corpusDir, dataDir, maxCitations: 3 }, logger, {
  snapshot: true,
  ...(entry && {
    buildSnapshot: {
      run: () => buildIndexInChild(entry, { ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir }),
      fromArticles: 1000,
    },
  }),
});
try {
  core.engine.answer(question);
} catch {
  // A question the engine refuses still counts as answered for start-up time.
}
// performance.now() counts from the start of the process, module loading included.
process.stdout.write(
  `${JSON.stringify({
    ms: performance.now(),
    rssMB: Math.round(process.memoryUsage().rss / 1048576),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    restored,
  })}\n`,
);
