import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../src/answering/engine.ts';
import type { Citation } from '../src/answering/types.ts';
import { parseDocument } from '../src/corpus/parse-document.ts';
import type { CorpusDocument } from '../src/corpus/schema.ts';
import { loadCorpus } from '../src/persistence/load-corpus.ts';

/** The shipped corpus, loaded once per test file. */
export async function shippedCorpus(): Promise<CorpusDocument[]> {
  const { documents, problems } = await loadCorpus(new URL('../corpus', import.meta.url).pathname);
  if (problems.length) throw new Error(`shipped corpus has problems: ${JSON.stringify(problems)}`);
  return documents;
}

/** An engine over the shipped corpus. */
export async function shippedEngine(): Promise<Engine> {
  return createEngine(await shippedCorpus());
}

/** A corpus document made from front-matter fields and a body, as if read from corpus/<id>.md. */
export function makeDocument(id: string, body: string, fields: Record<string, string> = {}): CorpusDocument {
  const front = { title: `Title of ${id}`, source: 'Test Wire', published: '2025-01-01', ...fields };
  const yaml = Object.entries({ id, ...front })
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n');
  return parseDocument(`corpus/${id}.md`, `---\n${yaml}\n---\n\n${body}\n`);
}

/** A temporary folder with the given files; remove it with the returned cleanup. */
export async function tempFolder(
  files: Record<string, string>,
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'peacedesk-test-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A citation for renderer tests: numbered `n`, with `snippet`, other fields plain unless given. */
export function citationFixture(n: number, snippet: string, fields: Partial<Citation> = {}): Citation {
  return {
    n,
    docId: `doc-${n}`,
    title: `Title ${n}`,
    source: 'Wire',
    published: '2025-11-20',
    url: null,
    snippet,
    score: 1,
    highlights: [],
    sentences: [0, 0],
    label: null,
    ...fields,
  };
}
