/**
 * Time the phases of one full index build at a few sizes, each size in its own process: the
 * synthetic generator, parsing, the build loop split into MiniSearch adds (with sentence
 * analysis) and the periodic packing of postings, exporting the state, and saving the snapshot.
 * The loop is the one createEngine runs; `--schedule fixed` packs every 1,000 articles instead,
 * as builds did before (quadratic). Used to find where a build stops growing linearly.
 * Usage: node --expose-gc --import tsx bench/build-phases.ts [--sizes 10000,20000,40000]
 *        [--schedule growth|fixed]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { packsNow } from '../src/answering/engine.ts';
import { parseDocument } from '../src/corpus/parse-document.ts';
import { saveSnapshot, snapshotPath } from '../src/persistence/snapshot.ts';
import { createPassageIndex } from '../src/search-index/passage-index.ts';
import { generateCorpus } from './generate.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => Math.round(bytes / 1048576);
/** CPU time of the process in ms (all its threads: the garbage collector's helpers too). The
 * machine is shared, so this is steadier than wall time. */
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function measure(articles: number, fixed: boolean) {
  const phases: Record<string, number> = {};
  // Time spent in garbage collection pauses (wall), and the process's CPU time.
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const timed = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const start = cpuNow();
    const result = await fn();
    phases[name] = Math.round((phases[name] ?? 0) + cpuNow() - start);
    return result;
  };
  const generated = await timed('generate', () => generateCorpus({ articles }));
  const documents = await timed('parse', () =>
    generated.map((a) => parseDocument(`/bench/${a.id}.md`, a.text)),
  );
  gc();
  const index = createPassageIndex();
  const compactMs: number[] = [];
  const addMs: number[] = [];
  let blockAdd = 0;
  let packed = 0;
  await timed('build', () => {
    documents.forEach((document, i) => {
      const start = cpuNow();
      index.upsert(document);
      blockAdd += cpuNow() - start;
      if ((i + 1) % 1000 === 0) {
        addMs.push(Math.round(blockAdd));
        blockAdd = 0;
      }
      if (fixed ? (i + 1) % 1000 === 0 : packsNow(i + 1, packed)) {
        packed = i + 1;
        const at = cpuNow();
        index.compact();
        compactMs.push(Math.round(cpuNow() - at));
      }
    });
    const at = cpuNow();
    index.compact();
    compactMs.push(Math.round(cpuNow() - at));
    index.forgetAnalyses();
  });
  phases.add = Math.round(addMs.reduce((s, x) => s + x, blockAdd));
  phases.compact = compactMs.reduce((s, x) => s + x, 0);
  gc();
  const memory = process.memoryUsage();
  const state = await timed('exportState', () => index.exportState());
  const work = await mkdtemp(join(tmpdir(), 'peacedesk-phases-'));
  try {
    const bytes = await timed('save', () => saveSnapshot(snapshotPath(work), documents, state));
    const cpu = process.cpuUsage(cpuStart);
    observer.disconnect();
    return {
      articles,
      passages: index.passageCount,
      wallMs: Math.round(performance.now() - wallStart),
      /** CPU ms per phase. */
      phasesCpuMs: phases,
      gcMs: Math.round(gcMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      packings: compactMs.length,
      // The first, middle and last blocks of 1,000 adds and packings: do they grow with the index?
      addMsSample: [addMs[0], addMs[Math.floor(addMs.length / 2)], addMs.at(-1)],
      compactMsSample: [compactMs[0], compactMs[Math.floor(compactMs.length / 2)], compactMs.at(-1)],
      heapMB: mb(memory.heapUsed),
      rssMB: mb(memory.rss),
      // The process's peak RSS up to here (generation and parsing included).
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      snapshotMB: mb(bytes),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,20000,40000' },
    schedule: { type: 'string', default: 'growth' },
    child: { type: 'string' },
  },
});
if (values.schedule !== 'growth' && values.schedule !== 'fixed')
  throw new Error('build-phases: --schedule is growth or fixed');
if (values.child)
  process.stdout.write(
    `${JSON.stringify({ schedule: values.schedule, ...(await measure(Number(values.child), values.schedule === 'fixed')) })}\n`,
  );
else
  for (const size of values.sizes.split(',').map(Number)) {
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
        '--schedule',
        values.schedule,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    process.stdout.write(out);
  }
