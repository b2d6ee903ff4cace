import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/digest/types.ts';
import { digestMessageOf } from '../../src/messages/digest-message.ts';

const digest = (over: Partial<Digest> = {}): Digest => ({
  platform: 'slack',
  channelId: 'C1',
  since: '2026-01-01T08:00:00Z',
  until: '2026-01-02T08:00:00Z',
  entries: [
    {
      status: 'updated',
      docId: 'u1',
      title: 'Updated piece',
      source: 'Wire',
      published: '2025-12-30',
      url: null,
      sentences: [{ snippet: 'It changed.', sentence: 2 }],
    },
    {
      status: 'new',
      docId: 'n1',
      title: 'New piece',
      source: 'Desk',
      published: '2026-01-01',
      url: 'https://example.org/n1',
      sentences: [{ snippet: 'It is new.', sentence: 0 }],
    },
  ],
  corrections: [
    {
      docId: 'c1',
      title: 'Corrected piece',
      source: 'Wire',
      url: null,
      at: '2026-01-01T12:00:00Z',
      summary: '1 sentence reworded, 1 removed',
      changes: [
        { before: 'Old words.', after: 'New words.' },
        { before: 'Gone words.', after: null },
      ],
    },
  ],
  topQuestions: [{ question: 'What about NATO?', count: 2 }],
  asOf: '2026-01-01',
  gaps: [{ label: 'Brazil', count: 3, askers: 1, example: 'Is Brazil mediating?' }],
  ...over,
});

describe('digestMessageOf', () => {
  it('numbers new articles before updated ones and keeps their sources and quotes', () => {
    const message = digestMessageOf(digest());
    expect(message.groups.map((g) => g.heading)).toEqual(['New', 'Updated']);
    expect(message.articles.map((a) => [a.n, a.source.docId, a.statusLabel, a.quotes])).toEqual([
      [1, 'n1', 'New', ['It is new.']],
      [2, 'u1', 'Updated', ['It changed.']],
    ]);
    expect(message.articles[0]!.source.url).toBe('https://example.org/n1');
    expect(message.summary).toBe('peacedesk digest: 1 new article, 1 updated since 1 Jan 2026, 08:00 UTC');
    expect(message.title).toBe('peacedesk digest — 2026-01-02');
    expect(message.asOf).toBe('As of 2026-01-01 (newest article listed).');
    expect(message.empty).toBe(false);
  });

  it('words corrections change by change and gaps with their count', () => {
    const message = digestMessageOf(digest());
    expect(message.corrections).toEqual([
      {
        line: 'Corrected piece — Wire, changed 1 Jan 2026: 1 sentence reworded, 1 removed',
        url: null,
        changes: ['was: “Old words.”', 'now: “New words.”', 'removed: “Gone words.”'],
      },
    ]);
    expect(message.gaps).toEqual([
      { label: 'Brazil', countText: '3× by 1 person', example: 'Is Brazil mediating?' },
    ]);
  });

  it('is empty with only the summary when nothing happened', () => {
    const message = digestMessageOf(
      digest({
        entries: [],
        corrections: [],
        topQuestions: [],
        gaps: [],
        asOf: null,
        timeZone: 'Europe/Kyiv',
      }),
    );
    expect(message.empty).toBe(true);
    expect(message.summary).toBe('Nothing new since 1 Jan 2026, 10:00 Europe/Kyiv.');
    expect(message.articles).toEqual([]);
  });
});
