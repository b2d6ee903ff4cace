import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/**
 * How a corpus file is identified, in one place: every reader of corpus files (the loader, the
 * live watcher, the index snapshot, ingest) derives an article's id and hashes through here.
 */

/** The article id a corpus file must carry: its file name without `.md`. */
export function corpusIdOf(path: string): string {
  return basename(path).replace(/\.md$/i, '');
}

/**
 * SHA-256 of a file's bytes, hex: only says "this file is byte-for-byte what was read before",
 * so an unchanged file need not be parsed again (the watcher, the snapshot). Never used to tell
 * readers an article changed: reformatting a file changes this and not {@link readerHash}.
 */
export function fileFingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// Prefix that tells a reader hash from the older whole-file hashes a database may still hold.
const READER_HASH_PREFIX = 'r1:';

/** The article body as a reader sees it: paragraphs of text, white space and line endings evened out. */
export function normalizedBody(body: string): string {
  return body
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}

/**
 * Hash of what a reader sees of an article: the normalised body and every displayed front-matter
 * field (not the id, the file's path, YAML quoting or line folding). Equal hashes mean nothing a
 * reader could notice changed, so ingest writes nothing and the digest announces nothing.
 */
export function readerHash(article: { body: string } & Record<string, unknown>): string {
  const fields = Object.keys(article)
    .filter((key) => !['id', 'body', 'path', 'contentHash', 'fileHash'].includes(key))
    .filter((key) => article[key] !== undefined)
    .sort()
    .map((key) => [key, article[key] instanceof Date ? (article[key] as Date).toISOString() : article[key]]);
  const digest = createHash('sha256')
    .update(JSON.stringify({ fields, body: normalizedBody(article.body) }))
    .digest('hex');
  return `${READER_HASH_PREFIX}${digest}`;
}

/** True for a hash written before reader hashes existed (a whole-file SHA-256). */
export function isLegacyFileHash(hash: string): boolean {
  return /^[0-9a-f]{64}$/.test(hash);
}

/** True when `hash` is a {@link readerHash}. */
export function isReaderHash(hash: string): boolean {
  return hash.startsWith(READER_HASH_PREFIX);
}
