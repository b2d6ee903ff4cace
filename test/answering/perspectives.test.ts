import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/answering/engine.ts';
import { asksForTimeline, asksToCompare, parseSince } from '../../src/answering/intent.ts';
import { GAP } from '../../src/answering/snippet.ts';
import type { Answer } from '../../src/answering/types.ts';
import { createManualClock } from '../../src/clock.ts';
import { isPeacedeskError } from '../../src/errors.ts';
import { renderText } from '../../src/messages/render-terminal.ts';
import { shippedCorpus } from '../helpers.ts';

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await shippedCorpus(), { clock: createManualClock('2026-11-23T12:00:00Z') });
});

const expectVerbatim = (answer: Answer) => {
  for (const c of answer.citations) {
    for (const part of c.snippet.split(GAP)) expect(engine.document(c.docId)!.body).toContain(part);
  }
};

describe('compare', () => {
  it('gives one row per document on the topic, oldest first, with who and when, and lists the silent', () => {
    const answer = engine.compare('territory');
    expect(answer.kind).toBe('comparison');
    expect(answer.heading).toBe('How the proposals compare on territory and front lines (oldest first)');
    const dates = answer.citations.map((c) => c.published);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(answer.citations.map((c) => c.docId)).size).toBe(answer.citations.length);
    expect(answer.citations.map((c) => c.docId)).toEqual([
      '2025-03-13-russia-demands-list',
      '2025-08-09-putin-two-stage-offer',
      '2025-08-21-putin-alaska-terms',
      '2025-11-20-us-draft-peace-plan',
      '2026-01-28-us-donbas-precondition',
    ]);
    expect(answer.citations[0]!.snippet).toMatch(/recognition of Crimea and four Ukrainian regions/);
    expect(answer.citations[3]).toMatchObject({
      label: 'United States (drafted with Russian input), 2025-11-20: US draft peace plan',
      snippet: expect.stringMatching(
        /Territorial Cession: Under the draft, Russia would gain control of the entire eastern Donbas/,
      ),
    });
    expect(answer.silent).toEqual([]);
    expectVerbatim(answer);
  });

  it('is right about each document on NATO, and silent where a document says nothing', () => {
    const answer = engine.compare('NATO');
    const byDoc = Object.fromEntries(answer.citations.map((c) => [c.docId, c.snippet]));
    expect(byDoc['2025-03-13-russia-demands-list']).toMatch(/NATO/);
    expect(byDoc['2025-08-21-putin-alaska-terms']).toMatch(/NATO/);
    expect(byDoc['2025-11-20-us-draft-peace-plan']).toMatch(/bar Ukraine from joining NATO/);
    expect(answer.silent.map((d) => d.docId)).toEqual([
      '2025-08-09-putin-two-stage-offer',
      '2026-01-28-us-donbas-precondition',
    ]);
    expect(renderText(answer)).toMatch(/^Silent on this: What Putin offered Trump/m);
  });

  it('answers comparison questions in plain words, restricted to the documents they name', () => {
    const answer = engine.answer("How do the US draft and Putin's terms differ on territory?");
    expect(answer.kind).toBe('comparison');
    expect(answer.citations.map((c) => c.docId)).toEqual([
      '2025-08-21-putin-alaska-terms',
      '2025-11-20-us-draft-peace-plan',
    ]);
    expect(engine.answer('Compare the proposals on sanctions').citations.map((c) => c.docId)).toEqual([
      '2025-08-09-putin-two-stage-offer',
      '2025-11-20-us-draft-peace-plan',
    ]);
  });

  it('rejects an unknown topic with a message listing the topics', () => {
    let caught: unknown;
    try {
      engine.compare('bananas');
    } catch (error) {
      caught = error;
    }
    expect(isPeacedeskError(caught, 'unknown_topic')).toBe(true);
    expect((caught as Error).message).toMatch(/territory \(Territory and front lines\)/);
  });
});

describe('timeline', () => {
  it('lists every document in date order with one informative sentence and the newest date', () => {
    const answer = engine.timeline();
    expect(answer.kind).toBe('timeline');
    expect(answer.citations.map((c) => c.published)).toEqual([
      '2025-03-13',
      '2025-08-09',
      '2025-08-21',
      '2025-11-20',
      '2026-01-28',
    ]);
    expect(answer.citations[3]!.snippet).toMatch(/^A draft peace proposal aimed at ending the war/);
    expect(answer.asOf).toBe('2026-01-28');
    expectVerbatim(answer);
  });

  it('follows a topic since a date', () => {
    const answer = engine.timeline({ topic: 'security guarantees', since: '2025-09-01' });
    // The US draft's excerpt never speaks of security guarantees: it is listed as silent, not padded.
    expect(answer.citations.map((c) => c.docId)).toEqual(['2026-01-28-us-donbas-precondition']);
    expect(answer.citations[0]!.snippet).toMatch(/security (?:guarantees|assurances)/);
    expect(answer.silent.map((d) => d.docId)).toEqual(['2025-11-20-us-draft-peace-plan']);
  });

  it('answers "what has changed since …" in plain words, saying so when nothing is that new', () => {
    const since2025 = engine.answer('What has changed since August 2025?');
    expect(since2025).toMatchObject({
      kind: 'timeline',
      heading: 'Timeline since 2025-08-01: 4 documents, oldest first',
    });
    const sinceAugust = engine.answer('What has changed since August?');
    expect(sinceAugust).toMatchObject({ kind: 'timeline', answered: false, citations: [] });
    expect(sinceAugust.heading).toBe(
      'Nothing in the sources since 2026-08-01 (the newest article is from 2026-01-28).',
    );
  });
});

describe('intent', () => {
  it.each([
    ['Compare the proposals on NATO', true],
    ["How do the US draft and Putin's terms differ on territory?", true],
    ['What is the difference between the plans on sanctions?', true],
    ['What does the US draft say about NATO?', false],
    ['How big is the land Russia holds, compared with a US state?', false],
    ['Compare Russia and the US on NATO', true],
  ])('asksToCompare(%j) is %s', (q, expected) => expect(asksToCompare(q)).toBe(expected));

  it.each([
    ['What has changed since August?', true],
    ['Give me a timeline on territory', true],
    ['How has Russia’s position on NATO changed?', true],
    ['What did Russia demand in June 2024?', false],
    ['What demands have existed since 1945?', false],
    ["What's new on sanctions?", true],
    ['What changed in the US plan since March?', true],
    ['How have the demands shifted over time?', true],
    ['Timeline of the Istanbul talks', true],
    // The change word is part of the fact asked for, not a request for how positions moved.
    ['What is the rate of change of the front line?', false],
    ['What can a ceasefire change into?', false],
    ['What changes the balance of the talks?', false],
    ['What is New Russia in Putin’s speeches?', false],
    ['Which timeline does the US draft set for elections?', false],
    ['How did the talks change?', false],
  ])('asksForTimeline(%j) is %s', (q, expected) => expect(asksForTimeline(q)).toBe(expected));

  const today = new Date('2026-11-23T12:00:00Z');
  it.each([
    ['What has changed since August?', '2026-08-01'],
    ['since December', '2025-12-01'],
    ['since Aug 2025', '2025-08-01'],
    ['since August 21, 2025', '2025-08-21'],
    ['2025-03-01', '2025-03-01'],
    ['2025', '2025-01-01'],
    ['last month', '2026-10-23'],
    ['whenever', null],
  ])('parseSince(%j) is %s', (text, expected) => expect(parseSince(text, today)).toBe(expected));

  it('rejects an impossible date', () => {
    expect(() => parseSince('2025-02-30', today)).toThrow(/not a real date/);
  });
});
