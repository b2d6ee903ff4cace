import { describe, expect, it } from 'vitest';
import { createMemoryLiveCorpusStore } from '../../src/store/live-corpus-store.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import type { LiveCorpusStore } from '../../src/store/types.ts';

const implementations: Array<[string, () => LiveCorpusStore]> = [
  ['memory', () => createMemoryLiveCorpusStore()],
  ['sqlite', () => openSqliteStores(':memory:').live],
];

const at = (iso: string) => new Date(iso);

// The ingester, the feed poller and the answer notes rely on these, whichever store backs them.
describe.each(implementations)('%s live-corpus store', (_name, make) => {
  it('records a copy once per URL and lists copies by article', async () => {
    const live = make();
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
    const live = make();
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
    const live = make();
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
