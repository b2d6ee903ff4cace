import { createEngine } from '../../src/answering/engine.ts';
import { createManualClock } from '../../src/clock.ts';
import { createCoverage } from '../../src/coverage/coverage.ts';
import type { DigestChannel } from '../../src/digest/channel-config.ts';
import { silentLogger } from '../../src/logger.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import { createEditorsPage } from '../../src/web/server.ts';
import { ANSWERED_QUESTIONS, createAsker, GAP_QUESTIONS } from '../coverage/seed.ts';
import { shippedCorpus } from '../helpers.ts';

/** The page's token in tests. */
export const TOKEN = 'test-token-0123456789abcdef';

/** Text an attacker might type as a question: it must show as text, never as markup. */
export const HOSTILE = `<script>alert("gap")</script><img src=x onerror="alert(1)"> & Brazil's "role"?`;

/**
 * The editors' page on 127.0.0.1 over a database seeded through the ask service (the engine
 * answers, the service writes the audit records), with one vote and one digest run.
 */
export async function startSeededPage(options: { days?: number } = {}) {
  const clock = createManualClock('2026-02-01T08:00:00Z');
  const engine = createEngine(await shippedCorpus());
  const stores = openSqliteStores(':memory:', { salt: 'web-test', clock });
  const asker = createAsker(engine, stores.audit, clock);
  // With `days`, earlier days get some of the questions too (the README's screenshot).
  const all = [...ANSWERED_QUESTIONS, ...GAP_QUESTIONS];
  for (let d = (options.days ?? 1) - 1; d > 0; d--) {
    clock.set(new Date(Date.parse('2026-02-01T08:00:00Z') - d * 86_400_000));
    for (const [question, user, platform] of all.filter((_, i) => (i + d) % 3 === 0))
      await asker.ask(question, user, platform);
  }
  clock.set('2026-02-01T08:00:00Z');
  for (const [question, user, platform] of [...GAP_QUESTIONS, ...ANSWERED_QUESTIONS])
    await asker.ask(question, user, platform);
  const hostile = await asker.ask(HOSTILE, 'reporter-9', 'discord');
  const nato = await asker.ask('What does the US draft say about NATO?', 'reporter-2', 'slack');
  await stores.feedback.recordVote({
    platform: 'slack',
    answerId: nato.answerId,
    userId: 'reporter-3',
    value: 'down',
    question: nato.answer.question,
  });
  const channel: DigestChannel = {
    platform: 'slack',
    channelId: 'C0DIGEST',
    schedule: '0 8 * * 1-5',
    timeZone: 'Europe/Kyiv',
    whenEmpty: 'say-so',
    topQuestions: 3,
    gaps: 3,
  };
  const period = '2026-02-01T06:00:00.000Z';
  await stores.digests.claim({ ...channel, period, corpusRevision: 1, publisher: 'slack', at: clock.now() });
  await stores.digests.finish(
    { ...channel, period },
    { status: 'posted', messageId: '1700000000.0001', at: clock.now() },
  );
  const coverage = createCoverage({ engine, insights: stores.insights, clock });
  const page = createEditorsPage({
    config: { port: 0, host: '127.0.0.1', token: TOKEN },
    coverage,
    engine,
    digests: stores.digests,
    channels: [channel],
    logger: silentLogger,
    clock,
  });
  await page.start();
  return {
    url: page.url!,
    hostile,
    stores,
    async stop() {
      await page.stop();
      stores.close();
    },
  };
}
