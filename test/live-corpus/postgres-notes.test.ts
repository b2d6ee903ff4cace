import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../src/answering/engine.ts';
import { postgresNotes, withAnswerNotes } from '../../src/corpus/answer-notes.ts';
import { diffSentences } from '../../src/corpus/corrections.ts';
import { createLogger } from '../../src/logger.ts';
import { renderText } from '../../src/messages/render-terminal.ts';
import { createCore } from '../../src/runtime.ts';
import { openStores } from '../../src/store/open-stores.ts';
import { makeDocument, tempFolder } from '../helpers.ts';
import { postgresBackend, testDatabaseUrl } from '../store/backends.ts';

const url = testDatabaseUrl();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const before = 'Envoys met in Geneva on Sunday. The plan now has 19 points.';
const after = 'Envoys met in Geneva on Sunday. The plan now has 20 points.';
const copy = (docId: string) => ({
  docId,
  url: `https://kd.example/${docId}`,
  source: 'Kyiv Desk',
  title: 'G',
  published: '2025-11-24',
  similarity: 0.8,
  recordedAt: new Date('2025-11-24T00:00:00Z'),
});
const correction = (docId: string) => ({
  docId,
  at: new Date('2026-12-03T10:00:00Z'),
  previousTitle: 'Geneva',
  title: 'Geneva',
  source: 'Wire',
  ...diffSentences(before, after),
});

function recordingLogger() {
  const lines: Array<{ level: string; msg: string }> = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(JSON.parse(line))) };
}

// With DATABASE_URL, answers carry the copies and corrections any replica recorded in PostgreSQL.
describe.runIf(url)('answer notes from PostgreSQL', () => {
  const question = 'How many points does the plan have?';

  it('attaches what is recorded at start and, within a refresh, what another replica records', async () => {
    const db = await postgresBackend(url!).create();
    cleanups.push(() => db.drop());
    const writer = await db.open();
    await writer.live.recordCopy(copy('geneva'));
    const notes = await postgresNotes(url!, undefined, { schema: db.schema!, refreshEveryMs: 20 });
    cleanups.push(() => notes.close());
    const engine = withAnswerNotes(
      createEngine([
        makeDocument('geneva', after, { title: 'Geneva', source: 'Wire', published: '2025-11-23' }),
      ]),
      notes,
    );
    expect(renderText(engine.answer(question))).toContain('also published by Kyiv Desk, 2025-11-24');
    expect(renderText(engine.answer(question))).not.toContain('Corrected');
    await writer.live.recordCorrection(correction('geneva'));
    await vi.waitFor(
      () =>
        expect(renderText(engine.answer(question))).toContain('earlier read “The plan now has 19 points.”'),
      {
        timeout: 10_000,
      },
    );
  });

  it('gives no notes and one warning while the tables are not there, instead of failing answers', async () => {
    const { lines, logger } = recordingLogger();
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const notes = await postgresNotes(url!, logger, { schema, refreshEveryMs: 0 });
    cleanups.push(() => notes.close());
    expect(notes()).toBeUndefined();
    expect(notes()).toBeUndefined();
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.msg)).toEqual([
      'corrections and copies not shown yet: database not readable',
    ]);
    expect(JSON.stringify(warnings)).not.toContain(new URL(url!).password);
  });

  it('is what createCore attaches when DATABASE_URL is set, not the SQLite file', async () => {
    // The public schema, where openStores (and so a real deployment) keeps its tables.
    const docId = `geneva-${randomBytes(4).toString('hex')}`;
    const stores = await openStores({ databasePath: 'unused.db', databaseUrl: url, auditSalt: 's' });
    cleanups.push(() => stores.close());
    await stores.live.recordCopy(copy(docId));
    const corpus = await tempFolder({
      [`${docId}.md`]: `---\nid: ${docId}\ntitle: Geneva\nsource: Wire\npublished: "2025-11-23"\n---\n\n${after}\n`,
    });
    const data = await tempFolder({});
    cleanups.push(corpus.cleanup, data.cleanup);
    const { engine } = await createCore(
      {
        corpusDir: corpus.dir,
        dataDir: data.dir,
        maxCitations: 3,
        databasePath: `${data.dir}/never-created.db`,
        databaseUrl: url,
      },
      createLogger('silent'),
    );
    expect(renderText(engine.answer(question))).toContain('also published by Kyiv Desk, 2025-11-24');
  });
});
