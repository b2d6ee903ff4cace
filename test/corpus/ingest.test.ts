import { readdir, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.ts';
import { createIngester } from '../../src/corpus/ingest.ts';
import { createMemoryLiveCorpusStore } from '../../src/store/live-corpus-store.ts';
import { tempFolder } from '../helpers.ts';
import { COPIES, ORIGINAL } from '../live-corpus/stories.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function corpus() {
  const folder = await tempFolder({});
  cleanups.push(folder.cleanup);
  return folder.dir;
}

const fields = {
  title: 'Geneva talks produce a shorter framework',
  source: 'Test Wire',
  published: '2025-11-23',
  url: 'https://news.example/geneva',
};

describe('createIngester', () => {
  it('takes a page read again at its URL as the next version, even under a new headline', async () => {
    const dir = await corpus();
    const live = createMemoryLiveCorpusStore();
    const ingester = createIngester(dir, [], { live, clock: createManualClock('2025-11-25T00:00:00Z') });
    expect(await ingester.ingest({ origin: 'a', text: ORIGINAL, fields })).toMatchObject({ action: 'added' });
    const edited = ORIGINAL.replace('19 points instead of 28', '20 points instead of 28');
    const again = await ingester.ingest({
      origin: 'b',
      text: edited,
      fields: { ...fields, title: 'Geneva talks end with a 20-point framework' },
    });
    expect(again).toMatchObject({
      action: 'updated',
      id: '2025-11-23-geneva-talks-produce-a-shorter-framework',
    });
    expect(await readdir(dir)).toEqual(['2025-11-23-geneva-talks-produce-a-shorter-framework.md']);
    const [correction] = await live.corrections('2025-11-23-geneva-talks-produce-a-shorter-framework');
    expect(correction).toMatchObject({
      previousTitle: 'Geneva talks produce a shorter framework',
      title: 'Geneva talks end with a 20-point framework',
      changes: [
        {
          before: 'The revised text has 19 points instead of 28, according to two people who saw it.',
          after: 'The revised text has 20 points instead of 28, according to two people who saw it.',
        },
      ],
    });
    expect(await readFile(`${dir}/2025-11-23-geneva-talks-produce-a-shorter-framework.md`, 'utf8')).toContain(
      'title: Geneva talks end with a 20-point framework\n',
    );
  });

  it('refuses a copy when no store can record it, writing nothing', async () => {
    const dir = await corpus();
    const ingester = createIngester(dir, []);
    await ingester.ingest({ origin: 'a', text: ORIGINAL, fields });
    const copy = await ingester.ingest({
      origin: 'kyiv',
      text: COPIES['paragraph added']!,
      fields: { ...fields, source: 'Kyiv Desk', url: 'https://kyiv.example/g', title: 'Shorter framework' },
    });
    expect(copy).toMatchObject({ action: 'copy', recorded: false });
    expect(copy.action === 'copy' && copy.message).toMatch(
      /kyiv: a copy of 2025-11-23-geneva-talks-produce-a-shorter-framework \(Test Wire, 2025-11-23; \d+% alike\); not added/,
    );
    expect(await readdir(dir)).toHaveLength(1);
  });
  it('writes an article without control characters or terminal escapes, its id from the clean title', async () => {
    const dir = await corpus();
    const ingester = createIngester(dir, []);
    const hostile = {
      origin: 'story.txt',
      text: 'Talks resumed in Geneva \u001b[2Jon Monday\u001b]0;pwned\u0007 after a delay\u009b31m.\n',
      fields: { title: 'Geneva \u001b[31mtalks', source: 'Wire\u0007', published: '2025-11-21' },
    };
    expect(await ingester.ingest(hostile)).toMatchObject({ action: 'added', id: '2025-11-21-geneva-talks' });
    const written = await readFile(`${dir}/2025-11-21-geneva-talks.md`, 'utf8');
    expect(written).toBe(
      '---\nid: 2025-11-21-geneva-talks\ntitle: Geneva talks\nsource: Wire\npublished: 2025-11-21\n---\n\nTalks resumed in Geneva on Monday after a delay.\n',
    );
    // YAML escapes in a file's own front matter ("\e" is ESC) are cleaned the same way.
    const file =
      '---\ntitle: "Kyiv \\e]0;pwned\\a replies"\nsource: Wire\npublished: 2025-11-22\n---\n\nKyiv replied.\n';
    expect(await ingester.ingest({ origin: 'reply.md', text: file })).toMatchObject({
      action: 'added',
      id: '2025-11-22-kyiv-replies',
    });
    expect(await readFile(`${dir}/2025-11-22-kyiv-replies.md`, 'utf8')).toContain('title: "Kyiv  replies"\n');
    // The same article again, escapes and all, changes nothing.
    expect(await ingester.ingest(hostile)).toMatchObject({ action: 'unchanged' });
  });
});
