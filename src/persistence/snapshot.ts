import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Engine } from '../answering/engine.ts';
import { stripControlCharacters } from '../corpus/control-characters.ts';
import { isReaderHash, readerHash } from '../corpus/identity.ts';
import type { CorpusDocument, FrontMatter } from '../corpus/schema.ts';
import type { Logger } from '../logger.ts';
import type { CompactIndex } from '../search-index/compact-index.ts';
import type { PassageIndexState } from '../search-index/passage-index.ts';
import type { SentenceVectorsState } from '../semantic/vectors.ts';
import type { Service } from '../service.ts';
import aliasData from '../text/aliases.json' with { type: 'json' };
import { analyzeTerms } from '../text/analyze.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import {
  type CollectableFile,
  type CorpusProblem,
  collectable,
  collectDocuments,
  listCorpusFiles,
} from './load-corpus.ts';
import { readCorpusFileSync } from './read-corpus-file.ts';

/** Bump when the snapshot layout or anything that shapes passages changes in a way the fingerprint cannot see. */
const SNAPSHOT_VERSION = 6;

// Sentences whose analysis exercises normalisation, aliases, stop words, stemming and numbers:
// if a code change alters how text is analysed, their terms change and old snapshots are dropped.
const PROBE =
  'The U.S. envoys said Ukraine’s troops would withdraw from 88% of the Donbass (880,000 people), Zelensky argued in Kiev on 21 Aug. 2025.';

/** What a snapshot must have been built with to be usable: analysis data and behaviour. */
export const ANALYSIS_FINGERPRINT = createHash('sha256')
  .update(JSON.stringify([SNAPSHOT_VERSION, aliasData, [...STOP_WORDS].sort(), analyzeTerms(PROBE)]))
  .digest('hex')
  .slice(0, 16);

/** The snapshot file under the data folder. */
export function snapshotPath(dataDir: string): string {
  return join(dataDir, 'index-snapshot.bin');
}

/** Where snapshots were kept before the binary format; removed when a new one is saved. */
const LEGACY_SNAPSHOT = 'index-snapshot.json';

/**
 * The file is `MAGIC`, the header's byte length (uint32 LE), the header as JSON, then the binary
 * sections the header lists, each starting on a 4-byte boundary. Number sections are Int32
 * little-endian, except `vectors` (int8 sentence vectors, `dimensions` bytes each, in the order
 * of `vectorKeys`); text sections are UTF-8 strings joined by newlines. Binary, so a load creates
 * no JavaScript value per posting and holds no copy of the file afterwards.
 */
const MAGIC = Buffer.from('PDSNAP06', 'latin1');

interface SnapshotHeader {
  format: 'peacedesk-index-snapshot';
  fingerprint: string;
  /** `[id, file fingerprint]` of every article indexed, sorted by id. */
  documents: Array<[string, string]>;
  /**
   * Front matter, body length and reader hash per article: an unchanged file need not be parsed
   * (or hashed) again. `contentHash` is absent in snapshots written before reader hashes.
   */
  articles: Record<string, { front: FrontMatter; bodyLength: number; contentHash?: string }>;
  headings: string[];
  index: Pick<CompactIndex, 'fieldIds' | 'documentCount' | 'nextId' | 'averageFieldLength'>;
  /** The sentence model the `vectors` section is from; null when the section is empty. */
  vectors: { encoder: string; dimensions: number } | null;
  /** `[name, byte length]` of each section, in file order. */
  sections: Array<[SectionName, number]>;
}

type Sections = {
  passageDocIds: string[];
  passageCounts: Int32Array;
  passageRows: Int32Array;
  ids: string[];
  shortIds: Int32Array;
  fieldLength: Int32Array;
  terms: string[];
  rowLengths: Int32Array;
  postings: Int32Array;
  vectorKeys: string[];
  vectors: Int8Array[];
};
type SectionName = keyof Sections;
const SECTION_NAMES: readonly SectionName[] = [
  'passageDocIds',
  'passageCounts',
  'passageRows',
  'ids',
  'shortIds',
  'fieldLength',
  'terms',
  'rowLengths',
  'postings',
  'vectorKeys',
  'vectors',
];
const TEXT_SECTIONS: readonly SectionName[] = ['passageDocIds', 'ids', 'terms', 'vectorKeys'];

const bigEndian = new Uint8Array(Int32Array.of(1).buffer)[0] === 0;

type SectionValue = Int32Array | string[] | Int8Array[];

function encodeSection(name: string, value: SectionValue): Buffer[] {
  if (value.length > 0 && value[0] instanceof Int8Array)
    return (value as Int8Array[]).map((chunk) =>
      Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    );
  if (value instanceof Int32Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return [bigEndian ? Buffer.from(bytes).swap32() : bytes];
  }
  const texts = value as string[];
  if (texts.some((item) => item.includes('\n')))
    throw new Error(`snapshot: a ${name} entry holds a line break`);
  return [Buffer.from(texts.join('\n'), 'utf8')];
}

/** Section `name` of a snapshot file: a copy, so the file's buffer can be freed. */
function decodeSection(file: Buffer, start: number, length: number, name: SectionName): SectionValue {
  if (TEXT_SECTIONS.includes(name))
    return length === 0 ? [] : file.toString('utf8', start, start + length).split('\n');
  if (name === 'vectors') {
    const vectors = new Int8Array(length);
    file.copy(Buffer.from(vectors.buffer), 0, start, start + length);
    return [vectors];
  }
  if (length % 4 !== 0) throw new Error(`section ${name} is not whole numbers`);
  // Sections start on a multiple of 4, so on a little-endian machine the numbers can be read
  // where they lie: no copy of the postings (most of the file) and no second copy in memory.
  if (!bigEndian && (file.byteOffset + start) % 4 === 0)
    return new Int32Array(file.buffer, file.byteOffset + start, length / 4);
  const values = new Int32Array(length / 4);
  const bytes = Buffer.from(values.buffer);
  file.copy(bytes, 0, start, start + length);
  if (bigEndian) bytes.swap32();
  return values;
}

/** Why a snapshot was not used. */
export type SnapshotMiss = 'missing' | 'stale' | 'corrupt';

/** The outcome of {@link loadSnapshot}: the state to restore, or why there is none. */
export type SnapshotLoad =
  | { state: PassageIndexState; vectors?: SentenceVectorsState }
  | { miss: SnapshotMiss; reason: string; vectors?: SentenceVectorsState };

const fingerprintOf = (documents: readonly CorpusDocument[]): Array<[string, string]> =>
  documents.map((d): [string, string] => [d.id, d.fileHash]).sort((a, b) => a[0].localeCompare(b[0]));

/**
 * Save an engine's index state for `documents` (the articles it was built from), and the
 * sentence vectors if given, written to a temporary file, flushed and renamed into place, so a
 * crash mid-write never leaves a half snapshot behind. Returns the size in bytes.
 */
export async function saveSnapshot(
  path: string,
  documents: readonly CorpusDocument[],
  state: PassageIndexState,
  vectors?: SentenceVectorsState,
): Promise<number> {
  const { parts, size } = encodeSnapshot(documents, state, vectors);
  await writeAtomically(path, parts);
  await rm(join(dirname(path), LEGACY_SNAPSHOT), { force: true });
  return size;
}

/** The snapshot file's bytes, as parts to write in order, and their total length. */
function encodeSnapshot(
  documents: readonly CorpusDocument[],
  state: PassageIndexState,
  vectors: SentenceVectorsState | undefined,
): { parts: Buffer[]; size: number } {
  const { index, passages } = state;
  const sections: Sections = {
    passageDocIds: passages.docIds,
    passageCounts: passages.counts,
    passageRows: passages.rows,
    ids: index.ids,
    shortIds: index.shortIds,
    fieldLength: index.fieldLength,
    terms: index.terms,
    rowLengths: index.rowLengths,
    postings: index.postings,
    vectorKeys: vectors?.keys ?? [],
    vectors: vectors?.data ?? [],
  };
  const bodies = SECTION_NAMES.map((name) => encodeSection(name, sections[name]));
  const lengthOf = (parts: Buffer[]) => parts.reduce((sum, part) => sum + part.length, 0);
  const header: SnapshotHeader = {
    format: 'peacedesk-index-snapshot',
    fingerprint: ANALYSIS_FINGERPRINT,
    documents: fingerprintOf(documents),
    articles: Object.fromEntries(
      documents.map(({ body, path: _path, contentHash, fileHash: _file, ...front }) => [
        front.id,
        { front, bodyLength: body.length, contentHash },
      ]),
    ),
    headings: passages.headings,
    index: {
      fieldIds: index.fieldIds,
      documentCount: index.documentCount,
      nextId: index.nextId,
      averageFieldLength: index.averageFieldLength,
    },
    vectors: vectors?.keys.length ? { encoder: vectors.encoder, dimensions: vectors.dimensions } : null,
    sections: SECTION_NAMES.map((name, i) => [name, lengthOf(bodies[i]!)]),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const parts: Buffer[] = [MAGIC, length, headerBytes];
  let size = MAGIC.length + 4 + headerBytes.length;
  for (const body of bodies) {
    const padding = (4 - (size % 4)) % 4;
    parts.push(Buffer.alloc(padding), ...body);
    size += padding + lengthOf(body);
  }
  return { parts, size };
}

/** Write to a temporary file, flush it and rename it into place: never a half-written file at `path`. */
async function writeAtomically(path: string, parts: readonly Buffer[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    const file = await open(temp, 'w');
    try {
      await file.writev(parts);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

type HeaderRead = { header: SnapshotHeader; sections: Sections } | { miss: SnapshotMiss; reason: string };

async function readHeader(path: string): Promise<HeaderRead> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { miss: 'missing', reason: 'no snapshot yet' }
      : { miss: 'corrupt', reason: `cannot be read: ${(error as Error).message}` };
  }
  try {
    if (file.length < MAGIC.length + 4 || !file.subarray(0, MAGIC.length).equals(MAGIC))
      throw new Error('not a peacedesk index snapshot');
    const headerEnd = MAGIC.length + 4 + file.readUInt32LE(MAGIC.length);
    if (headerEnd > file.length) throw new Error('header cut short');
    const header = JSON.parse(file.toString('utf8', MAGIC.length + 4, headerEnd)) as SnapshotHeader;
    if (
      header.format !== 'peacedesk-index-snapshot' ||
      !Array.isArray(header.documents) ||
      !header.articles ||
      !Array.isArray(header.sections)
    )
      throw new Error('not a peacedesk index snapshot');
    if (header.fingerprint !== ANALYSIS_FINGERPRINT)
      return { miss: 'stale', reason: 'built by a different version of the text analysis' };
    const sections: Partial<Record<SectionName, SectionValue>> = {};
    let at = headerEnd;
    for (const [name, length] of header.sections) {
      at += (4 - (at % 4)) % 4;
      if (!SECTION_NAMES.includes(name) || !(length >= 0) || at + length > file.length)
        throw new Error(`section ${name} is cut short or unknown`);
      sections[name] = decodeSection(file, at, length, name);
      at += length;
    }
    const missing = SECTION_NAMES.find((name) => !sections[name]);
    if (missing) throw new Error(`section ${missing} is missing`);
    const vectorBytes = (sections.vectors as Int8Array[])[0]?.length ?? 0;
    const keys = (sections.vectorKeys as string[]).length;
    if (vectorBytes !== keys * (header.vectors?.dimensions ?? 0))
      throw new Error('section vectors does not match its keys');
    return { header, sections: sections as Sections };
  } catch (error) {
    return { miss: 'corrupt', reason: (error as Error).message };
  }
}

function check(read: HeaderRead, documents: readonly CorpusDocument[]): SnapshotLoad {
  if ('miss' in read) return read;
  const { header, sections } = read;
  const expected = fingerprintOf(documents);
  const changed =
    expected.length !== header.documents.length ||
    expected.some(([id, hash], i) => header.documents[i]?.[0] !== id || header.documents[i]?.[1] !== hash);
  // Sentence vectors belong to sentence texts, not to the index: they outlive a corpus change.
  const vectors = header.vectors && {
    vectors: { ...header.vectors, keys: sections.vectorKeys, data: sections.vectors },
  };
  if (changed) return { miss: 'stale', reason: 'the corpus changed since it was saved', ...vectors };
  return {
    state: {
      passages: {
        headings: header.headings,
        docIds: sections.passageDocIds,
        counts: sections.passageCounts,
        rows: sections.passageRows,
      },
      index: {
        ...header.index,
        ids: sections.ids,
        shortIds: sections.shortIds,
        fieldLength: sections.fieldLength,
        terms: sections.terms,
        rowLengths: sections.rowLengths,
        postings: sections.postings,
      },
    },
    ...vectors,
  };
}

/**
 * Read the snapshot at `path` if it was built from exactly `documents` (same ids and content
 * hashes) by the same analysis. A missing, stale or unreadable snapshot is a miss, never an error.
 */
export async function loadSnapshot(
  path: string,
  documents: readonly CorpusDocument[],
): Promise<SnapshotLoad> {
  return check(await readHeader(path), documents);
}

/**
 * Load the corpus folder like `loadCorpus`, using the snapshot at `path` twice: a file whose
 * content hash the snapshot knows is not parsed again (its front matter is in the snapshot),
 * and the index state is returned when the whole corpus is unchanged.
 */
export async function loadCorpusWithSnapshot(
  dir: string,
  path: string,
  logger?: Logger,
): Promise<{ documents: CorpusDocument[]; problems: CorpusProblem[]; snapshot: SnapshotLoad }> {
  const read = await readHeader(path);
  const known = 'header' in read ? read.header : undefined;
  const hashes = new Map(known?.documents ?? []);
  const names = await listCorpusFiles(dir);
  // Synchronous reads on purpose: this runs once at start-up, before anything is served.
  const texts = names.map((name) => readCorpusFileSync(join(dir, name)));
  const reused: CorpusDocument[] = [];
  const rest: CollectableFile[] = [];
  for (const file of texts) {
    if (file.error !== undefined) {
      rest.push(collectable(file));
      continue;
    }
    const { id, fileHash } = file;
    const article = known?.articles[id];
    // The body length is of the cleaned text (parseDocument strips escapes), so slice that.
    const text = article ? stripControlCharacters(file.text) : file.text;
    if (article && hashes.get(id) === fileHash && text.length >= article.bodyLength) {
      const body = text.slice(text.length - article.bodyLength);
      reused.push({
        ...article.front,
        body,
        path: file.path,
        contentHash:
          article.contentHash && isReaderHash(article.contentHash)
            ? article.contentHash
            : readerHash({ ...article.front, body }),
        fileHash,
      });
    } else {
      rest.push(collectable(file));
    }
  }
  const parsed = collectDocuments(rest);
  for (const problem of parsed.problems)
    logger?.warn('corpus file skipped', {
      path: problem.path,
      field: problem.field,
      problem: problem.problem,
    });
  const documents = [...reused, ...parsed.documents].sort((a, b) => a.id.localeCompare(b.id));
  return { documents, problems: parsed.problems, snapshot: check(read, documents) };
}

/** Log a snapshot miss at the right level: a corrupt file is worth a warning, the rest is routine. */
export function logSnapshotMiss(
  logger: Logger,
  path: string,
  miss: { miss: SnapshotMiss; reason: string },
): void {
  if (miss.miss === 'corrupt')
    logger.warn('index snapshot ignored, rebuilding', { path, reason: miss.reason });
  else logger.info('index snapshot not used, building', { path, reason: miss.reason });
}

/** A service that re-saves the snapshot some time after the index last changed, and on stop. */
export interface SnapshotSaver extends Service {
  /** Note that the index changed; a save follows after `delayMs` of quiet. */
  schedule(): void;
}

/**
 * Keep the snapshot of a live engine current, so a restart after live corpus updates does not
 * rebuild. Saving serialises the whole index (about a second at 10k articles), hence the delay.
 */
export function createSnapshotSaver(
  engine: Engine,
  path: string,
  logger: Logger,
  delayMs = 60_000,
): SnapshotSaver {
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!dirty) return saving;
    dirty = false;
    const documents = engine.articles().map((a) => engine.document(a.docId)!);
    // Live updates turn the postings they touch back into Maps; pack them again while idle.
    engine.compact();
    // Vectors of sentences no longer in the corpus are dropped, so the file does not grow with edits.
    engine.vectors?.retain(documents.flatMap((d) => engine.passages(d.id).map((p) => p.text)));
    saving = saving
      .then(() => saveSnapshot(path, documents, engine.exportState(), engine.vectors?.exportState()))
      .then(
        (bytes) => logger.info('index snapshot saved', { path, bytes }),
        (error: unknown) => logger.warn('index snapshot not saved', { path, error }),
      );
    return saving;
  };
  return {
    name: 'snapshot-saver',
    schedule() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(() => void save(), delayMs);
      timer.unref();
    },
    async start() {},
    async stop() {
      await save();
    },
  };
}
