import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers.ts';

const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;

let data: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  data = await tempFolder({});
});
afterAll(() => data.cleanup());

/** `npm start` with no adapters (the terminal chat), stdin a pipe that stays open unless `input` ends it. */
function startBot(env: Record<string, string>, input: string, endInput = false) {
  const child = spawn(tsx, ['src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: data.dir, WATCH_CORPUS: 'false', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.write(input);
  if (endInput) child.stdin.end();
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start (terminal chat)', () => {
  it.each(['/quit', '/exit'])(
    '%s ends the process while its input is still open',
    { timeout: 30_000 },
    async (command) => {
      const run = await startBot({}, `${command}\n`);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^peacedesk — 5 articles/);
      expect(run.stderr).toBe('');
    },
  );

  it('warns about an empty corpus folder and says how to add articles', { timeout: 30_000 }, async () => {
    const empty = await tempFolder({});
    try {
      const run = await startBot({ CORPUS_DIR: empty.dir }, '', true);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        `warning: ${empty.dir}/ has no articles, so every question will be declined.`,
      );
      expect(run.stdout).toMatch(/npm run ingest -- story\.txt/);
      expect(JSON.parse(run.stderr.trim().split('\n')[0]!)).toMatchObject({
        level: 'warn',
        msg: expect.stringMatching(/^corpus is empty/),
        dir: empty.dir,
      });
    } finally {
      await empty.cleanup();
    }
  });

  it('warns at start-up, naming the file, about a .MD file it does not load', {
    timeout: 30_000,
  }, async () => {
    const corpus = await tempFolder({
      'a.md': '---\nid: a\ntitle: T\nsource: S\npublished: 2025-01-01\n---\n\nTalks resumed in Geneva.\n',
      'a.MD': '---\nid: a\ntitle: Stray\nsource: S\npublished: 2025-01-01\n---\n\nArmies left Kherson.\n',
    });
    try {
      const run = await startBot({ CORPUS_DIR: corpus.dir }, '/sources\n', true);
      expect(run.stdout).toContain(
        `warning: ${corpus.dir}/a.MD: is not loaded: only files ending in lower-case ".md"`,
      );
      expect(run.stdout).toContain('- T — S, 2025-01-01 [a]');
      expect(run.stdout).not.toContain('Stray');
    } finally {
      await corpus.cleanup();
    }
  });
});
