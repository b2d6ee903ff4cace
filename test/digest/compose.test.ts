import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { createManualClock } from '../../src/clock.ts';
import { createCoverage } from '../../src/coverage/coverage.ts';
import { createDigestComposer, workspaceOfChannel } from '../../src/digest/compose.ts';
import { createDigestPreviewer } from '../../src/digest/previewer.ts';
import { renderDigestText } from '../../src/digest/render-digest.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import { makeDocument, shippedEngine } from '../helpers.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const ceasefire = makeDocument(
  'ceasefire',
  'Russia proposed a ceasefire along the current front line in the Donbas region. Ukraine said it would study the offer.',
  { title: 'Russia proposes a ceasefire', source: 'Wire A', published: '2025-03-01' },
);
const nato = makeDocument(
  'nato',
  'Kyiv insisted that NATO membership remains a strategic goal written into its constitution.',
  {
    title: 'Kyiv keeps NATO goal',
    source: 'Wire B',
    published: '2025-04-02',
  },
);

function setup() {
  const clock = createManualClock('2026-01-01T08:00:00Z');
  const stores = openSqliteStores(':memory:', { clock, salt: 's' });
  cleanups.push(() => stores.close());
  const engine = createEngine([ceasefire]);
  const composer = createDigestComposer({ engine, ...stores, clock });
  const post = async (period: string) => {
    const { digest, corpusRevision } = await composer.compose({
      platform: 'slack',
      channelId: 'C1',
      record: true,
    });
    const key = { platform: 'slack' as const, channelId: 'C1', period };
    await stores.digests.claim({ ...key, corpusRevision, publisher: 'slack', at: clock.now() });
    await stores.digests.finish(key, { status: 'posted', messageId: 'm', at: clock.now() });
    return digest;
  };
  return { clock, stores, engine, composer, post };
}

describe('composing a digest', () => {
  it('covers the whole corpus for a channel with no digest yet, citing verbatim sentences', async () => {
    const { composer } = setup();
    const { digest } = await composer.compose({ platform: 'slack', channelId: 'C1', record: false });
    expect(digest.since).toBeNull();
    expect(digest.asOf).toBe('2025-03-01');
    expect(digest.entries).toHaveLength(1);
    const [entry] = digest.entries;
    expect(entry).toMatchObject({
      status: 'new',
      docId: 'ceasefire',
      title: 'Russia proposes a ceasefire',
      source: 'Wire A',
    });
    for (const sentence of entry!.sentences) expect(ceasefire.body).toContain(sentence.snippet);
    expect(renderDigestText(digest)).toContain('Russia proposes a ceasefire — Wire A, 2025-03-01');
    expect(renderDigestText(digest)).toContain(
      '“Russia proposed a ceasefire along the current front line in the Donbas region.” [1]',
    );
    expect(renderDigestText(digest)).toContain('As of 2025-03-01');
  });

  it('lists only what is new since the last digest, and changed articles as updated', async () => {
    const { clock, engine, post } = setup();
    await post('p1');
    clock.advance(60_000);
    engine.upsert(nato);
    engine.upsert({
      ...ceasefire,
      contentHash: 'edited',
      body: `${ceasefire.body} Moscow later added conditions.`,
    });
    const second = await post('p2');
    expect(second.since).toBe('2026-01-01T08:00:00.000Z');
    expect(second.entries.map((e) => [e.docId, e.status])).toEqual([
      ['nato', 'new'],
      ['ceasefire', 'updated'],
    ]);
    expect(renderDigestText(second)).toMatch(
      /1 new article, 1 updated since 1 Jan 2026, 08:00 UTC[\s\S]*\nNew\n[\s\S]*\nUpdated\n/,
    );
    clock.advance(60_000);
    expect(renderDigestText(await post('p3'))).toBe('Nothing new since 1 Jan 2026, 08:01 UTC.');
  });

  it('previews what is new without recording anything', async () => {
    const { engine, post, stores, composer } = setup();
    await post('p1');
    engine.upsert(nato);
    const revision = await stores.documents.revision();
    const previewer = createDigestPreviewer(composer, []);
    const preview = await previewer.preview('slack', 'C1');
    expect(preview.entries.map((e) => e.docId)).toEqual(['nato']);
    expect(await stores.documents.revision()).toBe(revision);
    expect((await stores.documents.list()).map((d) => d.docId)).toEqual(['ceasefire']);
    // Another channel has had no digest: it would get everything.
    expect((await previewer.preview('discord', 'D1')).entries).toHaveLength(2);
  });

  it('with a date, lists articles published or updated since then', async () => {
    const { engine, composer } = setup();
    engine.upsert(nato);
    const { digest } = await composer.compose({
      platform: 'slack',
      channelId: 'C1',
      record: false,
      sinceDate: '2025-04-01',
    });
    expect(digest.entries.map((e) => e.docId)).toEqual(['nato']);
    expect(digest.since).toBe('2025-04-01');
    expect(renderDigestText(digest).split('\n')[0]).toBe('peacedesk digest: 1 new article since 2025-04-01');
  });

  it('adds the questions asked most since the last digest', async () => {
    const { clock, stores, post, composer, engine } = setup();
    await stores.audit.recordQuestion({
      at: clock.now(),
      platform: 'slack',
      userId: 'U0',
      question: 'Asked before the digest?',
      answered: true,
      citedDocIds: [],
      latencyMs: 1,
    });
    clock.advance(1000);
    await post('p1');
    clock.advance(1000);
    for (const [userId, question] of [
      ['U1', 'What are the ceasefire terms?'],
      ['U2', 'what are the ceasefire terms'],
      ['U3', 'Is NATO on the table?'],
    ] as const)
      await stores.audit.recordQuestion({
        at: clock.now(),
        platform: 'discord',
        userId,
        question,
        answered: true,
        citedDocIds: [],
        latencyMs: 5,
      });
    engine.upsert(nato);
    const { digest } = await composer.compose({
      platform: 'slack',
      channelId: 'C1',
      record: false,
      topQuestions: 2,
    });
    expect(digest.topQuestions).toEqual([
      { question: 'What are the ceasefire terms?', count: 2 },
      { question: 'Is NATO on the table?', count: 1 },
    ]);
    expect(renderDigestText(digest)).toContain('Most asked:\n  2× What are the ceasefire terms?');
  });

  it('for a Slack channel written TEAM:CHANNEL, counts only that workspace’s questions and gaps', async () => {
    const { clock, stores, engine } = setup();
    const coverage = createCoverage({ engine, insights: stores.insights, clock, persist: false });
    const composer = createDigestComposer({ engine, ...stores, coverage, clock });
    for (const [workspaceId, userId, question, answered] of [
      ['T1', 'U1', 'What are the ceasefire terms?', true],
      ['T1', 'U2', 'What does the Pope say about the talks?', false],
      ['T2', 'U3', 'Is NATO on the table?', true],
      ['T2', 'U4', 'Is NATO on the table?', true],
      ['T2', 'U5', 'What did Brazil propose for the talks?', false],
    ] as const)
      await stores.audit.recordQuestion({
        at: clock.now(),
        platform: 'slack',
        userId,
        question,
        answered,
        citedDocIds: [],
        latencyMs: 5,
        workspaceId,
      });
    const compose = (channelId: string) =>
      composer.compose({ platform: 'slack', channelId, record: false, topQuestions: 5, gaps: 5 });
    const one = (await compose('T1:C1')).digest;
    expect(one.topQuestions.map((q) => q.question).sort()).toEqual([
      'What are the ceasefire terms?',
      'What does the Pope say about the talks?',
    ]);
    expect(one.gaps?.map((g) => g.example)).toEqual(['What does the Pope say about the talks?']);
    const two = (await compose('T2:C9')).digest;
    expect(two.topQuestions[0]).toEqual({ question: 'Is NATO on the table?', count: 2 });
    expect(two.gaps?.map((g) => g.example)).toEqual(['What did Brazil propose for the talks?']);
    // A single-workspace channel still hears every question.
    expect((await compose('C1')).digest.topQuestions).toHaveLength(4);
    expect(workspaceOfChannel('discord', 'T1:C1')).toBeUndefined();
  });

  it('renders dates in the channel time zone', async () => {
    const { post, composer } = setup();
    await post('p1');
    const { digest } = await composer.compose({
      platform: 'slack',
      channelId: 'C1',
      record: false,
      timeZone: 'Europe/Kyiv',
    });
    expect(renderDigestText(digest)).toBe('Nothing new since 1 Jan 2026, 10:00 Europe/Kyiv.');
  });

  it('gives every shipped article two or three verbatim sentences', async () => {
    const engine = await shippedEngine();
    const { digest } = await createDigestComposer({ engine }).compose({
      platform: 'slack',
      channelId: 'C',
      record: false,
    });
    expect(digest.entries).toHaveLength(engine.articles().length);
    for (const entry of digest.entries) {
      expect(entry.sentences.length).toBeGreaterThanOrEqual(2);
      expect(entry.sentences.length).toBeLessThanOrEqual(3);
      const body = engine.document(entry.docId)!.body;
      for (const s of entry.sentences) expect(body).toContain(s.snippet);
    }
  });
});
