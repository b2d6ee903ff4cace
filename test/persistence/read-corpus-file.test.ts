import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileFingerprint } from '../../src/corpus/identity.ts';
import { loadCorpus } from '../../src/persistence/load-corpus.ts';
import { readCorpusFile, readCorpusFileSync } from '../../src/persistence/read-corpus-file.ts';
import { loadCorpusWithSnapshot } from '../../src/persistence/snapshot.ts';
import { tempFolder } from '../helpers.ts';

const text = '---\nid: a-1\ntitle: T\nsource: S\npublished: 2025-08-21\n---\n\nPutin met Trump in Alaska.\n';

describe('readCorpusFile', () => {
  it('reads a file with its id and fingerprint, the same way sync and async', async () => {
    const { dir, cleanup } = await tempFolder({ 'a-1.md': text });
    try {
      const read = await readCorpusFile(join(dir, 'a-1.md'));
      expect(read).toEqual({ path: join(dir, 'a-1.md'), id: 'a-1', text, fileHash: fileFingerprint(text) });
      expect(readCorpusFileSync(join(dir, 'a-1.md'))).toEqual(read);
    } finally {
      await cleanup();
    }
  });

  it('returns a missing file with its error instead of throwing', async () => {
    const { dir, cleanup } = await tempFolder({});
    try {
      const read = await readCorpusFile(join(dir, 'gone.md'));
      expect(read).toMatchObject({ id: 'gone', error: { code: 'ENOENT' } });
      expect(read.text).toBeUndefined();
      expect(readCorpusFileSync(join(dir, 'gone.md'))).toMatchObject({
        id: 'gone',
        error: { code: 'ENOENT' },
      });
    } finally {
      await cleanup();
    }
  });

  it('is what both loaders take their fingerprints from', async () => {
    const { dir, cleanup } = await tempFolder({ 'a-1.md': text });
    try {
      const plain = await loadCorpus(dir);
      const withSnapshot = await loadCorpusWithSnapshot(dir, join(dir, 'no-snapshot.bin'));
      expect(plain.documents[0]!.fileHash).toBe(fileFingerprint(text));
      expect(withSnapshot.documents).toEqual(plain.documents);
    } finally {
      await cleanup();
    }
  });
});
