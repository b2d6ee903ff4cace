import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.ts';
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

  it('reports a duplicate id (files differing only in case) and keeps the first', async () => {
    const { dir, cleanup } = await tempFolder({ 'dup.md': good('dup'), 'dup.MD': good('dup') });
    try {
      const { documents, problems } = await loadCorpus(dir);
      expect(documents).toHaveLength(1);
      expect(problems[0]).toMatchObject({ field: 'id', problem: expect.stringMatching(/already used by/) });
    } finally {
      await cleanup();
    }
  });

  it('fails with a coded error when the folder cannot be read', async () => {
    await expect(loadCorpus('/nonexistent/peacedesk-corpus')).rejects.toMatchObject({
      code: 'corpus_unreadable',
    });
  });
});
