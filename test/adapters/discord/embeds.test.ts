import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessagePayload } from '../../../adapters/discord/command.ts';
import {
  answerMessage,
  digestMessages,
  embedLength,
  escapeMarkdown,
  LIMITS,
  parseVoteCustomId,
  sourcesMessage,
  voteCustomId,
} from '../../../adapters/discord/embeds.ts';
import type { Answer, ArticleSummary, Citation } from '../../../src/answering/types.ts';
import { DECLINE_MESSAGE } from '../../../src/messages/strings.ts';
import { citationFixture as citation } from '../../helpers.ts';
import { fixtureDigest } from './fixtures.ts';

function answered(citations: Citation[], question = 'What about NATO?'): Answer {
  return {
    kind: 'answer',
    question,
    heading: null,
    answered: true,
    citations,
    related: [],
    silent: [],
    asOf: '2025-11-20',
  };
}

function expectWithinLimits(payload: MessagePayload) {
  expect((payload.content ?? '').length).toBeLessThanOrEqual(LIMITS.content);
  const embeds = payload.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
  expect(embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedsTotal);
  for (const embed of embeds) {
    expect((embed.title ?? '').length).toBeLessThanOrEqual(LIMITS.title);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(LIMITS.description);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
  }
}

describe('escapeMarkdown', () => {
  it('shows formatting, masked links and mentions literally, on one line', () => {
    expect(escapeMarkdown('**bold** _it_ ~~x~~ `code` ||spoiler|| [a](http://x) <@123>')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~x\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\[a\\](http://x) \\<@123>',
    );
    expect(escapeMarkdown('# Heading\nnext')).toBe('\\# Heading next');
    expect(escapeMarkdown('> quote')).toBe('\\> quote');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('a \\ b')).toBe('a \\\\ b');
  });
});

describe('answerMessage', () => {
  it('quotes each snippet with matched terms in bold, escaping the article text first', () => {
    const snippet = 'The *draft* bars NATO_membership.';
    const start = snippet.indexOf('NATO');
    const message = answerMessage(
      answered([citation(1, snippet, { highlights: [[start, start + 15]], url: 'https://x.org/a(b)' })]),
      '42',
    );
    const embed = message.embeds![0]!;
    expect(embed.description).toBe('> The \\*draft\\* bars **NATO\\_membership**. [1]');
    expect(embed.fields).toEqual([
      { name: '[1]', value: '[Title 1 — Wire, 2025-11-20](https://x.org/a(b%29)' },
    ]);
    expect(message.components![0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual([
      'vote:up:42',
      'vote:down:42',
    ]);
  });

  it('declines plainly and lists related articles', () => {
    const message = answerMessage(
      {
        kind: 'answer',
        heading: null,
        silent: [],
        question: 'Mars?',
        answered: false,
        citations: [],
        related: [
          { docId: 'a', title: 'A [b]', source: 'S', published: '2025-01-01', url: 'https://a.example' },
        ],
        asOf: null,
      },
      '1',
    );
    expect(message.embeds![0]).toMatchObject({
      description: DECLINE_MESSAGE,
      fields: [{ name: 'Closest articles', value: '• [A \\[b\\] — S, 2025-01-01](https://a.example)' }],
    });
  });

  it('stays within every Discord limit whatever the snippets, titles and question', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', '*', '_', ' ', '<', '@', '\n', 'é', '['),
      maxLength: 3000,
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.string({ maxLength: 400 }), fc.boolean()), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.string({ maxLength: 3000 }),
        (parts, question) => {
          const citations = parts.map(([snippet, title, linked], i) =>
            citation(i + 1, snippet, {
              title,
              url: linked ? `https://example.org/${'x'.repeat(i * 150)}` : null,
              highlights: snippet.length > 4 ? [[1, 3]] : [],
            }),
          );
          const message = answerMessage(answered(citations, question), '1');
          expectWithinLimits(message);
          expect(message.embeds![0]!.description!.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('answerMessage for comparisons and timelines', () => {
  const perspective = (citations: Citation[], silent: Answer['silent'], heading: string): Answer => ({
    ...answered(citations, 'Compare the proposals on NATO'),
    kind: 'comparison',
    heading,
    silent,
  });

  it('opens with the heading, gives each citation its label, quote and source, and lists the silent', () => {
    const message = answerMessage(
      perspective(
        [
          citation(1, 'Russia wants a neutral Ukraine.', {
            label: 'Russia, 2025-08-21: *Terms*',
            highlights: [[15, 22]],
          }),
          citation(2, 'The draft bars NATO.', {
            label: 'United States, 2025-11-20: Draft',
            url: 'https://example.org/d',
          }),
        ],
        [
          {
            docId: 's',
            title: 'EU sanctions',
            source: 'Wire',
            published: '2025-10-01',
            url: 'https://example.org/s',
          },
        ],
        'How the proposals compare on NATO and neutrality (oldest first)',
      ),
      '1',
    );
    const embed = message.embeds![0]!;
    expect(embed.title).toBe('How the proposals compare on NATO and neutrality (oldest first)');
    expect(embed.description).toBe(
      [
        '**Russia, 2025-08-21: \\*Terms\\***',
        '> Russia wants a **neutral** Ukraine. [1]',
        'Title 1 — Wire, 2025-11-20',
        '',
        '**United States, 2025-11-20: Draft**',
        '> The draft bars NATO. [2]',
        '[Title 2 — Wire, 2025-11-20](https://example.org/d)',
      ].join('\n'),
    );
    expect(embed.fields).toEqual([
      { name: 'Silent on this', value: '[EU sanctions — Wire, 2025-10-01](https://example.org/s).' },
    ]);
    expect(embed.footer?.text).toBe('As of 2025-11-20 (newest source cited).');
    expect(message.components).toHaveLength(1);
  });

  it('says plainly when a timeline has nothing to show', () => {
    const answer = {
      ...perspective([], [], 'Nothing in the sources since 2026-01-01.'),
      kind: 'timeline' as const,
    };
    const embed = answerMessage({ ...answer, answered: false, asOf: null }, '1').embeds![0]!;
    expect(embed.title).toBe('Nothing in the sources since 2026-01-01.');
    expect(embed.fields).toBeUndefined();
  });

  it('stays within every Discord limit whatever the labels, snippets and silent documents', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '*', '_', ' ', '<', '\n', '['), maxLength: 3000 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.string({ maxLength: 400 }), fc.string({ maxLength: 600 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.string({ maxLength: 400 }), { maxLength: 12 }),
        fc.string({ maxLength: 600 }),
        (parts, silentTitles, heading) => {
          const citations = parts.map(([snippet, title, label], i) =>
            citation(i + 1, snippet, { title, label, url: `https://example.org/${'x'.repeat(i * 100)}` }),
          );
          const silent = silentTitles.map((title, i) => ({
            docId: `s${i}`,
            title,
            source: 'Wire',
            published: '2025-01-01',
            url: null,
          }));
          const message = answerMessage(perspective(citations, silent, heading), '1');
          expectWithinLimits(message);
          expect(message.embeds![0]!.description!.split('\n\n').length).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('sourcesMessage and digestMessages', () => {
  it('lists a large corpus within limits and says how many were left out', () => {
    const articles: ArticleSummary[] = Array.from({ length: 400 }, (_, i) => ({
      docId: `d${i}`,
      title: `A rather long article title number ${i} about the peace proposals`,
      source: 'Wire',
      published: '2025-11-20',
      url: `https://example.org/articles/${i}`,
      sentences: 3,
    }));
    const message = sourcesMessage(articles);
    expectWithinLimits(message);
    const text = message.embeds!.map((e) => e.description).join('\n');
    expect(text).toMatch(/…and \d+ more$/);
    expect(message.embeds![0]!.title).toBe('Sources (400 articles)');
  });

  it('splits a big digest into messages that each fit', () => {
    const base = fixtureDigest('1');
    const entry = base.entries[0]!;
    const digest = {
      ...base,
      entries: Array.from({ length: 30 }, (_, i) => ({
        ...entry,
        docId: `d${i}`,
        sentences: [{ snippet: 'word '.repeat(300), sentence: 0 }],
      })),
    };
    const messages = digestMessages(digest);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expectWithinLimits(message);
    expect(messages.flatMap((m) => m.embeds ?? []).filter((e) => e.title === entry.title)).toHaveLength(30);
  });

  it('posts the core’s text when nothing is new', () => {
    const digest = {
      ...fixtureDigest('1'),
      entries: [],
      topQuestions: [],
    };
    expect(digestMessages(digest)).toEqual([{ content: 'Nothing new since 19 Nov 2025, 09:00 UTC.' }]);
  });
});

describe('vote custom ids', () => {
  it('round-trip and reject anything else', () => {
    expect(parseVoteCustomId(voteCustomId('down', '1300000000000000042'))).toEqual({
      value: 'down',
      answerId: '1300000000000000042',
    });
    expect(parseVoteCustomId('vote:maybe:1')).toBeNull();
    expect(parseVoteCustomId('vote:up:')).toBeNull();
  });
});

describe('answerMessage with copies and corrections (issue 16)', () => {
  it('names the other outlets with the source and puts each correction note under its quote', () => {
    const noted = citation(1, 'The plan now has 20 points.', {
      alsoPublishedBy: [{ source: 'Kyiv_Desk', url: 'https://kd.example/g', published: '2025-11-24' }],
      notes: [
        {
          kind: 'now-reads',
          at: '2026-12-03',
          text: 'Updated 3 Dec 2026: this sentence now reads “The plan has *21* points.”',
        },
      ],
    });
    const payload = answerMessage(answered([noted]), 'a1');
    const embed = payload.embeds![0]!;
    expect(embed.fields![0]!.value).toContain('(also published by Kyiv\\_Desk, 2025-11-24)');
    expect(embed.description).toContain(
      '[1]\n-# Updated 3 Dec 2026: this sentence now reads “The plan has \\*21\\* points.”',
    );
    expectWithinLimits(payload);
  });
});

describe('answerMessage: small talk and other languages', () => {
  const base = {
    question: 'hi',
    heading: null,
    citations: [],
    related: [],
    silent: [],
    asOf: null,
    text: '',
  };

  it('shows the usage reply for small talk', () => {
    const embed = answerMessage({ ...base, kind: 'usage', answered: false }, '1').embeds![0]!;
    expect(embed.description).toContain('Try, for example: - What does the US draft say about NATO?');
    expect(embed.description).not.toContain(DECLINE_MESSAGE);
  });

  it('says the articles are in English for a question in another language', () => {
    const embed = answerMessage(
      {
        ...base,
        kind: 'answer',
        answered: false,
        declineReason: 'not_english',
        question: 'Що пропонує США?',
      },
      '1',
    ).embeds![0]!;
    expect(embed.description).toContain('The articles are in English');
  });
});
