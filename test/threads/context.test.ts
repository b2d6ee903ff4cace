import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/answering/engine.ts';
import { parseSince } from '../../src/answering/intent.ts';
import { differencesOf, findSources, splitClaims } from '../../src/find-sources/find-sources.ts';
import { renderSourcesText } from '../../src/messages/render-sources-text.ts';
import { renderText } from '../../src/messages/render-terminal.ts';
import {
  articlesNamed,
  parseThreadContext,
  planFollowUp,
  type ThreadContext,
} from '../../src/threads/context.ts';
import { converse, threadArticles } from '../../src/threads/converse.ts';
import { shippedEngine } from '../helpers.ts';

const TODAY = new Date('2026-02-01T00:00:00Z');
const US_DRAFT = '2025-11-20-us-draft-peace-plan';
const REUTERS = '2025-08-21-putin-alaska-terms';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

describe('thread context rules', () => {
  it('names a proposal by two telling words ("US draft"), not by one ("US")', () => {
    const articles = threadArticles(engine);
    expect(articlesNamed('What does the US draft say about territory?', articles)).toEqual([US_DRAFT]);
    expect(articlesNamed('What does the US want?', articles)).toEqual([]);
  });

  it('"what about NATO?" after a question on the US draft is answered from the US draft, about NATO', async () => {
    const first = await converse(engine, 'What does the US draft say about territory?', null, TODAY);
    expect(first.rule).toBe('first');
    expect(first.answer.followsOn).toBeUndefined();
    const next = await converse(engine, 'what about NATO?', first.context, TODAY);
    expect(next.rule).toBe('same-articles');
    expect(next.answer.answered).toBe(true);
    expect(new Set(next.answer.citations.map((c) => c.docId))).toEqual(new Set([US_DRAFT]));
    expect(next.answer.citations.some((c) => /NATO/.test(c.snippet))).toBe(true);
    expect(next.answer.followsOn?.question).toBe('What does the US draft say about territory?');
    expect(renderText(next.answer)).toMatch(
      /^Following on from: What does the US draft say about territory\?/,
    );
    // Still verbatim: every snippet is in its article.
    for (const c of next.answer.citations) {
      for (const part of c.snippet.split(' … ')) expect(engine.document(c.docId)!.body).toContain(part);
    }
  });

  it('"and since August?" asks the earlier question again on articles from August on', async () => {
    const first = await converse(engine, 'What has Russia demanded on NATO?', null, TODAY);
    const next = await converse(engine, 'and since August?', first.context, TODAY);
    expect(next.rule).toBe('narrows-dates');
    expect(next.context.since).toBe('2025-08-01');
    expect(next.answer.citations.length).toBeGreaterThan(0);
    for (const c of next.answer.citations) expect(c.published >= '2025-08-01').toBe(true);
    expect(next.answer.followsOn?.inherited).toContain('since 2025-08-01');
  });

  it('"the Reuters one" picks the Reuters article for the earlier question', async () => {
    const first = await converse(engine, 'What has Russia demanded on NATO?', null, TODAY);
    const next = await converse(engine, 'the Reuters one', first.context, TODAY);
    expect(next.rule).toBe('picks-article');
    expect(next.answer.citations.map((c) => c.docId)).toEqual(expect.arrayContaining([REUTERS]));
    expect(new Set(next.answer.citations.map((c) => c.docId)).size).toBe(1);
  });

  it('a full question on another subject starts a new context', async () => {
    const first = await converse(engine, 'What does the US draft say about territory?', null, TODAY);
    const next = await converse(engine, 'What did Putin demand at the Alaska summit?', first.context, TODAY);
    expect(next.rule).toBe('new-subject');
    expect(next.answer.followsOn).toBeUndefined();
    expect(next.context.docIds).toEqual([REUTERS]);
  });

  it('small talk in a conversation gets the usage reply, follows on from nothing, and keeps the context', async () => {
    const first = await converse(engine, 'What does the US draft say about NATO?', null, TODAY);
    const help = await converse(engine, 'help', first.context, TODAY);
    expect(help.answer.kind).toBe('usage');
    expect(help.answer.followsOn).toBeUndefined();
    expect(renderText(help.answer)).not.toContain('Following on from');
    expect(help.context).toEqual(first.context);
  });

  it('a back-reference is never a new subject, even when it would be answered alone', async () => {
    const context: ThreadContext = {
      question: 'q',
      docIds: [US_DRAFT],
      named: true,
      topic: null,
      since: null,
    };
    const plan = await planFollowUp('Does it say anything about Crimea?', {
      context,
      articles: threadArticles(engine),
      today: TODAY,
      answersAlone: () => true,
    });
    expect(plan.rule).toBe('same-articles');
    expect(plan.options.docIds).toEqual([US_DRAFT]);
  });

  it('an impossible date is a clear error; a stored context that is not one reads as none', async () => {
    const context: ThreadContext = { question: 'q', docIds: [], named: false, topic: null, since: null };
    await expect(
      planFollowUp('and since 2025-02-30?', {
        context,
        articles: [],
        today: TODAY,
        answersAlone: () => false,
      }),
    ).rejects.toMatchObject({ code: 'invalid_date' });
    expect(parseThreadContext('not json')).toBeNull();
    expect(parseThreadContext('{"question":1}')).toBeNull();
    expect(parseThreadContext(JSON.stringify(context))).toEqual(context);
  });

  it('reads "since yesterday" (the agent DM\'s first prompt) as the day before today', () => {
    expect(parseSince('What has changed since yesterday?', TODAY)).toBe('2026-01-31');
    expect(parseSince('since today', TODAY)).toBe('2026-02-01');
  });

  it("refuses empty, huge and hostile follow-ups with the engine's messages, before any rule reads them", async () => {
    const context: ThreadContext = {
      question: 'q',
      docIds: [US_DRAFT],
      named: true,
      topic: null,
      since: null,
    };
    await expect(converse(engine, '   ', context, TODAY)).rejects.toMatchObject({ code: 'empty_question' });
    await expect(converse(engine, `the ${'the '.repeat(20_000)}one`, context, TODAY)).rejects.toMatchObject({
      code: 'question_too_long',
    });
    await expect(converse(engine, 'what about \u001b[2J NATO?', context, TODAY)).rejects.toMatchObject({
      code: 'control_characters',
    });
  });

  it('the engine restricts to documents and dates as options', () => {
    const all = engine.answer('What about NATO?');
    const only = engine.answer('What about NATO?', { docIds: [US_DRAFT] });
    expect(new Set(all.citations.map((c) => c.docId)).size).toBeGreaterThan(1);
    expect(only.citations.every((c) => c.docId === US_DRAFT)).toBe(true);
    const late = engine.answer('What about NATO?', { since: '2025-11-01' });
    expect(late.citations.every((c) => c.published >= '2025-11-01')).toBe(true);
  });
});

describe('find sources for a text', () => {
  it('splits a message into claims', () => {
    expect(splitClaims('The plan caps the army. It bars NATO!\n> Crimea stays Russian')).toEqual([
      'The plan caps the army.',
      'It bars NATO!',
      'Crimea stays Russian',
    ]);
  });

  it('shows the passages per claim, points out another figure, and says when nothing bears on a claim', async () => {
    const report = await findSources(
      engine,
      "The US draft would cap Ukraine's army at 800,000 troops. Bananas are yellow and tasty.",
    );
    expect(report.claims).toHaveLength(2);
    const [army, bananas] = report.claims;
    expect(army!.passages[0]!.citation.docId).toBe(US_DRAFT);
    expect(army!.passages[0]!.differences).toEqual([
      { kind: 'figure', claim: '800,000', passage: ['880,000', '600,000'] },
    ]);
    expect(bananas!.passages).toEqual([]);
    const text = renderSourcesText(report);
    expect(text).toContain('Differs: the article says 880,000 and 600,000, the message 800,000.');
    expect(text).toContain('No article bears on this.');
    expect(text).toContain('Unattributed report, 2025-11-20');
    expect(text).not.toMatch(/\b(?:true|false|correct|wrong)\b/i);
  });

  it('compares dates and percentages with their own kind, and a matching figure is no difference', () => {
    expect(differencesOf('Talks began in 2024.', 'The talks began in 2025.')).toEqual([
      { kind: 'date', claim: '2024', passage: ['2025'] },
    ]);
    expect(differencesOf('He met them in August.', 'They met in June.')).toEqual([
      { kind: 'date', claim: 'August', passage: ['June'] },
    ]);
    expect(differencesOf('About 20% remains.', 'Some 14% of the region and 5,000 troops')).toEqual([
      { kind: 'figure', claim: '20%', passage: ['14%'] },
    ]);
    expect(differencesOf('It holds 600,000 troops.', 'a maximum of 600,000')).toEqual([]);
  });

  it('refuses an empty or huge text with a clear message, and caps the claims', async () => {
    await expect(findSources(engine, '  ...  ')).rejects.toMatchObject({ code: 'empty_question' });
    await expect(findSources(engine, 'a'.repeat(5000))).rejects.toMatchObject({ code: 'question_too_long' });
    const many = await findSources(
      engine,
      Array.from({ length: 12 }, (_, i) => `Claim number ${i} about NATO.`).join(' '),
    );
    expect(many.claims).toHaveLength(10);
    expect(many.skipped).toBe(2);
  });
});
