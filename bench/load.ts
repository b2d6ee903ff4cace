/**
 * `npm run load`: the whole service under load, on this machine only. Three peacedesk replicas
 * (`src/main.ts`, Slack in HTTP mode, each with its own corpus folder and data folder) share one
 * PostgreSQL database; a fake Slack on 127.0.0.1 sends events in bursts through a round-robin
 * "load balancer", redelivers some of them to another replica, and SIGKILLs one replica mid-run.
 * It checks every question was answered exactly once, that no digest period was posted twice, and
 * that an article added on one replica reached the others; then it stops everything and writes
 * bench/reports/load-latest.json. Bounded: it gives up after --timeout seconds.
 * Usage: npm run load -- --database-url postgres://… [--events 2000] [--burst 100] [--interval 2500]
 *   [--redeliver 0.15] [--timeout 300]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { eventCallback, FAKE, signSlackRequest, startFakeSlack } from '../test/adapters/slack/fake-slack.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SECRET = 'load-test-signing-secret';
const QUESTIONS = [
  'What does the US draft say about NATO?',
  'What did Putin ask for after the Alaska summit?',
  'Who would hold Donbas under the proposals?',
  'Is there a ceasefire along the front line?',
  'What security guarantees are offered to Ukraine?',
  'What happens to frozen Russian assets?',
  'How large would the Ukrainian army be?',
  'What did Russia demand in March?',
];

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    events: { type: 'string', default: '2000' },
    burst: { type: 'string', default: '100' },
    redeliver: { type: 'string', default: '0.15' },
    timeout: { type: 'string', default: '300' },
    interval: { type: 'string', default: '2500' },
  },
});
const adminUrl = values['database-url'];
if (!adminUrl?.startsWith('postgres')) {
  process.stderr.write(
    'Usage: npm run load -- --database-url postgres://user:password@127.0.0.1:5432/postgres\n',
  );
  process.exit(2);
}
const EVENTS = Number(values.events);
const BURST = Number(values.burst);
const REDELIVER = Number(values.redeliver);
const INTERVAL = Number(values.interval);
const deadline = Date.now() + Number(values.timeout) * 1000;
const pastDeadline = () => Date.now() > deadline;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

// A database of its own, dropped at the end.
const dbName = `peacedesk_load_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const databaseUrl = url.toString();

const work = await mkdtemp(join(tmpdir(), 'peacedesk-load-'));
const fake = await startFakeSlack();
await writeFile(
  join(work, 'digest.json'),
  JSON.stringify({
    channels: [{ platform: 'slack', channelId: 'CDIGEST', schedule: '* * * * *', whenEmpty: 'say-so' }],
  }),
);

interface Replica {
  name: string;
  port: number;
  corpus: string;
  child: ChildProcess;
  alive: boolean;
  log: string;
}

const startReplica = async (name: string): Promise<Replica> => {
  const dir = join(work, name);
  const corpus = join(dir, 'corpus');
  await mkdir(dir, { recursive: true });
  await cp(join(ROOT, 'corpus'), corpus, { recursive: true });
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    CORPUS_DIR: corpus,
    DATA_DIR: join(dir, 'data'),
    DATABASE_URL: databaseUrl,
    DIGEST_CONFIG: join(work, 'digest.json'),
    DIGEST_GRACE_MINUTES: '5',
    LOG_LEVEL: 'warn',
    // One token per replica (the fake accepts any): tells which replica posted each answer.
    SLACK_BOT_TOKEN: `xoxb-load-${name}`,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_PORT: String(port),
    SLACK_API_URL: fake.apiUrl,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const replica: Replica = { name, port, corpus, child, alive: true, log: '' };
  child.stderr!.on('data', (chunk: Buffer) => {
    if (replica.log.length < 200_000) replica.log += chunk.toString();
  });
  child.on('exit', () => {
    replica.alive = false;
  });
  // Ready when the events endpoint answers.
  for (;;) {
    if (pastDeadline() || !replica.alive) throw new Error(`${name} did not start:\n${replica.log}`);
    const ok = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' }).then(
      () => true,
      () => false,
    );
    if (ok) return replica;
    await sleep(200);
  }
};

const replicas: Replica[] = [];
// When each answer reached the fake Slack: its calls are scanned every 10 ms.
const answerArrivals = new Map<string, number>();
let scanned = 0;
const sampler = setInterval(() => {
  for (; scanned < fake.calls.length; scanned++) {
    const call = fake.calls[scanned]!;
    if (call.method !== 'chat.postMessage' || call.body.channel !== 'CLOAD') continue;
    const ts = String(call.body.thread_ts);
    if (!answerArrivals.has(ts)) answerArrivals.set(ts, Date.now());
  }
}, 10);
let failure: unknown;
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  events: EVENTS,
  burst: BURST,
  redeliverShare: REDELIVER,
};
try {
  const started = Date.now();
  for (const name of ['r1', 'r2', 'r3']) replicas.push(await startReplica(name));
  report.startupMs = Date.now() - started;

  // Delivery as Slack does it behind a load balancer: round robin over live replicas; a refused or
  // dropped connection is retried on the next one with x-slack-retry-num, as Slack's own retries.
  let next = 0;
  const deliveries: Array<{ retries: number; replica: string; ts: string }> = [];
  const deliver = async (body: Record<string, unknown>, retryNum = 0): Promise<void> => {
    const raw = JSON.stringify(body);
    for (let attempt = retryNum; attempt < retryNum + 6; attempt++) {
      const live = replicas.filter((r) => r.alive);
      const target = live[next++ % live.length]!;
      try {
        const response = await fetch(`http://127.0.0.1:${target.port}/slack/events`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...signSlackRequest(SECRET, raw),
            ...(attempt
              ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': 'http_error' }
              : {}),
          },
          body: raw,
          signal: AbortSignal.timeout(3000),
        });
        await response.text();
        if (response.status === 200) {
          const event = body.event as { ts: string };
          deliveries.push({ retries: attempt - retryNum, replica: target.name, ts: event.ts });
          return;
        }
      } catch {
        // refused, reset or timed out: Slack tries again
      }
      await sleep(100);
    }
  };

  // An article added on r1 while the load runs must reach r2 and r3.
  const articleId = 'load-test-grain-corridor';
  const article = `---\nid: ${articleId}\ntitle: "Grain corridor talks resume in Istanbul"\nsource: Load Wire\npublished: 2026-01-01\n---\n\nNegotiators agreed that the Black Sea grain corridor would reopen under Turkish inspection of every vessel.\n`;
  const sentAt = new Map<string, number>();
  const total = EVENTS;
  const killAt = Math.floor(total / 2);
  let killedAt: number | undefined;
  let articleWrittenAt: number | undefined;
  let articleArrivedMs: number | undefined;
  const sends: Array<Promise<void>> = [];
  const loadStarted = Date.now();
  for (let i = 0; i < total && !pastDeadline(); i += BURST) {
    for (let j = i; j < Math.min(total, i + BURST); j++) {
      const ts = `${1_700_000_000 + j}.000100`;
      const body = eventCallback(`EvLoad${j}`, {
        type: 'app_mention',
        user: `U${j % 50}`,
        text: `<@${FAKE.botUserId}> ${QUESTIONS[j % QUESTIONS.length]}`,
        ts,
        channel: 'CLOAD',
      });
      sentAt.set(ts, Date.now());
      sends.push(deliver(body));
      // A share of events is redelivered at once (another replica gets the copy).
      if (((j * 7919) % 1000) / 1000 < REDELIVER) sends.push(deliver(body, 1));
    }
    if (killedAt === undefined && i + BURST > killAt) {
      const victim = replicas[1]!;
      victim.child.kill('SIGKILL');
      killedAt = Date.now() - loadStarted;
    }
    if (articleWrittenAt === undefined && i >= total / 4) {
      await writeFile(join(replicas[0]!.corpus, `${articleId}.md`), article);
      const writtenAt = Date.now();
      articleWrittenAt = writtenAt;
      // Watch for it on r3 while the load goes on.
      void (async () => {
        while (!pastDeadline() && articleArrivedMs === undefined) {
          const there = await readFile(join(replicas[2]!.corpus, `${articleId}.md`), 'utf8').catch(() => '');
          if (there === article) articleArrivedMs = Date.now() - writtenAt;
          else await sleep(50);
        }
      })();
    }
    await sleep(INTERVAL);
  }
  await Promise.all(sends);
  const sentAll = Date.now() - loadStarted;

  // Wait for the answers: until all came, or none came for 15 s (bounded by the deadline).
  let lastCount = -1;
  let lastChange = Date.now();
  while (answerArrivals.size < total && Date.now() - lastChange < 15_000 && !pastDeadline()) {
    if (answerArrivals.size !== lastCount) {
      lastCount = answerArrivals.size;
      lastChange = Date.now();
    }
    await sleep(200);
  }
  const loadEnded = Math.max(...answerArrivals.values()) - loadStarted;
  while (articleWrittenAt !== undefined && articleArrivedMs === undefined && !pastDeadline())
    await sleep(100);
  // Asked on r3 (its watcher re-indexes a moment after the file lands): answered from the article added on r1.
  let probeCites = false;
  for (let attempt = 0; attempt < 20 && !probeCites && !pastDeadline(); attempt++) {
    const probeTs = `18000000${String(attempt).padStart(2, '0')}.000100`;
    const raw = JSON.stringify(
      eventCallback(`EvProbe${attempt}`, {
        type: 'app_mention',
        user: 'U1',
        text: `<@${FAKE.botUserId}> Who inspects vessels in the grain corridor?`,
        ts: probeTs,
        channel: 'CPROBE',
      }),
    );
    await fetch(`http://127.0.0.1:${replicas[2]!.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, raw) },
      body: raw,
    }).then((r) => r.text());
    for (let i = 0; i < 100 && !pastDeadline(); i++) {
      const probe = fake.callsTo('chat.postMessage').find((c) => c.body.thread_ts === probeTs);
      if (probe) {
        // The citation names the article's outlet (snippet words may be set in bold).
        probeCites = JSON.stringify(probe.body.blocks).includes('Load Wire');
        break;
      }
      await sleep(50);
    }
    if (!probeCites) await sleep(500);
  }

  // Let at least one more digest minute pass with two replicas left, then stop the survivors.
  const digestWaitUntil = Date.now() + 61_000;
  while (Date.now() < digestWaitUntil && !pastDeadline()) await sleep(500);
  for (const r of replicas.filter((r) => r.alive)) r.child.kill('SIGTERM');
  // A clean stop gets 20 s; the finally below kills whatever is left.
  const stopBy = Date.now() + 20_000;
  for (const r of replicas) while (r.alive && Date.now() < stopBy) await sleep(100);

  const answers = fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'CLOAD');
  const perThread = new Map<string, number>();
  for (const c of answers)
    perThread.set(String(c.body.thread_ts), (perThread.get(String(c.body.thread_ts)) ?? 0) + 1);
  clearInterval(sampler);
  const latencies: number[] = [];
  // Answer latency: from the send to the answer's arrival at the fake (sampled every 10 ms).
  for (const [ts, at] of answerArrivals) {
    const sent = sentAt.get(ts);
    if (sent !== undefined) latencies.push(at - sent);
  }
  latencies.sort((a, b) => a - b);

  const digestPosts = fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'CDIGEST');
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const runs = (
    await db.query<{ period: string; status: string }>(
      `SELECT period, status FROM digest_runs WHERE channel_id = 'CDIGEST' ORDER BY period`,
    )
  ).rows;
  const questionsLogged = Number((await db.query('SELECT count(*) FROM questions')).rows[0].count);
  await db.end();

  Object.assign(report, {
    killedReplicaAtMs: killedAt,
    sentAllMs: sentAll,
    answeredAllMs: loadEnded,
    questionsSent: total,
    deliveries: deliveries.length,
    deliveriesRetriedAfterKill: deliveries.filter((d) => d.retries > 0).length,
    answered: perThread.size,
    answeredTwice: [...perThread.values()].filter((n) => n > 1).length,
    // For each question answered twice: which replicas answered it, in order.
    answeredTwiceBy: [...perThread.entries()]
      .filter(([, n]) => n > 1)
      .map(([ts]) =>
        answers
          .filter((c) => String(c.body.thread_ts) === ts)
          .map((c) => String(c.headers.authorization).replace('Bearer xoxb-load-', ''))
          .join(' then '),
      ),
    lost: total - perThread.size,
    // Lost because the killed replica had acknowledged them (so Slack would not resend) but not answered.
    lostAckedOnlyByKilledReplica: [...sentAt.keys()].filter(
      (ts) => !perThread.has(ts) && deliveries.filter((d) => d.ts === ts).every((d) => d.replica === 'r2'),
    ).length,
    questionsLogged,
    throughputPerSecond: Math.round((perThread.size / loadEnded) * 1000 * 10) / 10,
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    },
    digest: {
      periodsClaimed: runs.length,
      posted: runs.filter((r) => r.status === 'posted').length,
      unknown: runs.filter((r) => r.status === 'unknown').length,
      posts: digestPosts.length,
      // Each post is one claimed period (the primary key); more posts than posted runs would be a double.
      postsBeyondPostedRuns: digestPosts.length - runs.filter((r) => r.status === 'posted').length,
    },
    corpus: { articleReachedR3Ms: articleArrivedMs, answeredFromItOnR3: probeCites },
  });
} catch (error) {
  failure = error;
} finally {
  clearInterval(sampler);
  for (const r of replicas) if (r.alive) r.child.kill('SIGKILL');
  for (const r of replicas) while (r.alive) await sleep(50);
  await fake.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  await admin.end();
  await rm(work, { recursive: true, force: true });
}
if (failure) {
  process.stderr.write(`load test failed: ${failure instanceof Error ? failure.stack : String(failure)}\n`);
  process.exit(1);
}
await mkdir(join(ROOT, 'bench/reports'), { recursive: true });
await writeFile(join(ROOT, 'bench/reports/load-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
