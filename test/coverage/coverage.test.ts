import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { createCoverage } from '../../src/coverage/coverage.ts';
import {
  renderFeedbackReport,
  renderGapReport,
  renderQuestionsReport,
} from '../../src/coverage/render-text.ts';
import { parseReportSince } from '../../src/coverage/since.ts';
import { isPeacedeskError } from '../../src/errors.ts';
import { createMemoryStores } from '../../src/store/memory-store.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import type { AuditLog, FeedbackStore, InsightStore } from '../../src/store/types.ts';
import { shippedCorpus } from '../helpers.ts';
import { ANSWERED_QUESTIONS, BRAZIL_ARTICLE, createAsker, GAP_QUESTIONS } from './seed.ts';

type Stores = { audit: AuditLog; feedback: FeedbackStore; insights: InsightStore };
const implementations: Array<[string, () => Stores]> = [
  ['sqlite', () => openSqliteStores(':memory:', { salt: 'test-salt' })],
  ['memory', () => createMemoryStores({ salt: 'test-salt' })],
];

async function seeded(make: () => Stores) {
  const engine = createEngine(await shippedCorpus());
  const stores = make();
  const asker = createAsker(engine, stores.audit);
  for (const [question, user, platform] of [...GAP_QUESTIONS, ...ANSWERED_QUESTIONS]) {
    await asker.ask(question, user, platform);
  }
  const coverage = createCoverage({ engine, insights: stores.insights, clock: asker.clock });
  return { engine, stores, asker, coverage };
}

describe.each(implementations)('coverage over %s stores seeded by real answers', (_name, make) => {
  it('the seeded questions are declined and answered as the fixtures say', async () => {
    const { stores, asker } = await seeded(make);
    const asked = await stores.insights.questions(new Date(0));
    // Asked through the ask service: it recorded each under the surface's answer id and kept the answer.
    expect(asked.map((q) => q.answerId)).toEqual(asked.map((_, i) => `answer-${i + 1}`));
    expect(asker.service.recall('answer-1')?.answer.question).toBe(GAP_QUESTIONS[0][0]);
    expect(asked.filter((q) => !q.answered).map((q) => q.question)).toEqual(GAP_QUESTIONS.map((q) => q[0]));
    expect(asked.filter((q) => q.answered)).toHaveLength(ANSWERED_QUESTIONS.length);
  });

  it('groups declined questions by what they ask about, with counts, askers, times and examples', async () => {
    const { coverage } = await seeded(make);
    const report = await coverage.gaps();
    expect(report.declined).toBe(GAP_QUESTIONS.length);
    const labels = report.gaps.map((g) => g.label);
    expect(labels).toHaveLength(3);
    const brazil = report.gaps.find((g) => g.focus.includes('Brazil'))!;
    const pope = report.gaps.find((g) => g.focus.includes('Pope'))!;
    const china = report.gaps.find((g) => g.focus.includes('China'))!;
    expect(brazil).toMatchObject({ count: 3, askers: 3, platforms: ['discord', 'slack'] });
    // "What about the Pope?" and "what about the pope" are one wording; the third shares the focus.
    expect(pope).toMatchObject({ count: 3, askers: 3 });
    expect(pope.examples).toEqual(['what about the pope', 'What did the Pope say about the talks?']);
    expect(brazil.examples).toHaveLength(2);
    expect(new Set(brazil.examples).size).toBe(2);
    expect(brazil.firstAsked).toBe('2026-02-01T08:00:00.000Z');
    expect(brazil.lastAsked).toBe('2026-02-01T11:00:00.000Z');
    // The engine's closest articles for the question.
    expect(brazil.closest.length).toBeGreaterThan(0);
    expect(brazil.closest[0]!.title).toBeTruthy();
    expect(china).toMatchObject({ count: 1, askers: 1 });
    // Ranked by how often and how recently: the three-times gaps first, the later of them first.
    expect(report.gaps.at(-1)).toBe(china);
    expect(report.gaps[0]).toBe(pope);
    // No asker hash (or id) leaks into the report.
    expect(JSON.stringify(report)).not.toMatch(/reporter-|[0-9a-f]{32}/);
  });

  it('closes a gap when an article that answers it is ingested, naming the article; reopens it when removed', async () => {
    const { engine, coverage, asker, stores } = await seeded(make);
    expect((await coverage.gaps()).gaps.some((g) => g.focus.includes('Brazil'))).toBe(true);
    engine.upsert(BRAZIL_ARTICLE);
    asker.clock.advance(60_000);
    const after = await coverage.gaps();
    expect(after.gaps.some((g) => g.focus.includes('Brazil'))).toBe(false);
    expect(after.gaps.map((g) => g.focus[0])).toEqual(expect.arrayContaining(['Pope', 'China']));
    const brazilClosed = after.closed.filter((c) => /brazil/i.test(c.question));
    expect(brazilClosed.length).toBe(3);
    for (const closed of brazilClosed) {
      expect(closed.closedBy).toMatchObject({ docId: BRAZIL_ARTICLE.id, title: BRAZIL_ARTICLE.title });
      expect(closed.closedAt).toBe(asker.clock.now().toISOString());
    }
    expect((await stores.insights.closures()).map((c) => c.docId)).toEqual([
      BRAZIL_ARTICLE.id,
      BRAZIL_ARTICLE.id,
      BRAZIL_ARTICLE.id,
    ]);
    // The same question asked now is answered from the new article.
    const { answer } = await asker.ask('Is Brazil a mediator in the talks?', 'reporter-5');
    expect(answer.citations[0]?.docId).toBe(BRAZIL_ARTICLE.id);

    engine.remove(BRAZIL_ARTICLE.id);
    const reopened = await coverage.gaps();
    expect(reopened.gaps.find((g) => g.focus.includes('Brazil'))?.count).toBe(3);
    expect(reopened.closed).toEqual([]);
    expect(await stores.insights.closures()).toEqual([]);
  });

  it('lists 👎 answers with their question and cited snippets, weak top citations, and the most asked', async () => {
    const { engine, stores, asker, coverage } = await seeded(make);
    const nato = await asker.ask('What does the US draft say about NATO?', 'reporter-2');
    expect(nato.answer.answered).toBe(true);
    const vote = { platform: 'slack' as const, answerId: nato.answerId, question: nato.answer.question };
    await stores.feedback.recordVote({ ...vote, userId: 'reporter-2', value: 'down' });
    await stores.feedback.recordVote({ ...vote, userId: 'reporter-3', value: 'down' });
    await stores.feedback.recordVote({ ...vote, userId: 'reporter-1', value: 'up' });
    const report = await coverage.feedback();
    expect(report.votes).toEqual({ up: 1, down: 2 });
    expect(report.downvoted).toHaveLength(1);
    expect(report.downvoted[0]).toMatchObject({
      question: nato.answer.question,
      platform: 'slack',
      up: 1,
      down: 2,
    });
    expect(report.downvoted[0]!.citations.map((c) => c.snippet)).toEqual(
      nato.answer.citations.map((c) => c.snippet),
    );
    expect(report.downvoted[0]!.citations[0]!.title).toBe(
      engine.document(nato.answer.citations[0]!.docId)!.title,
    );
    expect(report.weakCitations).toEqual([
      expect.objectContaining({ snippet: nato.answer.citations[0]!.snippet, answers: 2, up: 1, down: 2 }),
    ]);
    // Asked twice, answered twice; the Pope (folded wording) twice, never answered.
    const mostAsked = new Map(report.mostAsked.map((q) => [q.question.toLowerCase(), q]));
    expect(mostAsked.get('what does the us draft say about nato?')).toMatchObject({
      count: 2,
      answerRate: 1,
      askers: 2,
    });
    expect(mostAsked.get('what about the pope')).toMatchObject({ count: 2, answered: 0, answerRate: 0 });
    expect(renderFeedbackReport(report)).toContain('👍 1 · 👎 2');
  });

  it('labels a gap by the words asked, not by markup typed into the question', async () => {
    const { coverage, asker } = await seeded(make);
    const { answer } = await asker.ask('<img src=x onerror=alert(1)> What did the Pope say?', 'reporter-9');
    expect(answer.answered).toBe(false);
    const pope = (await coverage.gaps()).gaps.find((g) => g.focus.includes('Pope'))!;
    expect(pope.count).toBe(4);
    expect(pope.focus.join(' ')).not.toMatch(/img|src|onerror|alert/);
  });

  it('counts questions per day with the answered share', async () => {
    const { coverage } = await seeded(make);
    const report = await coverage.questions({ since: new Date('2026-01-30T00:00:00Z') });
    expect(report).toMatchObject({ asked: 9, answered: 2, askers: 5 });
    expect(report.days.map((d) => d.day)).toEqual(['2026-01-30', '2026-01-31', '2026-02-01']);
    expect(report.days.at(-1)).toEqual({ day: '2026-02-01', asked: 9, answered: 2 });
    expect(renderQuestionsReport(report)).toMatch(/2026-02-01 +9 +2 +22%/);
  });
});

describe('gaps and topics', () => {
  it('keeps questions about the same name on different topics in separate gaps', async () => {
    const engine = createEngine(await shippedCorpus());
    const stores = openSqliteStores(':memory:', { salt: 'test-salt' });
    const asker = createAsker(engine, stores.audit);
    const asked = [
      ['What did Brazil say about sanctions?', 'reporter-1'],
      ['Would Brazil lift sanctions on Russia?', 'reporter-2'],
      ['Is Brazil a mediator in the talks?', 'reporter-3'],
      ['Would Brazil send peacekeepers to Ukraine?', 'reporter-1'],
    ] as const;
    for (const [question, user] of asked)
      expect((await asker.ask(question, user)).answer.answered).toBe(false);
    const report = await createCoverage({ engine, insights: stores.insights, clock: asker.clock }).gaps();
    const byTopic = Object.fromEntries(report.gaps.map((g) => [g.topic?.id ?? 'none', g]));
    expect(Object.keys(byTopic).sort()).toEqual(['foreign-troops', 'format', 'sanctions']);
    expect(byTopic.sanctions).toMatchObject({ count: 2, askers: 2 });
    expect(byTopic.sanctions!.focus).toContain('Brazil');
    expect(byTopic.format).toMatchObject({ count: 1, examples: ['Is Brazil a mediator in the talks?'] });
    expect(byTopic['foreign-troops']).toMatchObject({ count: 1 });
    stores.close();
  });
});

describe('gap report text', () => {
  it('prints one row per group with its examples and closest article', async () => {
    const { coverage } = await seeded(implementations[0]![1]);
    const text = renderGapReport(await coverage.gaps());
    expect(text).toMatch(/^Coverage gaps, .*: 7 declined questions\./);
    expect(text).toMatch(/\n1 +Pope \[format\] +3 +3 /);
    expect(text).toContain('“what about the pope” / “What did the Pope say about the talks?”');
    expect(text).toMatch(/Brazil.* 3 +3 /);
  });
});

describe('parseReportSince', () => {
  const now = new Date('2026-02-10T12:00:00Z');
  it('reads 7d, 24h, 2w and the dates the engine reads', () => {
    expect(parseReportSince('7d', now).toISOString()).toBe('2026-02-03T12:00:00.000Z');
    expect(parseReportSince('24h', now).toISOString()).toBe('2026-02-09T12:00:00.000Z');
    expect(parseReportSince('2w', now).toISOString()).toBe('2026-01-27T12:00:00.000Z');
    expect(parseReportSince('2026-01-05', now).toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(parseReportSince('January', now).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
  it('refuses anything else with a usage error', () => {
    for (const bad of ['', 'soon', '7x', '2026-02-31', '<script>'.repeat(50)]) {
      let error: unknown;
      try {
        parseReportSince(bad, now);
      } catch (e) {
        error = e;
      }
      expect(isPeacedeskError(error, 'usage')).toBe(true);
    }
  });
});
