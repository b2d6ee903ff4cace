import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/ingest.ts';
import { deriveId } from '../../src/corpus/ingest.ts';
import { loadCorpus } from '../../src/persistence/load-corpus.ts';
import { tempFolder } from '../helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(inputs: Record<string, string> = {}) {
  const corpus = await tempFolder({});
  const files = await tempFolder(inputs);
  cleanups.push(corpus.cleanup, files.cleanup);
  const run = async (
    args: string[],
    options: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {},
  ) => {
    const out: string[] = [];
    const err: string[] = [];
    let clock = 0;
    const code = await main(
      args,
      { CORPUS_DIR: corpus.dir, DATABASE_PATH: join(files.dir, 'peacedesk.db'), ...options.env },
      {
        stdin: Readable.from([options.stdin ?? '']),
        stdout: { write: (text: string) => out.push(text) },
        stderr: { write: (text: string) => err.push(text), isTTY: options.tty ?? false },
        now: () => (clock += 500),
      },
    );
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  return { corpus: corpus.dir, input: (name: string) => join(files.dir, name), run };
}

const markdown = `---
id: 2025-04-02-grain-corridor
title: Grain ships leave Odesa
source: Test Wire
published: 2025-04-02
url: https://example.com/grain
---

Grain ships left Odesa under a new corridor agreement.
`;
const plain = 'Talks resumed in Geneva on Monday.\n\nBoth delegations agreed to meet again in May.\n';

describe('npm run ingest', () => {
  it('adds a Markdown article and a plain-text one with fields from the flags', async () => {
    const { corpus, input, run } = await setup({ 'grain.md': markdown, 'talks.txt': plain });
    const first = await run([input('grain.md')]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('added 2025-04-02-grain-corridor');
    const second = await run([
      input('talks.txt'),
      '--title',
      'Talks resume in Genève',
      '--source',
      'Wire',
      '--published',
      '2025-05-06',
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('added 2025-05-06-talks-resume-in-geneve');
    const { documents, problems } = await loadCorpus(corpus);
    expect(problems).toEqual([]);
    expect(documents.map((d) => [d.id, d.title, d.url])).toEqual([
      ['2025-04-02-grain-corridor', 'Grain ships leave Odesa', 'https://example.com/grain'],
      ['2025-05-06-talks-resume-in-geneve', 'Talks resume in Genève', undefined],
    ]);
    expect(documents[1]!.body.trim()).toBe(plain.trim());
  });

  it('reads standard input with "-" and takes --id', async () => {
    const { corpus, run } = await setup();
    const result = await run(
      ['-', '--id', 'geneva-talks', '--title', 'T', '--source', 'S', '--published', '2025-05-06'],
      {
        stdin: plain,
      },
    );
    expect(result.code).toBe(0);
    expect(await readdir(corpus)).toEqual(['geneva-talks.md']);
  });

  it('refuses the same text twice, naming the existing id', async () => {
    const { corpus, input, run } = await setup({ 'grain.md': markdown, 'talks.txt': plain });
    await run([input('grain.md')]);
    const again = await run([input('grain.md')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /unchanged: .*2025-04-02-grain-corridor is already in the corpus as it is; nothing written/,
    );
    const renamed = await run([input('grain.md'), '--id', 'grain-copy']);
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toMatch(
      /grain\.md: the same article is already in the corpus as 2025-04-02-grain-corridor/,
    );
    expect(await readdir(corpus)).toEqual(['2025-04-02-grain-corridor.md']);
  });

  it('updates a changed article under the same id', async () => {
    const { corpus, input, run } = await setup({ 'grain.md': markdown });
    await run([input('grain.md')]);
    await writeFile(
      input('grain.md'),
      markdown.replace('new corridor agreement', 'corridor agreement extended to May'),
    );
    const update = await run([input('grain.md')]);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain('updated 2025-04-02-grain-corridor');
    expect(await readFile(join(corpus, '2025-04-02-grain-corridor.md'), 'utf8')).toContain('extended to May');
  });

  it('rejects bad input with a clear message and exit code 2, writing nothing', async () => {
    const { corpus, input, run } = await setup({
      'talks.txt': plain,
      'bad.md': '---\ntitle: [unclosed\n---\nText.',
    });
    const missing = await run([input('talks.txt'), '--title', 'Talks']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/talks\.txt: source is missing \(give --source\)/);
    const badDate = await run([
      input('talks.txt'),
      '--title',
      'T',
      '--source',
      'S',
      '--published',
      '2025-02-30',
    ]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/published is not a real calendar date/);
    const badYaml = await run([input('bad.md')]);
    expect(badYaml.code).toBe(2);
    expect(badYaml.stderr).toMatch(/bad\.md: front matter is not valid/);
    const empty = await run(['-', '--title', 'T', '--source', 'S', '--published', '2025-02-03'], {
      stdin: '  \n',
    });
    expect(empty.stderr).toMatch(/body is empty/);
    const unreadable = await run([input('nope.md')]);
    expect(unreadable.stderr).toMatch(/nope\.md: cannot be read/);
    expect(await readdir(corpus)).toEqual([]);
    await expect(run(['--colour'])).rejects.toMatchObject({ code: 'usage' });
    await expect(run([])).rejects.toMatchObject({ code: 'usage' });
  });

  it('shows count, rate and time left on a terminal for several files', async () => {
    const { input, run } = await setup({
      'grain.md': markdown,
      'bad.md': 'x',
      'talks.md': `---\nid: barges\ntitle: Barges\nsource: Test Wire\npublished: 2025-04-03\n---\n\n${plain}`,
    });
    const result = await run([input('grain.md'), input('bad.md'), input('talks.md')], { tty: true });
    expect(result.stderr).toMatch(/\[1\/3\] 2\.0 files\/s, 1 s left/);
    expect(result.stderr).toMatch(/\[3\/3\]/);
    expect(result.stdout).toMatch(
      /2 added, 0 updated, 0 unchanged, 0 copies recorded, 0 already present, 1 with errors/,
    );
    expect(result.code).toBe(2);
  });
});

describe('npm run ingest: re-ingesting and messages (issue 13)', () => {
  const longTitle =
    'US and Ukrainian negotiators agree a “refined” 19-point framework after talks in Geneva: what changed, and what Kyiv still rejects';
  const quoted = `---
id: 2025-11-23-geneva
title: "${longTitle.replaceAll('"', '\\"')}"
source: 'Test Wire: Europe'
published: "2025-11-23"
url: https://example.com/geneva
---

The delegations met for two days.
`;

  it('changes nothing for an unchanged article and says so: no rewrite, no "updated"', async () => {
    const { corpus, input, run } = await setup({ 'geneva.md': quoted });
    expect((await run([input('geneva.md')])).stdout).toContain('added 2025-11-23-geneva');
    const file = join(corpus, '2025-11-23-geneva.md');
    const before = await stat(file);
    const written = await readFile(file, 'utf8');
    // The title stays on one line and the file's quoting is kept.
    expect(written).toContain(`title: "${longTitle}"`);
    expect(written).toContain("source: 'Test Wire: Europe'");
    expect(written).toContain('published: "2025-11-23"');
    for (const again of [quoted, quoted.replace('two days.', 'two days.   \n\n\n'), written]) {
      await writeFile(input('geneva.md'), again);
      const result = await run([input('geneva.md')]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(
        /^unchanged: .*2025-11-23-geneva is already in the corpus as it is; nothing written\n$/,
      );
    }
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(file, 'utf8')).toBe(written);
    // What a reader sees changing is an update.
    await writeFile(input('geneva.md'), quoted.replace('Test Wire: Europe', 'Test Wire'));
    expect((await run([input('geneva.md')])).stdout).toContain('updated 2025-11-23-geneva');
  });

  it('names the date and the format for a bad --published, http(s) for a bad --url, and warns of a future date', async () => {
    const { corpus, input, run } = await setup({ 'talks.txt': plain });
    const flags = ['--title', 'Talks', '--source', 'Wire'];
    const dmy = await run([input('talks.txt'), ...flags, '--published', '21/11/2025']);
    expect(dmy.code).toBe(2);
    expect(dmy.stderr).toMatch(
      /published "21\/11\/2025" is not a date written YYYY-MM-DD \(did you mean 2025-11-21\?\)/,
    );
    expect(dmy.stderr).not.toMatch(/\bid\b/);
    const ftp = await run([
      input('talks.txt'),
      ...flags,
      '--published',
      '2025-11-21',
      '--url',
      'ftp://files.example/a',
    ]);
    expect(ftp.stderr).toMatch(
      /url must be an http:\/\/ or https:\/\/ link \(got "ftp:\/\/files\.example\/a"\)/,
    );
    expect(await readdir(corpus)).toEqual([]);
    const future = await run([input('talks.txt'), ...flags, '--published', '2999-01-01']);
    expect(future.code).toBe(0);
    expect(future.stderr).toMatch(
      /warning: .*talks\.txt: published 2999-01-01 is in the future \(today is \d{4}-\d{2}-\d{2}\); check the date/,
    );
    expect(await readdir(corpus)).toEqual(['2999-01-01-talks.md']);
  });
});

describe('deriveId', () => {
  it('joins the date and a short slug of the title', () => {
    expect(deriveId('2025-08-21', 'Putin’s “Alaska terms”: what Moscow wants from Kyiv — and why')).toBe(
      '2025-08-21-putin-s-alaska-terms-what-moscow-wants-from-kyiv-and-why',
    );
    expect(deriveId('2025-08-21', '¿¡')).toBe('2025-08-21');
  });
});
