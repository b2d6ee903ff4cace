import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLiveCorpusStore } from '../../src/store/live-corpus-store.ts';
import type { LiveCorpusStore } from '../../src/store/types.ts';
import { backends, type TestDatabase } from './backends.ts';

const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

const implementations: Array<[string, () => Promise<LiveCorpusStore>]> = [
  ['memory', async () => createMemoryLiveCorpusStore()],
  ...backends().map((backend): [string, () => Promise<LiveCorpusStore>] => [
    backend.name,
    async () => {
      const db = await backend.create();
      databases.push(db);
      return (await db.open()).live;
    },
  ]),
];

const at = (iso: string) => new Date(iso);

// The ingester, the feed poller and the answer notes rely on these, whichever store backs them.
describe.each(implementations)('%s live-corpus store', (_name, make) => {
  it('records a copy once per URL and lists copies by article', async () => {
    const live = await make();
    const copy = {
      docId: 'a',
      url: 'https://kyiv.example/x',
      source: 'Kyiv Desk',
      title: 'T',
      published: '2025-11-24',
      similarity: 0.8,
      recordedAt: at('2025-11-25T00:00:00Z'),
    };
    expect(await live.recordCopy(copy)).toBe(true);
    expect(await live.recordCopy({ ...copy, source: 'Other' })).toBe(false);
    await live.recordCopy({ ...copy, docId: 'b', url: 'https://other.example/y' });
    expect(await live.copyAt(copy.url)).toEqual(copy);
    expect(live.notesFor(['a']).copies).toEqual([copy]);
    expect(live.notesFor([]).copies).toEqual([]);
  });

  it('keeps corrections in order, by article and since a time, and can take one back', async () => {
    const live = await make();
    const base = {
      docId: 'a',
      previousTitle: 'Old',
      title: 'New',
      source: 'S',
      changes: [{ before: 'It was.', after: 'It is.' }],
      added: ['More.'],
      previousSentences: ['It was.'],
    };
    const first = await live.recordCorrection({ ...base, at: at('2025-12-01T00:00:00Z') });
    const second = await live.recordCorrection({
      ...base,
      at: at('2025-12-03T00:00:00Z'),
      changes: [{ before: 'It is.', after: null }],
    });
    await live.recordCorrection({ ...base, docId: 'b', at: at('2025-12-02T00:00:00Z') });
    expect((await live.corrections('a')).map((c) => c.id)).toEqual([first.id, second.id]);
    expect(
      (await live.correctionsSince(at('2025-12-02T00:00:00Z'))).map((c) => [c.docId, c.at.toISOString()]),
    ).toEqual([
      ['a', '2025-12-03T00:00:00.000Z'],
      ['b', '2025-12-02T00:00:00.000Z'],
    ]);
    expect(live.notesFor(['a']).corrections[1]).toEqual(second);
    await live.deleteCorrection(first.id);
    expect((await live.corrections('a')).map((c) => c.id)).toEqual([second.id]);
  });

  it('keeps feed state and what became of each item', async () => {
    const live = await make();
    expect(await live.feedState('f')).toBeUndefined();
    const state = {
      url: 'f',
      etag: '"e"',
      lastModified: null,
      failures: 2,
      retryAt: at('2025-12-01T00:10:00Z'),
      lastPolledAt: at('2025-12-01T00:00:00Z'),
      lastError: 'HTTP 503',
    };
    await live.saveFeedState(state);
    expect(await live.feedState('f')).toEqual(state);
    await live.saveFeedState({ ...state, failures: 0, retryAt: null, lastError: null });
    expect(await live.feedState('f')).toMatchObject({ failures: 0, retryAt: null });
    const item = {
      feedUrl: 'f',
      key: 'g1',
      link: 'https://x.example/a',
      outcome: 'failed' as const,
      detail: 'timeout',
      docId: null,
      stamp: 'Sun, 23 Nov 2025 18:00:00 GMT',
      attempts: 1,
      at: at('2025-12-01T00:00:00Z'),
    };
    await live.recordFeedItem(item);
    await live.recordFeedItem({ ...item, outcome: 'added', docId: 'a', attempts: 2 });
    expect(await live.feedItem('f', 'g1')).toEqual({ ...item, outcome: 'added', docId: 'a', attempts: 2 });
    expect(await live.feedItem('other', 'g1')).toBeUndefined();
  });
});

/** PostgreSQL replicas cache notes and refresh every few seconds; SQLite reads the shared file. */
const caughtUp = async (live: LiveCorpusStore) => {
  if ('refresh' in live && typeof live.refresh === 'function') await live.refresh();
};

// Answer notes on one replica show what another recorded (an ingest or a feed poll elsewhere).
describe.each(backends())('$name live-corpus notes across processes', (backend) => {
  const copy = (url: string, recordedAt: string) => ({
    docId: 'a',
    url,
    source: 'Kyiv Desk',
    title: 'T',
    published: '2025-11-24',
    similarity: 0.8,
    recordedAt: at(recordedAt),
  });
  const correction = {
    docId: 'a',
    at: at('2025-12-01T00:00:00Z'),
    previousTitle: 'Old',
    title: 'New',
    source: 'S',
    changes: [{ before: 'It was.', after: 'It is.' }],
    added: [],
    previousSentences: ['It was.'],
  };

  it('shows copies and corrections recorded by another process, and forgets a deleted one', async () => {
    const db = await backend.create();
    databases.push(db);
    const one = (await db.open({ liveRefreshMs: 0 })).live;
    const two = (await db.open({ liveRefreshMs: 0 })).live;
    await one.recordCopy(copy('https://b.example/2', '2025-11-26T00:00:00Z'));
    await two.recordCopy(copy('https://a.example/1', '2025-11-25T00:00:00Z'));
    const fixed = await one.recordCorrection(correction);
    await caughtUp(two);
    await caughtUp(one);
    for (const live of [one, two]) {
      expect(live.notesFor(['a']).copies.map((c) => c.url)).toEqual([
        'https://a.example/1',
        'https://b.example/2',
      ]);
      expect(live.notesFor(['a', 'a']).corrections).toEqual([fixed]);
      expect(live.notesFor(['b'])).toEqual({ copies: [], corrections: [] });
    }
    await one.deleteCorrection(fixed.id);
    await caughtUp(two);
    expect(two.notesFor(['a']).corrections).toEqual([]);
    // A later one, recorded by the process that had cached the deleted one, still arrives.
    const again = await two.recordCorrection({ ...correction, at: at('2025-12-02T00:00:00Z') });
    await caughtUp(one);
    expect(one.notesFor(['a']).corrections).toEqual([again]);
  });

  it('loads what is already recorded when a process opens the database', async () => {
    const db = await backend.create();
    databases.push(db);
    const first = (await db.open({ liveRefreshMs: 0 })).live;
    await first.recordCopy(copy('https://a.example/1', '2025-11-25T00:00:00Z'));
    const fixed = await first.recordCorrection(correction);
    const later = (await db.open({ liveRefreshMs: 0 })).live;
    expect(later.notesFor(['a']).copies).toHaveLength(1);
    expect(later.notesFor(['a']).corrections).toEqual([fixed]);
  });
});
