import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CorpusDocument } from '../corpus/schema.ts';
import type { Logger } from '../logger.ts';
import type { Service } from '../service.ts';
import aliasData from '../text/aliases.json' with { type: 'json' };
import { analyzeTerms } from '../text/analyze.ts';
import { STOP_WORDS } from '../text/stop-words.ts';
import type { Engine } from './engine.ts';
import type { PassageIndexState } from './passage-index.ts';
import type { EncodedPassages } from './passages.ts';

/** Bump when the snapshot layout or anything that shapes passages changes in a way the fingerprint cannot see. */
const SNAPSHOT_VERSION = 2;

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
  return join(dataDir, 'index-snapshot.json');
}

interface SnapshotHeader {
  format: 'peacedesk-index-snapshot';
  fingerprint: string;
  /** `[id, contentHash]` of every article indexed, sorted by id. */
  documents: Array<[string, string]>;
  passages: EncodedPassages;
}

/** Why a snapshot was not used. */
export type SnapshotMiss = 'missing' | 'stale' | 'corrupt';

/** The outcome of {@link loadSnapshot}: the state to restore, or why there is none. */
export type SnapshotLoad = { state: PassageIndexState } | { miss: SnapshotMiss; reason: string };

const fingerprintOf = (documents: readonly CorpusDocument[]): Array<[string, string]> =>
  documents.map((d): [string, string] => [d.id, d.contentHash]).sort((a, b) => a[0].localeCompare(b[0]));

/**
 * Save an engine's index state for `documents` (the articles it was built from). The file is
 * `<header JSON>\n<MiniSearch JSON>`, written to a temporary file and renamed into place, so a
 * crash mid-write never leaves a half snapshot behind. Returns the size in bytes.
 */
export async function saveSnapshot(
  path: string,
  documents: readonly CorpusDocument[],
  state: PassageIndexState,
): Promise<number> {
  const header: SnapshotHeader = {
    format: 'peacedesk-index-snapshot',
    fingerprint: ANALYSIS_FINGERPRINT,
    documents: fingerprintOf(documents),
    passages: state.passages,
  };
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(header)}\n${state.index}`);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return (await stat(path)).size;
}

/**
 * Read the snapshot at `path` if it was built from exactly `documents` (same ids and content
 * hashes) by the same analysis. A missing, stale or unreadable snapshot is a miss, never an error.
 */
export async function loadSnapshot(
  path: string,
  documents: readonly CorpusDocument[],
): Promise<SnapshotLoad> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { miss: 'missing', reason: 'no snapshot yet' }
      : { miss: 'corrupt', reason: `cannot be read: ${(error as Error).message}` };
  }
  const split = text.indexOf('\n');
  let header: SnapshotHeader;
  try {
    if (split < 0) throw new Error('no index after the header');
    header = JSON.parse(text.slice(0, split)) as SnapshotHeader;
    if (header.format !== 'peacedesk-index-snapshot' || !Array.isArray(header.documents) || !header.passages)
      throw new Error('not a peacedesk index snapshot');
  } catch (error) {
    return { miss: 'corrupt', reason: (error as Error).message };
  }
  if (header.fingerprint !== ANALYSIS_FINGERPRINT)
    return { miss: 'stale', reason: 'built by a different version of the text analysis' };
  const expected = fingerprintOf(documents);
  const changed =
    expected.length !== header.documents.length ||
    expected.some(([id, hash], i) => header.documents[i]?.[0] !== id || header.documents[i]?.[1] !== hash);
  if (changed) return { miss: 'stale', reason: 'the corpus changed since it was saved' };
  return { state: { passages: header.passages, index: text.slice(split + 1) } };
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
    saving = saving
      .then(() => saveSnapshot(path, documents, engine.exportState()))
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
