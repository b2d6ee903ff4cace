import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  answerMessage,
  decodeButtonValue,
  MAX_BLOCKS,
  quotedSnippet,
  SECTION_LIMIT,
  type SlackMessage,
  sourcesMessage,
} from '../../../adapters/slack/blocks.ts';
import { digestMessage } from '../../../adapters/slack/digest-blocks.ts';
import { escapeText, slackLink, slackToPlain } from '../../../adapters/slack/escape.ts';
import type { Answer, ArticleSummary, Citation } from '../../../src/answering/types.ts';
import type { Digest } from '../../../src/digest/types.ts';
import { citationFixture as citation } from '../../helpers.ts';

function answer(question: string, citations: Citation[], related: Answer['related'] = []): Answer {
  const base = {
    kind: 'answer' as const,
    question,
    heading: null,
    answered: citations.length > 0,
    citations,
    related,
    silent: [],
    asOf: '2025-11-20',
  };
  return base;
}

/** Every text a section or context block carries. */
function texts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block) => {
    if (block.type === 'section') return [block.text?.text ?? ''];
    if (block.type === 'context') return block.elements.map((e) => ('text' in e ? String(e.text) : ''));
    return [];
  });
}

function expectWithinLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  for (const text of texts(message)) expect(text.length).toBeLessThanOrEqual(SECTION_LIMIT);
  expect(JSON.stringify(message).length).toBeLessThan(12_000);
}

describe('escaping', () => {
  it('escapes the three control characters and nothing else', () => {
    expect(escapeText('<!channel> & <@U1> *bold*')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; *bold*');
  });

  it('links only plain http(s) URLs, and keeps the label from closing the link', () => {
    expect(slackLink('https://x.test/a?b=1&c=2', 'A | B <x>')).toBe(
      '<https://x.test/a?b=1&amp;c=2|A ¦ B &lt;x&gt;>',
    );
    expect(slackLink('javascript:alert(1)', 'T')).toBe('T');
    expect(slackLink('https://x.test/a>b', 'T')).toBe('T');
    expect(slackLink(null, 'T & U')).toBe('T &amp; U');
  });

  it('turns Slack markup in a question into plain text and drops the bot mention', () => {
    expect(
      slackToPlain('<@UBOT> what about <#C1|general>, <https://x.test|this> &amp; <!here>?', 'UBOT'),
    ).toBe('what about #general, this & @here?');
    expect(slackToPlain('<@U2|anna> asked &lt;why&gt;')).toBe('@anna asked <why>');
  });
});

describe('answerMessage', () => {
  it('quotes snippets with matched terms in bold after escaping, and cites each source', () => {
    const message = answerMessage(
      answer('Who leads <NATO>?', [
        citation(1, 'A & B said NATO leads.', {
          highlights: [[11, 15]],
          url: 'https://x.test/n',
          title: 'NATO & friends',
        }),
      ]),
      { answerId: 'a1' },
    );
    const all = texts(message);
    expect(all[0]).toBe('*Question:* Who leads &lt;NATO&gt;?');
    expect(all[1]).toBe('>“A &amp; B said *NATO* leads.” [1]');
    expect(all[2]).toBe('[1] <https://x.test/n|NATO &amp; friends> — Wire, 2025-11-20');
    expect(all[3]).toBe('As of 2025-11-20 (newest source cited).');
    expect(message.text).toContain('“A &amp; B said NATO leads.” [1]');
  });

  it('cuts a long snippet at the end, keeping the emphasis that still fits', () => {
    const long = citation(2, `NATO is named first. ${'word '.repeat(200)}NATO again.`, {
      highlights: [
        [0, 4],
        [1021, 1025],
      ],
    });
    const quoted = quotedSnippet(long, 200);
    expect(quoted.length).toBeLessThanOrEqual(200);
    expect(quoted.startsWith('>“*NATO* is named first.')).toBe(true);
    expect(quoted.endsWith('…” [2]')).toBe(true);
    expect(quoted).not.toContain('again');
  });

  it('declines plainly and lists the related articles', () => {
    const message = answerMessage(
      answer(
        'Moon?',
        [],
        [{ docId: 'd', title: 'Close <one>', source: 'Wire', published: '2025-01-01', url: null }],
      ),
      { answerId: 'a2' },
    );
    expect(texts(message)[1]).toBe(
      'The sources do not answer that question.\n\nClosest articles:\n• Close &lt;one&gt; — Wire, 2025-01-01',
    );
  });

  it('keeps ten long, entity-heavy citations within Slack limits', () => {
    const snippet = '&<>'.repeat(200);
    const citations = Array.from({ length: 10 }, (_, i) =>
      citation(i + 1, snippet, {
        title: '<'.repeat(500),
        source: '&'.repeat(300),
        url: `https://x.test/${'a'.repeat(900)}`,
        highlights: [[0, 3]],
      }),
    );
    const message = answerMessage(answer('&'.repeat(1999), citations), { answerId: 'a3', shareable: true });
    expectWithinLimits(message);
    expect(texts(message).filter((t) => t.startsWith('>“'))).toHaveLength(10);
  });

  it('carries the answer id and question in the buttons, and offers sharing only when asked', () => {
    const shared = answerMessage(answer('Where is the line?', [citation(1, 'Here.')]), {
      answerId: 'a4',
      shareable: true,
    });
    const actions = shared.blocks.at(-1)!;
    expect(actions.type).toBe('actions');
    const elements = (actions as { elements: Array<{ action_id: string; value: string }> }).elements;
    expect(elements.map((e) => e.action_id)).toEqual([ACTIONS.voteUp, ACTIONS.voteDown, ACTIONS.share]);
    expect(decodeButtonValue(elements[2]!.value)).toEqual({ answerId: 'a4', question: 'Where is the line?' });
    const plain = answerMessage(answer('Where is the line?', [citation(1, 'Here.')]), { answerId: 'a5' });
    expect(JSON.stringify(plain)).not.toContain(ACTIONS.share);
  });

  it('leaves out the share button when the question cannot fit in it', () => {
    const message = answerMessage(answer('"'.repeat(1999), [citation(1, 'Here.')]), {
      answerId: 'a6',
      shareable: true,
    });
    const json = JSON.stringify(message);
    expect(json).not.toContain(ACTIONS.share);
    expect(json).toContain(ACTIONS.voteUp);
    expectWithinLimits(message);
  });

  it('never lets article text form a Slack link or mention', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.string(), (snippet, title, source) => {
        const message = answerMessage(
          answer('q', [citation(1, snippet, { title, source, highlights: [[0, snippet.length]] })]),
          { answerId: 'p' },
        );
        expect(JSON.stringify(message)).not.toMatch(/</);
      }),
    );
  });

  it('rejects button values it did not write', () => {
    expect(decodeButtonValue('not json')).toBeUndefined();
    expect(decodeButtonValue('{"a":1}')).toBeUndefined();
    expect(decodeButtonValue(undefined)).toBeUndefined();
  });
});

describe('answerMessage for comparisons and timelines', () => {
  function perspective(
    kind: 'comparison' | 'timeline',
    citations: Citation[],
    silent: Answer['silent'],
  ): Answer {
    const base = {
      kind,
      question: 'Compare on nato',
      heading: 'How the proposals compare on NATO & neutrality (oldest first)',
      answered: citations.length > 0,
      citations,
      related: [],
      silent,
      asOf: '2025-11-20',
    };
    return base;
  }

  it('shows the heading, each label in bold over its quote and source, the silent documents and the date', () => {
    const message = answerMessage(
      perspective(
        'comparison',
        [
          citation(1, 'No NATO <ever>.', {
            highlights: [[3, 7]],
            label: 'Russia <Putin>, 2025-08-21: Terms & more',
          }),
          citation(2, 'NATO stays open.', {
            highlights: [[0, 4]],
            label: 'Europe, 2025-11-23: Counter-plan',
          }),
        ],
        [
          { docId: 's1', title: 'Grain <!channel>', source: 'Wire', published: '2025-10-01', url: null },
          { docId: 's2', title: 'Ports', source: 'Wire', published: '2025-10-02', url: 'https://x.test/p' },
        ],
      ),
      { answerId: 'p1', shareable: true },
    );
    expect(texts(message)).toEqual([
      '*Question:* Compare on nato',
      '*How the proposals compare on NATO &amp; neutrality (oldest first)*',
      '*Russia &lt;Putin&gt;, 2025-08-21: Terms &amp; more*\n>“No *NATO* &lt;ever&gt;.” [1]',
      '[1] Title 1 — Wire, 2025-11-20',
      '*Europe, 2025-11-23: Counter-plan*\n>“*NATO* stays open.” [2]',
      '[2] Title 2 — Wire, 2025-11-20',
      'Silent on this: Grain &lt;!channel&gt; — Wire, 2025-10-01; <https://x.test/p|Ports> — Wire, 2025-10-02.',
      'As of 2025-11-20 (newest source cited).',
    ]);
    expect(message.blocks.at(-1)?.type).toBe('actions');
  });

  it('shows an empty timeline as its heading alone', () => {
    const empty = { ...perspective('timeline', [], []), heading: 'Nothing in the sources since 2026-01-01.' };
    expect(texts(answerMessage(empty, { answerId: 'p2' }))).toEqual([
      '*Question:* Compare on nato',
      '*Nothing in the sources since 2026-01-01.*',
      'As of 2025-11-20 (newest source cited).',
    ]);
  });

  it('keeps eight long, entity-heavy rows and eight silent documents within Slack limits', () => {
    const rows = Array.from({ length: 8 }, (_, i) =>
      citation(i + 1, '&<>'.repeat(300), {
        title: '<'.repeat(500),
        source: '&'.repeat(300),
        url: `https://x.test/${'a'.repeat(900)}`,
        highlights: [[0, 3]],
        label: '&'.repeat(600),
      }),
    );
    const silent = Array.from({ length: 8 }, (_, i) => ({
      docId: `s${i}`,
      title: '>'.repeat(400),
      source: '&'.repeat(200),
      published: '2025-01-01',
      url: `https://x.test/${'b'.repeat(900)}`,
    }));
    const message = answerMessage(perspective('comparison', rows, silent), {
      answerId: 'p3',
      shareable: true,
    });
    expectWithinLimits(message);
    expect(texts(message).filter((t) => t.includes('>“'))).toHaveLength(8);
    expect(texts(message).some((t) => t.startsWith('Silent on this: '))).toBe(true);
  });
});

describe('sourcesMessage', () => {
  it('lists a large corpus within limits and says how many more there are', () => {
    const articles: ArticleSummary[] = Array.from({ length: 400 }, (_, i) => ({
      docId: `d${i}`,
      title: `A rather long article title number ${i} about the peace proposals`,
      source: 'Wire',
      published: '2025-01-01',
      url: `https://x.test/${i}`,
      sentences: 10,
    }));
    const message = sourcesMessage(articles);
    expectWithinLimits(message);
    expect(texts(message)[0]).toContain('400 articles');
    expect(texts(message).at(-1)).toMatch(/^…and \d+ more\.$/);
  });
});

describe('digestMessage', () => {
  const entry = (i: number): Digest['entries'][number] => ({
    status: i % 2 ? 'updated' : 'new',
    docId: `d${i}`,
    title: `Article <${i}>`,
    source: 'Wire',
    published: '2026-01-01',
    url: null,
    sentences: [
      { snippet: `First & cited sentence of ${i}. ${'x'.repeat(400)}`, sentence: 0 },
      { snippet: 'Second sentence.', sentence: 3 },
    ],
  });
  const digest = (entries: Digest['entries']): Digest => ({
    platform: 'slack',
    channelId: 'C1',
    since: '2026-01-01T08:00:00Z',
    until: '2026-01-02T08:00:00Z',
    entries,
    topQuestions: [],
    asOf: entries.length ? '2026-01-01' : null,
  });

  it('renders each entry with its cited sentences as quotes', () => {
    const [summary, first] = texts(digestMessage(digest([entry(0)])));
    expect(summary).toBe('peacedesk digest: 1 new article since 1 Jan 2026, 08:00 UTC');
    expect(first).toContain(
      '*New:* Article &lt;0&gt; — Wire, 2026-01-01\n>“First &amp; cited sentence of 0.',
    );
    expect(first).toContain('\n>“Second sentence.”');
  });

  it('keeps a large digest within limits', () => {
    const message = digestMessage(digest(Array.from({ length: 120 }, (_, i) => entry(i))));
    expectWithinLimits(message);
    expect(texts(message)).toContainEqual(expect.stringMatching(/^…and \d+ more\.$/));
  });

  it('says when nothing is new', () => {
    expect(texts(digestMessage(digest([])))).toEqual(['Nothing new since 1 Jan 2026, 08:00 UTC.']);
  });
});

describe('answerMessage with copies and corrections (issue 16)', () => {
  it('names the other outlets after the source and puts each correction note under it, escaped', () => {
    const noted = citation(1, 'The plan now has 20 points.', {
      alsoPublishedBy: [{ source: 'Kyiv <Desk>', url: 'https://kd.example/g', published: '2025-11-24' }],
      notes: [
        {
          kind: 'earlier-read',
          at: '2026-12-03',
          text: 'Corrected 3 Dec 2026: this sentence earlier read “The plan has 19 & more points.”',
        },
      ],
    });
    const message = answerMessage(answer('How many points?', [noted]), { answerId: 'a1' });
    const source = texts(message).find((t) => t.startsWith('[1]'))!;
    expect(source).toContain('(also published by Kyiv &lt;Desk&gt;, 2025-11-24)');
    expect(source).toContain(
      '\n_Corrected 3 Dec 2026: this sentence earlier read “The plan has 19 &amp; more points.”_',
    );
    expectWithinLimits(message);
  });
});

describe('answerMessage: small talk and other languages', () => {
  const base = { question: 'hi', heading: null, citations: [], related: [], silent: [], asOf: null };

  it('shows the usage reply, not a decline, for small talk', () => {
    const usage = { ...base, kind: 'usage' as const, answered: false };
    const message = answerMessage(usage, { answerId: 'a1' });
    const all = texts(message).join('\n');
    expect(all).toContain('What does the US draft say about NATO?');
    expect(all).not.toContain('The sources do not answer');
  });

  it('says the articles are in English for a question in another language', () => {
    const declined = {
      ...base,
      question: 'Що пропонує США?',
      kind: 'answer' as const,
      answered: false,
      declineReason: 'not_english' as const,
    };
    const message = answerMessage(declined, { answerId: 'a1' });
    expect(texts(message).join('\n')).toContain('The articles are in English');
  });
});
