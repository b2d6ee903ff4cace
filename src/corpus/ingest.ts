import { createHash } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CorpusFileError, parseDocument } from './parse-document.ts';
import type { CorpusDocument } from './schema.ts';

/** Front-matter fields given on the command line; they fill in or override the file's own. */
export interface IngestFields {
  id?: string;
  title?: string;
  source?: string;
  published?: string;
  url?: string;
}

/** One article to ingest: its text and where it came from (a path, or "standard input"). */
export interface IngestInput {
  origin: string;
  text: string;
  fields?: IngestFields;
}

/** What ingesting one article did. */
export type IngestOutcome =
  | { action: 'added' | 'updated'; id: string; path: string }
  | { action: 'duplicate'; id: string; existingId: string; message: string }
  | { action: 'invalid'; message: string };

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
// The order fields are written in, so files read the same whoever wrote them.
const FIELD_ORDER = ['id', 'title', 'source', 'published', 'url', 'author', 'dateInferred', 'updated'];

/** An id from the publication date and the title: `2025-08-21-putin-sets-out-terms`. */
export function deriveId(published: string, title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const words = slug.split('-').filter(Boolean);
  let short = '';
  for (const word of words) {
    if (`${short}-${word}`.length > 60) break;
    short = short ? `${short}-${word}` : word;
  }
  return short ? `${published}-${short}` : published;
}

/** Hash of an article's text with whitespace evened out: the same story pasted twice hashes the same. */
export function textHash(body: string): string {
  return createHash('sha256').update(body.replace(/\s+/g, ' ').trim()).digest('hex');
}

/**
 * Adds articles to a corpus folder, refusing repeats. Knows the folder's articles (to find
 * duplicates and updates) and keeps that knowledge current as it writes.
 */
export interface Ingester {
  ingest(input: IngestInput): Promise<IngestOutcome>;
}

/** Create an {@link Ingester} for `corpusDir`, which currently holds `existing`. */
export function createIngester(corpusDir: string, existing: readonly CorpusDocument[]): Ingester {
  const byId = new Map(existing.map((d) => [d.id, d]));
  const byText = new Map(existing.map((d) => [textHash(d.body), d.id]));

  const prepare = (input: IngestInput): { id: string; fileText: string } => {
    const fields = Object.fromEntries(
      Object.entries(input.fields ?? {}).filter(([, value]) => value !== undefined && value !== ''),
    ) as IngestFields;
    const match = FRONT_MATTER.exec(input.text);
    let front: Record<string, unknown> = {};
    let body = input.text;
    if (match) {
      try {
        const data: unknown = parseYaml(match[1]!);
        if (typeof data !== 'object' || data === null || Array.isArray(data))
          throw new Error('must be a YAML mapping of fields');
        front = data as Record<string, unknown>;
      } catch (error) {
        throw new CorpusFileError(
          input.origin,
          'front matter',
          `is not valid: ${(error as Error).message.split('\n')[0]}`,
        );
      }
      body = input.text.slice(match[0].length);
    }
    front = { ...front, ...fields };
    for (const key of ['title', 'source', 'published'])
      if (front[key] === undefined)
        throw new CorpusFileError(
          input.origin,
          key,
          `is missing (give --${key}${match ? ' or add it to the front matter' : ''})`,
        );
    if (front.published instanceof Date) front.published = front.published.toISOString().slice(0, 10);
    front.id ??= deriveId(String(front.published), String(front.title));
    const ordered = Object.fromEntries(
      [
        ...FIELD_ORDER.filter((key) => key in front),
        ...Object.keys(front).filter((k) => !FIELD_ORDER.includes(k)),
      ].map((key) => [key, front[key]]),
    );
    body = `\n${body.replace(/\r\n?/g, '\n').replace(/^\n+/, '').replace(/\s*$/, '')}\n`;
    return { id: String(front.id), fileText: `---\n${stringifyYaml(ordered).trimEnd()}\n---\n${body}` };
  };

  return {
    async ingest(input) {
      let document: CorpusDocument;
      let path: string;
      let fileText: string;
      try {
        const prepared = prepare(input);
        fileText = prepared.fileText;
        path = join(corpusDir, `${prepared.id}.md`);
        // The full validation every corpus file gets (schema, id = file name, non-empty body).
        document = parseDocument(path, fileText);
      } catch (error) {
        if (!(error instanceof CorpusFileError)) throw error;
        const where = error.path === input.origin ? input.origin : `${input.origin} (as ${error.path})`;
        return {
          action: 'invalid',
          message: `${where}: ${error.field ? `${error.field} ` : ''}${error.problem}`,
        };
      }
      const previous = byId.get(document.id);
      const sameText = byText.get(textHash(document.body));
      if (previous?.contentHash === document.contentHash || (sameText && sameText !== document.id)) {
        const existingId = sameText ?? document.id;
        return {
          action: 'duplicate',
          id: document.id,
          existingId,
          message: `${input.origin}: the same article is already in the corpus as ${existingId} (not written)`,
        };
      }
      // Write beside the target and rename: readers (and the corpus watcher) never see half a file.
      const temp = join(corpusDir, `.${document.id}.md.${process.pid}.tmp`);
      try {
        await writeFile(temp, fileText);
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      if (previous) byText.delete(textHash(previous.body));
      byId.set(document.id, document);
      byText.set(textHash(document.body), document.id);
      return { action: previous ? 'updated' : 'added', id: document.id, path };
    },
  };
}
