import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngester } from '../../src/corpus/ingest.ts';
import { openSqliteStores } from '../../src/store/sqlite-store.ts';
import { tempFolder } from '../helpers.ts';

const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
const TOKEN = 'main-page-token-0123456789abcdef';

const story =
  'Brazil offered to mediate the peace talks between Russia and Ukraine. President Lula said Brazil would act as a mediator and host the talks in Brasilia.';
const corrected = story.replace('Brasilia', 'Rio de Janeiro');
const wireCopy = `${corrected.replace('Ukraine.', 'Ukraine, officials said.')}\n`;

/** A port free on 127.0.0.1 right now (the process under test binds it next). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let corpus: Awaited<ReturnType<typeof tempFolder>>;
let data: Awaited<ReturnType<typeof tempFolder>>;
beforeAll(async () => {
  corpus = await tempFolder({});
  data = await tempFolder({});
  // One article, corrected once and run by another outlet: what `npm run ingest` records.
  const stores = openSqliteStores(join(data.dir, 'peacedesk.db'));
  const ingester = createIngester(corpus.dir, [], { live: stores.live });
  const fields = { title: 'Brazil offers to mediate', source: 'Test Wire', published: '2026-01-30' };
  const outcomes = [
    await ingester.ingest({ origin: 'a.txt', text: story, fields }),
    await ingester.ingest({ origin: 'b.txt', text: corrected, fields }),
  ];
  outcomes.push(
    await ingester.ingest({
      origin: 'c.txt',
      text: wireCopy,
      fields: {
        title: 'Lula ready to host',
        source: 'Kyiv Desk',
        published: '2026-01-31',
        url: 'https://kyiv.example/b',
      },
    }),
  );
  stores.close();
  expect(outcomes.map((o) => o.action)).toEqual(['added', 'updated', 'copy']);
}, 30_000);
afterAll(async () => {
  await corpus.cleanup();
  await data.cleanup();
});

describe("npm start with WEB_PORT: the editors' page", () => {
  it('lists each article with its syndicated copies and corrections from the database', {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const child = spawn(tsx, ['src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        CORPUS_DIR: corpus.dir,
        DATA_DIR: data.dir,
        DIGEST_CONFIG: join(data.dir, 'no-digest.json'),
        FEEDS_CONFIG: join(data.dir, 'no-feeds.json'),
        WATCH_CORPUS: 'false',
        SEMANTIC_MODEL: 'off',
        LOG_LEVEL: 'warn',
        WEB_PORT: String(port),
        WEB_TOKEN: TOKEN,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      // The page listens once the services have started: ask until it answers (or the process ends).
      let body = '';
      for (let attempt = 0; attempt < 200 && child.exitCode === null; attempt++) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/`, {
            headers: { 'x-peacedesk-token': TOKEN },
          });
          expect(response.status).toBe(200);
          body = await response.text();
          break;
        } catch (error) {
          if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(body, stderr).toContain('Corpus');
      const head = /<thead><tr><th>Article<\/th>.*?<\/tr><\/thead>/.exec(body)?.[0] ?? '';
      expect(head).toContain('<th>Copies</th>');
      expect(head).toContain('<th>Corrections</th>');
      const row = /<tr><td>[^<]*Brazil offers to mediate.*?<\/tr>/.exec(body)?.[0] ?? '';
      expect(row.match(/<td class="n">(\d+)<\/td>/g)).toEqual([
        '<td class="n">1</td>',
        '<td class="n">1</td>',
      ]);
    } finally {
      child.stdin.end('/quit\n');
      await exited;
    }
  });
});
