import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/digest.ts';
import { isPeacedeskError } from '../../src/errors.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import { tempFolder } from '../helpers.ts';

const CORPUS = new URL('../../corpus', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;
let out: string;
let err: string;

beforeEach(async () => {
  ({ dir, cleanup } = await tempFolder({
    'digest.config.json': JSON.stringify({
      channels: [{ platform: 'slack', channelId: 'C1', schedule: '0 8 * * *', timeZone: 'Europe/Kyiv' }],
    }),
  }));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup();
});

const env = () => ({
  CORPUS_DIR: CORPUS,
  DATABASE_PATH: join(dir, 'data', 'peacedesk.db'),
  DIGEST_CONFIG: join(dir, 'digest.config.json'),
});

describe('npm run digest', () => {
  it('previews the whole corpus without creating the database', async () => {
    expect(await main(['--preview'], env())).toBe(0);
    expect(out).toMatch(/^peacedesk digest: 5 articles in the corpus\n/);
    expect(out).toContain('As of 2026-01-28');
    expect(err).toContain('nothing was posted or recorded');
    expect(existsSync(env().DATABASE_PATH)).toBe(false);
  });

  it('posts now through the console publisher, records it, and the next preview has nothing new', async () => {
    expect(await main(['--now', '--channel', 'C1'], env())).toBe(0);
    expect(err).toContain('The slack adapter does not run inside this command');
    expect(out).toContain('--- digest for channel C1 (printed by the console publisher) ---');
    const stores = openSqliteStores(env().DATABASE_PATH);
    const runs = await stores.digests.list('slack', 'C1');
    stores.close();
    expect(runs).toEqual([expect.objectContaining({ status: 'posted', publisher: 'console' })]);
    expect(runs[0]!.period).toMatch(/^manual:/);

    out = '';
    const before = readFileSync(env().DATABASE_PATH);
    expect(await main(['--preview', '--channel', 'C1'], env())).toBe(0);
    expect(readFileSync(env().DATABASE_PATH).equals(before)).toBe(true);
    expect(out).toMatch(/^Nothing new since \d+ \w+ \d{4}, \d\d:\d\d Europe\/Kyiv\.\n$/);
  });

  it('rejects bad usage with a clear message', async () => {
    for (const argv of [[], ['--now'], ['--preview', '--since', '2025-13-01'], ['--preview', '--bogus']]) {
      await expect(main(argv, env())).rejects.toSatisfy((e) => isPeacedeskError(e, 'usage'));
    }
    await expect(main(['--preview', '--channel', 'C9'], env())).rejects.toThrow(
      /C9 is not in .*configured: slack:C1/,
    );
  });
});
