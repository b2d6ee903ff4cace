import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument as parseYamlDocument, Document as YamlDocument } from 'yaml';
import { type Clock, systemClock } from '../clock.ts';
import type { Correction, LiveCorpusStore } from '../store/types.ts';
import { stripControlCharacters } from './control-characters.ts';
import { diffSentences } from './corrections.ts';
import { normalizedBody } from './identity.ts';
import { COPY_THRESHOLD, createCopyFinder } from './near-duplicate.ts';
import { CorpusFileError, parseDocument } from './parse-document.ts';
import type { CorpusDocument } from './schema.ts';

/** Front-matter fields given on the command line (or read from a page); they fill in or override the file's own. */
export interface IngestFields {
  id?: string | undefined;
  title?: string | undefined;
  source?: string | undefined;
  published?: string | undefined;
  url?: string | undefined;
  author?: string | undefined;
  updated?: string | undefined;
}

/** One article to ingest: its text and where it came from (a path, a URL, or "standard input"). */
export interface IngestInput {
  origin: string;
  text: string;
  fields?: IngestFields;
}

/** What ingesting one article did. */
export type IngestOutcome =
  | { action: 'added'; id: string; path: string; document: CorpusDocument; warnings: string[] }
  | {
      action: 'updated';
      id: string;
      path: string;
      document: CorpusDocument;
      /** What changed in the text, when a store keeps corrections. */
      correction: Correction | undefined;
      warnings: string[];
    }
  | { action: 'unchanged'; id: string; message: string }
  | { action: 'duplicate'; id: string; existingId: string; message: string }
  | {
      action: 'copy';
      /** The canonical article the copy was recorded against. */
      existingId: string;
      similarity: number;
      /** False when this URL had been recorded as a copy before. */
      recorded: boolean;
      message: string;
    }
  | { action: 'invalid'; message: string };

/** Options of {@link createIngester}. */
export interface IngesterOptions {
  /** Where copies and corrections are recorded; without it copies are refused and no history is kept. */
  live?: LiveCorpusStore | undefined;
  clock?: Clock;
  /** Resemblance from which an article is a copy of one already in the corpus. Default {@link COPY_THRESHOLD}. */
  copyThreshold?: number;
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
// The order fields are written in, so new files read the same whoever wrote them.
const FIELD_ORDER = ['id', 'title', 'source', 'published', 'url', 'author', 'dateInferred', 'updated'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

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

/** Hash of an article's text as a reader sees it: the same story pasted twice hashes the same. */
export function textHash(body: string): string {
  return normalizedBody(body);
}

/** Why a date given on the command line is not YYYY-MM-DD, with the date it probably meant. */
function dateProblem(value: string): string | undefined {
  if (DAY.test(value)) return undefined;
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(value.trim());
  const hint = dmy
    ? `did you mean ${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}?`
    : 'e.g. 2025-11-21';
  return `"${value}" is not a date written YYYY-MM-DD (${hint})`;
}

/**
 * Adds articles to a corpus folder, refusing repeats. Knows the folder's articles (to find
 * duplicates, copies and updates) and keeps that knowledge current as it writes.
 */
export interface Ingester {
  ingest(input: IngestInput): Promise<IngestOutcome>;
}

/** Create an {@link Ingester} for `corpusDir`, which currently holds `existing`. */
export function createIngester(
  corpusDir: string,
  existing: readonly CorpusDocument[],
  options: IngesterOptions = {},
): Ingester {
  const clock = options.clock ?? systemClock;
  const byId = new Map(existing.map((d) => [d.id, d]));
  const byText = new Map(existing.map((d) => [textHash(d.body), d.id]));
  const byUrl = new Map(existing.flatMap((d) => (d.url ? [[canonicalUrl(d.url), d.id] as const] : [])));
  const copies = createCopyFinder(() => byId.values(), options.copyThreshold ?? COPY_THRESHOLD);

  const prepare = (input: IngestInput): { id: string; fileText: string; warnings: string[] } => {
    // Written clean, as every reader would see it: no escape in a corpus file reaches a terminal.
    const text = stripControlCharacters(input.text);
    const fields = Object.fromEntries(
      Object.entries(input.fields ?? {})
        .map(([key, value]) => [key, value === undefined ? value : stripControlCharacters(value)])
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([key, value]) => [key, key === 'title' ? String(value).replace(/\s+/g, ' ').trim() : value]),
    ) as IngestFields;
    for (const key of ['published', 'updated'] as const) {
      const problem = fields[key] === undefined ? undefined : dateProblem(fields[key]!);
      if (problem) throw new CorpusFileError(input.origin, key, problem);
    }
    if (fields.url !== undefined && !/^https?:\/\//i.test(fields.url))
      throw new CorpusFileError(
        input.origin,
        'url',
        `must be an http:// or https:// link (got "${fields.url}")`,
      );
    const match = FRONT_MATTER.exec(text);
    let yaml: YamlDocument;
    let body = text;
    if (match) {
      yaml = parseYamlDocument(match[1]!);
      const data: unknown = yaml.errors.length ? undefined : yaml.toJS();
      if (yaml.errors.length || typeof data !== 'object' || data === null || Array.isArray(data))
        throw new CorpusFileError(
          input.origin,
          'front matter',
          `is not valid: ${yaml.errors[0]?.message.split('\n')[0] ?? 'must be a YAML mapping of fields'}`,
        );
      body = text.slice(match[0].length);
      // YAML escapes ("\e", "\x1b") become control characters only once parsed: clean those values.
      for (const [key, value] of Object.entries(data))
        if (typeof value === 'string' && stripControlCharacters(value) !== value)
          yaml.set(key, stripControlCharacters(value));
    } else {
      yaml = new YamlDocument({});
    }
    // A page re-read at a URL already in the corpus is that article's next version.
    if (fields.id === undefined && !yaml.has('id') && fields.url) {
      const known = byUrl.get(canonicalUrl(fields.url));
      if (known) fields.id = known;
    }
    const order = match ? [] : FIELD_ORDER;
    for (const key of [
      ...order.filter((k) => k in fields),
      ...Object.keys(fields).filter((k) => !order.includes(k)),
    ])
      yaml.set(key, fields[key as keyof IngestFields]);
    for (const key of ['title', 'source', 'published'])
      if (!yaml.has(key))
        throw new CorpusFileError(
          input.origin,
          key,
          `is missing (give --${key}${match ? ' or add it to the front matter' : ''})`,
        );
    const published = String(yaml.get('published'));
    if (!yaml.has('id')) {
      const problem = dateProblem(published);
      if (problem) throw new CorpusFileError(input.origin, 'published', problem);
      // The id leads the file, as in files written by hand.
      const id = deriveId(published, String(yaml.get('title')));
      const fresh = new YamlDocument({ id });
      for (const key of Object.keys(yaml.toJS() as object)) fresh.set(key, yaml.get(key, true));
      yaml = fresh;
    }
    const warnings: string[] = [];
    const today = clock.now().toISOString().slice(0, 10);
    if (DAY.test(published) && published > today)
      warnings.push(`published ${published} is in the future (today is ${today}); check the date`);
    body = `\n${body.replace(/\r\n?/g, '\n').replace(/^\n+/, '').replace(/\s*$/, '')}\n`;
    // lineWidth 0: a long title stays on one line; untouched values keep their quoting.
    const front = yaml.toString({ lineWidth: 0 }).trimEnd();
    return { id: String(yaml.get('id')), fileText: `---\n${front}\n---\n${body}`, warnings };
  };

  const write = async (id: string, fileText: string, beforeRename: () => Promise<void>) => {
    const path = join(corpusDir, `${id}.md`);
    // Write beside the target and rename: readers (and the corpus watcher) never see half a file.
    const temp = join(corpusDir, `.${id}.md.${process.pid}.tmp`);
    try {
      await writeFile(temp, fileText);
      await beforeRename();
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return path;
  };

  return {
    async ingest(input) {
      let document: CorpusDocument;
      let fileText: string;
      let warnings: string[];
      try {
        const prepared = prepare(input);
        fileText = prepared.fileText;
        warnings = prepared.warnings;
        // The full validation every corpus file gets (schema, id = file name, non-empty body).
        document = parseDocument(join(corpusDir, `${prepared.id}.md`), fileText);
      } catch (error) {
        if (!(error instanceof CorpusFileError)) throw error;
        const where = error.path === input.origin ? input.origin : `${input.origin} (as ${error.path})`;
        return {
          action: 'invalid',
          message: `${where}: ${error.field ? `${error.field} ` : ''}${error.problem}`,
        };
      }
      const previous = byId.get(document.id);
      if (previous?.contentHash === document.contentHash)
        return {
          action: 'unchanged',
          id: document.id,
          message: `${input.origin}: ${document.id} is already in the corpus as it is; nothing written`,
        };
      const sameText = byText.get(textHash(document.body));
      if (!previous && sameText && byId.get(sameText)?.source === document.source) {
        return {
          action: 'duplicate',
          id: document.id,
          existingId: sameText,
          message: `${input.origin}: the same article is already in the corpus as ${sameText} (not written)`,
        };
      }
      if (!previous) {
        const copy = sameText ? { docId: sameText, similarity: 1 } : copies.find(document.body);
        if (copy) return recordCopy(input, document, copy);
      }
      let correction: Correction | undefined;
      const path = await write(document.id, fileText, async () => {
        if (!previous || !options.live) return;
        const diff = diffSentences(previous.body, document.body);
        correction = await options.live.recordCorrection({
          docId: document.id,
          at: clock.now(),
          previousTitle: previous.title,
          title: document.title,
          source: document.source,
          ...diff,
        });
      }).catch(async (error: unknown) => {
        if (correction) await options.live?.deleteCorrection(correction.id);
        throw error;
      });
      if (previous) byText.delete(textHash(previous.body));
      byId.set(document.id, document);
      byText.set(textHash(document.body), document.id);
      if (document.url) byUrl.set(canonicalUrl(document.url), document.id);
      copies.set(document.id, document.body);
      return previous
        ? { action: 'updated', id: document.id, path, document, correction, warnings }
        : { action: 'added', id: document.id, path, document, warnings };
    },
  };

  async function recordCopy(
    input: IngestInput,
    document: CorpusDocument,
    copy: { docId: string; similarity: number },
  ): Promise<IngestOutcome> {
    const canonical = byId.get(copy.docId)!;
    const percent = `${Math.round(copy.similarity * 100)}% alike`;
    const of = `${canonical.id} (${canonical.source}, ${canonical.published}; ${percent})`;
    if (!options.live)
      return {
        action: 'copy',
        existingId: canonical.id,
        similarity: copy.similarity,
        recorded: false,
        message: `${input.origin}: a copy of ${of}; not added`,
      };
    const recorded = await options.live.recordCopy({
      docId: canonical.id,
      url: document.url ?? input.origin,
      source: document.source,
      title: document.title,
      published: document.published,
      similarity: copy.similarity,
      recordedAt: clock.now(),
    });
    return {
      action: 'copy',
      existingId: canonical.id,
      similarity: copy.similarity,
      recorded,
      message: recorded
        ? `${input.origin}: a copy of ${of}; recorded as also published by ${document.source}, no new article`
        : `${input.origin}: already recorded as a copy of ${of}; nothing written`,
    };
  }
}

/** A URL compared without its fragment, trailing slash or letter case of the host. */
function canonicalUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}
