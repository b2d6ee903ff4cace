import { afterEach, describe, expect, it } from 'vitest';
import { digestMessages } from '../../adapters/discord/embeds.ts';
import { digestMessage } from '../../adapters/slack/digest-blocks.ts';
import { createEngine } from '../../src/answering/engine.ts';
import { createManualClock } from '../../src/clock.ts';
import { createAskService } from '../../src/conversation/ask-service.ts';
import { attachNotes, withAnswerNotes } from '../../src/corpus/answer-notes.ts';
import { diffSentences, quoteNotes } from '../../src/corpus/corrections.ts';
import { readerHash } from '../../src/corpus/identity.ts';
import { createDigestComposer } from '../../src/digest/compose.ts';
import { renderDigestText } from '../../src/digest/render-digest.ts';
import { silentLogger } from '../../src/logger.ts';
import { renderText } from '../../src/messages/render-terminal.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import type { Correction } from '../../src/store/types.ts';
import { makeDocument } from '../helpers.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const before =
  'Envoys met in Geneva on Sunday. The plan now has 19 points. Officials said the army cap was dropped.\n\nMoscow declined to comment.';
const after =
  'Envoys met in Geneva on Sunday. The plan now has 20 points. Moscow declined to comment.\n\nKyiv welcomed the talks.';

const correction = (at: string, from: string, to: string): Correction => ({
  id: 1,
  docId: 'geneva',
  at: new Date(at),
  previousTitle: 'Geneva',
  title: 'Geneva',
  source: 'Wire',
  ...diffSentences(from, to),
});

describe('corrections', () => {
  it('pairs reworded sentences, and records removed and added ones', () => {
    expect(diffSentences(before, after)).toEqual({
      changes: [
        { before: 'The plan now has 19 points.', after: 'The plan now has 20 points.' },
        { before: 'Officials said the army cap was dropped.', after: null },
      ],
      added: ['Kyiv welcomed the talks.'],
      previousSentences: [
        'Envoys met in Geneva on Sunday.',
        'The plan now has 19 points.',
        'Officials said the army cap was dropped.',
        'Moscow declined to comment.',
      ],
    });
  });

  it('notes a stale quote ("now reads", "removed", following later corrections) and a corrected one ("earlier read")', () => {
    const third = 'Envoys met in Geneva on Sunday. The plan now has 21 points. Moscow declined to comment.';
    const history = [
      correction('2026-12-03T10:00:00Z', before, after),
      correction('2026-12-05T10:00:00Z', after, third),
    ];
    expect(
      quoteNotes('The plan now has 19 points. Officials said the army cap was dropped.', history).map(
        (n) => n.text,
      ),
    ).toEqual([
      'Updated 5 Dec 2026: this sentence now reads “The plan now has 21 points.”',
      'Updated 3 Dec 2026: this sentence has since been removed from the article.',
    ]);
    expect(quoteNotes('The plan now has 21 points.', history).map((n) => n.text)).toEqual([
      'Corrected 5 Dec 2026: this sentence earlier read “The plan now has 20 points.”',
    ]);
    expect(quoteNotes('Envoys met in Geneva on Sunday.', history)).toEqual([]);
  });

  it('attaches copies and notes to an answer and renders them in its text', () => {
    const engine = createEngine([
      makeDocument('geneva', after, { title: 'Geneva', source: 'Wire', published: '2025-11-23' }),
    ]);
    const answer = engine.answer('How many points does the plan have?');
    const noted = attachNotes(answer, {
      notesFor: () => ({
        copies: [
          {
            docId: 'geneva',
            url: 'https://kd.example/g',
            source: 'Kyiv Desk',
            title: 'G',
            published: '2025-11-24',
            similarity: 0.8,
            recordedAt: new Date(),
          },
        ],
        corrections: [correction('2026-12-03T10:00:00Z', before, after)],
      }),
    });
    expect(noted.citations[0]).toMatchObject({
      alsoPublishedBy: [{ source: 'Kyiv Desk', url: 'https://kd.example/g', published: '2025-11-24' }],
      notes: [
        {
          kind: 'earlier-read',
          at: '2026-12-03',
          text: 'Corrected 3 Dec 2026: this sentence earlier read “The plan now has 19 points.”',
        },
      ],
    });
    expect(renderText(noted)).toContain(
      '\n  Corrected 3 Dec 2026: this sentence earlier read “The plan now has 19 points.”',
    );
    expect(renderText(noted)).toContain(
      'Geneva — Wire, 2025-11-23 (also published by Kyiv Desk, 2025-11-24)',
    );
    expect(renderText(answer)).not.toContain('Corrected');
    expect(attachNotes(answer, { notesFor: () => ({ copies: [], corrections: [] }) })).toBe(answer);
  });

  it('gives an answer recalled for Share the correction made after it was given', async () => {
    const corrections: Correction[] = [];
    const engine = withAnswerNotes(
      createEngine([
        makeDocument('geneva', before, { title: 'Geneva', source: 'Wire', published: '2025-11-23' }),
      ]),
      () => ({ notesFor: () => ({ copies: [], corrections }) }),
    );
    const asks = createAskService({
      engine,
      clock: createManualClock('2026-12-01T12:00:00Z'),
      logger: silentLogger,
      asksPerMinute: {},
    });
    const asker = { platform: 'slack' as const, userId: 'U1', answerId: 'ans-1' };
    const result = await asks.ask(asker, 'How many points does the plan have?');
    if (!result.ok) throw new Error('not answered');
    expect(result.answer.citations[0]?.snippet).toContain('19 points');
    expect(result.answer.citations[0]?.notes).toBeUndefined();
    // The article is corrected after the answer was given, before someone shares it.
    corrections.push(correction('2026-12-03T10:00:00Z', before, after));
    const recalled = asks.recall('ans-1');
    expect(recalled?.question).toBe('How many points does the plan have?');
    expect(recalled?.answer.citations[0]?.notes?.map((n) => n.text)).toContain(
      'Updated 3 Dec 2026: this sentence now reads “The plan now has 20 points.”',
    );
    expect(renderText(recalled!.answer)).toContain('Updated 3 Dec 2026: this sentence now reads');
  });

  it('lists corrections since the last digest in its text, Block Kit and embeds', async () => {
    const clock = createManualClock('2026-12-04T08:00:00Z');
    const stores = openSqliteStores(':memory:', { clock, salt: 's' });
    cleanups.push(() => stores.close());
    const engine = createEngine([
      makeDocument('geneva', after, { title: 'Geneva', source: 'Wire', published: '2025-11-23' }),
    ]);
    const composer = createDigestComposer({ engine, ...stores, corrections: stores.live, clock });
    const key = { platform: 'slack' as const, channelId: 'C1', period: 'p1' };
    const first = await composer.compose({ ...key, record: true });
    await stores.digests.claim({
      ...key,
      corpusRevision: first.corpusRevision,
      publisher: 'slack',
      at: new Date('2026-12-02T08:00:00Z'),
    });
    await stores.digests.finish(key, {
      status: 'posted',
      messageId: 'm',
      at: new Date('2026-12-02T08:00:00Z'),
    });
    const { id: _id, ...c } = correction('2026-12-03T10:00:00Z', before, after);
    await stores.live.recordCorrection(c);
    await stores.live.recordCorrection({ ...c, at: new Date('2026-12-01T10:00:00Z') }); // before the last digest
    const { digest } = await composer.compose({ platform: 'slack', channelId: 'C1', record: true });
    expect(digest.entries).toEqual([]);
    expect(digest.corrections).toHaveLength(1);
    expect(renderDigestText(digest)).toContain('peacedesk digest: 1 correction since');
    expect(renderDigestText(digest)).toContain(
      '- Geneva — Wire, changed 3 Dec 2026: 1 sentence reworded, 1 removed, 1 added',
    );
    expect(renderDigestText(digest)).toContain(
      '    was: “The plan now has 19 points.”\n    now: “The plan now has 20 points.”',
    );
    expect(JSON.stringify(digestMessage(digest).blocks)).toContain('was: “The plan now has 19 points.”');
    expect(JSON.stringify(digestMessages(digest))).toContain('Corrections');
  });

  it('does not announce an article as updated when only its file’s formatting changed', async () => {
    const clock = createManualClock('2026-12-04T08:00:00Z');
    const stores = openSqliteStores(':memory:', { clock, salt: 's' });
    cleanups.push(() => stores.close());
    const fields = { title: 'Geneva', source: 'Wire', published: '2025-11-23' };
    const engine = createEngine([makeDocument('geneva', after, fields)]);
    const composer = createDigestComposer({ engine, ...stores, clock });
    const key = { platform: 'slack' as const, channelId: 'C1', period: 'p1' };
    const first = await composer.compose({ ...key, record: true });
    await stores.digests.claim({
      ...key,
      corpusRevision: first.corpusRevision,
      publisher: 'slack',
      at: clock.now(),
    });
    await stores.digests.finish(key, { status: 'posted', messageId: 'm', at: clock.now() });
    clock.advance(60_000);
    const reformatted = makeDocument(
      'geneva',
      `${after.replaceAll('. ', '.  ').replaceAll('\n\n', '\n\n\n')}\n\n`,
      fields,
    );
    expect(reformatted.fileHash).not.toBe(engine.document('geneva')!.fileHash);
    engine.upsert(reformatted);
    expect((await composer.compose({ ...key, record: true })).digest.entries).toEqual([]);
    engine.upsert(makeDocument('geneva', after.replace('20 points', '21 points'), fields));
    expect((await composer.compose({ ...key, record: true })).digest.entries.map((e) => e.status)).toEqual([
      'updated',
    ]);
  });

  it('adopts a database’s older whole-file hashes without calling every article updated', async () => {
    const stores = openSqliteStores(':memory:');
    cleanups.push(() => stores.close());
    await stores.documents.sync([{ docId: 'a', contentHash: 'f'.repeat(64) }]);
    const hash = readerHash({ title: 'T', source: 'S', published: '2025-01-01', body: 'Text.' });
    expect(await stores.documents.sync([{ docId: 'a', contentHash: hash }])).toMatchObject({ changed: [] });
    const edited = readerHash({ title: 'T2', source: 'S', published: '2025-01-01', body: 'Text.' });
    expect(await stores.documents.sync([{ docId: 'a', contentHash: edited }])).toMatchObject({
      changed: ['a'],
    });
  });
});
