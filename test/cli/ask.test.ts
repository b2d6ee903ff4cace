import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers.ts';

const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const run = (args: string[], input?: string) =>
  spawnSync(tsx, ['src/cli/ask.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });

describe('npm run ask', () => {
  it('prints the text answer', () => {
    const out = run(['How much of Donbas does Russia hold?']);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/88% of the Donbas.*\[1\]/);
    expect(out.stdout).toMatch(/\[1\] .* — Reuters, 2025-08-21/);
  });

  it('--json prints one JSON line', () => {
    const out = run(['--json', 'Who is Yuri Ushakov?']);
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ question: 'Who is Yuri Ushakov?', answered: true });
  });

  it('--jsonl answers stdin lines in order, skipping blanks, with errors as JSON lines', () => {
    const out = run(['--jsonl'], 'Who is Yuri Ushakov?\n\n   \n🕊️\nWhat is the population of Brazil?\n');
    expect(out.status).toBe(0);
    const answers = out.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(answers.map((a) => a.question)).toEqual([
      'Who is Yuri Ushakov?',
      '🕊️',
      'What is the population of Brazil?',
    ]);
    expect(answers[1].error.code).toBe('no_searchable_terms');
    expect(answers[2].answered).toBe(false);
  });

  it.each([[[]], [['--bogus', 'x']], [['   ']], [['--jsonl', 'extra']]])(
    'exits 2 with a message for %j',
    (args) => {
      const out = run(args);
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(/Usage/);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('exits 1 naming the variable when the config is bad', () => {
    const out = spawnSync(tsx, ['src/cli/ask.ts', 'NATO?'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', MAX_CITATIONS: 'lots' },
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/MAX_CITATIONS/);
  });
});

describe('npm run ask --compare / --timeline', () => {
  it('--compare prints one cited row per document', () => {
    const out = run(['--compare', 'territory']);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^How the proposals compare on territory and front lines \(oldest first\)/);
    expect(out.stdout).toMatch(
      /\[4\] United States \(drafted with Russian input\), 2025-11-20: US draft peace plan\n“Territorial Cession/,
    );
  });

  it('--timeline with a topic and --since, as JSON', () => {
    const out = run(['--json', '--timeline', 'nato', '--since', '2025-08-01']);
    expect(out.status).toBe(0);
    const answer = JSON.parse(out.stdout);
    expect(answer.kind).toBe('timeline');
    expect(answer.citations.map((c: { published: string }) => c.published)).toEqual([
      '2025-08-21',
      '2025-11-20',
    ]);
  });

  it.each([
    [['--compare', 'bananas']],
    [['--compare', 'nato', '--timeline']],
    [['--since', '2025-01-01', 'q']],
    [['--timeline', '--since', 'someday']],
  ])('exits 2 with a message for %j', (args) => {
    const out = run(args);
    expect(out.status).toBe(2);
    expect(out.stderr.length).toBeGreaterThan(10);
  });
});

describe('npm run ask --json with bad input', () => {
  it.each([
    [['--json', '🕊️'], 'no_searchable_terms', '🕊️'],
    [['--json', '   '], 'usage', '   '],
    [['--json'], 'usage', undefined],
    [['--json', '--bogus', 'x'], 'usage', undefined],
    [['--json', '--compare', 'bananas'], 'unknown_topic', undefined],
    [['--json', '--timeline', '--since', 'someday'], 'usage', undefined],
  ])('%j: a JSON error object on stdout, exit 2, nothing on stderr', (args, code, question) => {
    const out = run(args);
    expect(out.status).toBe(2);
    expect(out.stderr).toBe('');
    const lines = out.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const body = JSON.parse(lines[0]!);
    expect(body).toEqual({
      ...(question !== undefined && { question }),
      error: { code, message: expect.any(String) },
    });
  });

  it('a broken setup is a JSON error too, with exit 1', () => {
    const out = spawnSync(tsx, ['src/cli/ask.ts', '--json', 'NATO?'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', MAX_CITATIONS: 'lots' },
    });
    expect(out.status).toBe(1);
    expect(JSON.parse(out.stdout).error).toMatchObject({ code: 'invalid_config' });
  });
});

describe('npm run ask over a folder of its own', () => {
  const runIn = (corpusDir: string, args: string[]) =>
    spawnSync(tsx, ['src/cli/ask.ts', ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', CORPUS_DIR: corpusDir },
    });

  it('never prints terminal escapes from an article', async () => {
    const { dir, cleanup } = await tempFolder({
      'esc.md': [
        '---',
        'id: esc',
        'title: "Talks\\e]0;pwned\\a report"',
        'source: Wire',
        'published: 2025-05-02',
        '---',
        '',
        'Talks resumed\u001b[2J in Geneva\u0007 on Monday.',
        '',
      ].join('\n'),
    });
    try {
      const out = runIn(dir, ['Where did talks resume?']);
      expect(out.status).toBe(0);
      expect(out.stdout).toContain('“Talks resumed in Geneva on Monday.” [1]');
      expect(out.stdout).toContain('[1] Talks report — Wire, 2025-05-02');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
      expect(out.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    } finally {
      await cleanup();
    }
  });

  it('warns when the corpus folder has no articles', async () => {
    const { dir, cleanup } = await tempFolder({});
    try {
      const out = runIn(dir, ['Where did talks resume?']);
      expect(out.stderr).toContain(`warning: ${dir}/ has no articles, so every question will be declined`);
    } finally {
      await cleanup();
    }
  });
});
