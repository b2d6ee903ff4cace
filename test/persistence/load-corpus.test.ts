import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/corpus/parse-document.ts';
import { collectDocuments, loadCorpus } from '../../src/persistence/load-corpus.ts';
import { tempFolder } from '../helpers.ts';

const good = (id: string, extra = '') =>
  `---\nid: ${id}\ntitle: A good article\nsource: Reuters\npublished: 2025-08-21\n${extra}---\n\nPutin met Trump in Alaska.\n`;

describe('loadCorpus', () => {
  it('loads the shipped corpus: five articles with their manifest metadata', async () => {
    const { documents, problems } = await loadCorpus('corpus');
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.id)).toEqual([
      '2025-03-13-russia-demands-list',
      '2025-08-09-putin-two-stage-offer',
      '2025-08-21-putin-alaska-terms',
      '2025-11-20-us-draft-peace-plan',
      '2026-01-28-us-donbas-precondition',
    ]);
    const reuters = documents.find((d) => d.id === '2025-08-21-putin-alaska-terms')!;
    expect(reuters).toMatchObject({ source: 'Reuters', published: '2025-08-21', dateInferred: true });
    expect(reuters.contentHash).toMatch(/^r1:[0-9a-f]{64}$/);
    expect(reuters.fileHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('drops page furniture from the WSJ relay but keeps its reporting', async () => {
    const { documents } = await loadCorpus('corpus');
    const wsj = documents.find((d) => d.id === '2025-08-09-putin-two-stage-offer')!;
    expect(wsj.body).not.toMatch(/Points of attention|^Source:|secretly offered Trump/m);
    expect(wsj.body).toContain("Witkoff told Trump that Putin's proposal consists of two stages.");
  });

  const cases: Array<[string, string, string, RegExp]> = [
    [
      'broken YAML',
      'broken.md',
      '---\nid: broken\ntitle: [unclosed\n---\n\nBody.\n',
      /front matter.*not valid YAML/,
    ],
    ['no front matter', 'bare.md', 'Just a body.\n', /has no front matter/],
    [
      'missing title',
      'untitled.md',
      '---\nid: untitled\nsource: Reuters\npublished: 2025-08-21\n---\n\nBody.\n',
      /^title is missing/,
    ],
    [
      'bad date',
      'baddate.md',
      '---\nid: baddate\ntitle: T\nsource: S\npublished: 21/08/2025\n---\n\nBody.\n',
      /^published must be a date written YYYY-MM-DD/,
    ],
    [
      'impossible date',
      'feb30.md',
      '---\nid: feb30\ntitle: T\nsource: S\npublished: 2025-02-30\n---\n\nBody.\n',
      /^published is not a real calendar date/,
    ],
    [
      'wrong type',
      'numtitle.md',
      '---\nid: numtitle\ntitle: 42\nsource: S\npublished: 2025-08-21\n---\n\nBody.\n',
      /^title /,
    ],
    ['bad url', 'badurl.md', good('badurl', 'url: not a url\n'), /^url /],
    ['unknown field', 'extra.md', good('extra', 'colour: red\n'), /^colour is not a known field/],
    [
      'id not matching file name',
      'other-name.md',
      good('some-id'),
      /^id "some-id" does not match the file name/,
    ],
    [
      'empty body',
      'empty.md',
      '---\nid: empty\ntitle: T\nsource: S\npublished: 2025-08-21\n---\n\n  \n',
      /^body is empty/,
    ],
  ];

  it.each(cases)(
    'reports %s with its path and field, and still loads the good files',
    async (_name, file, text, message) => {
      const { dir, cleanup } = await tempFolder({
        'good-one.md': good('good-one'),
        [file]: text,
        'notes.txt': 'ignored',
      });
      try {
        const { documents, problems } = await loadCorpus(dir);
        expect(documents.map((d) => d.id)).toEqual(['good-one']);
        expect(problems).toHaveLength(1);
        expect(problems[0]!.path).toBe(`${dir}/${file}`);
        expect(`${problems[0]!.field ?? ''} ${problems[0]!.problem}`.trim()).toMatch(message);
      } finally {
        await cleanup();
      }
    },
  );

  it('serves X.md and reports a stray X.MD (or X.Md) by name without loading it', async () => {
    const real = good('dup').replace('A good article', 'The real one');
    const { dir, cleanup } = await tempFolder({
      'dup.md': real,
      'dup.MD': good('dup').replace('A good article', 'The stray one'),
      'other.Md': good('other'),
    });
    try {
      const { documents, problems } = await loadCorpus(dir);
      expect(documents.map((d) => [d.id, d.title])).toEqual([['dup', 'The real one']]);
      expect(problems.map((p) => p.path)).toEqual([`${dir}/dup.MD`, `${dir}/other.Md`]);
      expect(problems[0]!.problem).toMatch(
        /not loaded: only files ending in lower-case "\.md".*rename it to dup\.md/,
      );
    } finally {
      await cleanup();
    }
  });

  it('reports a second file with an id already loaded and keeps the first', () => {
    const { documents, problems } = collectDocuments([
      { path: 'a/dup.md', text: good('dup') },
      { path: 'b/dup.md', text: good('dup').replace('A good article', 'Impostor') },
    ]);
    expect(documents.map((d) => [d.path, d.title])).toEqual([['a/dup.md', 'A good article']]);
    expect(problems[0]).toMatchObject({
      path: 'b/dup.md',
      field: 'id',
      problem: expect.stringMatching(/already used by a\/dup\.md \(that article is kept/),
    });
  });

  it('reports an empty file as empty, not as lacking front matter', async () => {
    const { dir, cleanup } = await tempFolder({ 'empty.md': '', 'blank.md': '\n  \n' });
    try {
      const { problems } = await loadCorpus(dir);
      expect(problems.map((p) => [p.field, p.problem])).toEqual([
        [undefined, 'is empty'],
        [undefined, 'is empty'],
      ]);
    } finally {
      await cleanup();
    }
  });

  it('counts YAML error lines from the top of the file', () => {
    // Line 1 is "---", so the unclosed list on the YAML's second line is the file's line 3.
    const text = '---\nid: broken\ntitle: [unclosed\nsource: S\n---\n\nBody.\n';
    expect(() => parseDocument('corpus/broken.md', text)).toThrow(/line 4, column 1 of the file/);
    const other = '---\nid: x\n  title: bad: colon\n---\n\nBody.\n';
    expect(() => parseDocument('corpus/x.md', other)).toThrow(/line 2, column 5 of the file/);
  });

  it('strips terminal escapes and control characters from the body and the front matter', () => {
    const text = [
      '---',
      'id: esc',
      'title: "Clear\\e[2J screen\\x07"',
      'source: "Wire\u001b]0;pwned\u0007"',
      'published: 2025-08-21',
      '---',
      '',
      'Putin\u001b[2J met\u0000 Trump\u009b31m in\u0085 Alaska\r.\tTabs stay.',
      'Lines stay.\r',
      '',
    ].join('\n');
    const document = parseDocument('corpus/esc.md', text);
    expect(document.title).toBe('Clear screen');
    expect(document.source).toBe('Wire');
    expect(document.body).toBe('\nPutin met Trump in Alaska.\tTabs stay.\nLines stay.\r\n');
    expect(`${document.title}${document.source}${document.body}`).not.toMatch(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/,
    );
  });

  it('fails with a coded error when the folder cannot be read', async () => {
    await expect(loadCorpus('/nonexistent/peacedesk-corpus')).rejects.toMatchObject({
      code: 'corpus_unreadable',
    });
  });
});
