import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CorpusFileError, parseDocument } from '../corpus/parse-document.ts';
import type { CorpusDocument } from '../corpus/schema.ts';
import { PeacedeskError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type CorpusFileRead, readCorpusFile } from './read-corpus-file.ts';

/** A file that was skipped, and why. */
export interface CorpusProblem {
  path: string;
  field: string | undefined;
  problem: string;
}

/** What loading a corpus folder produced: the good documents (sorted by id) and the skipped files. */
export interface LoadedCorpus {
  documents: CorpusDocument[];
  problems: CorpusProblem[];
}

/**
 * True for an article file name: ending in lower-case `.md`, not hidden. `X.MD` or `X.Md` is not
 * an article: the id is the file name, and on a case-sensitive disk `X.MD` beside `X.md` would be
 * a second article with the same id (see {@link caseVariantProblems}).
 */
export const isArticleFileName = (name: string): boolean => name.endsWith('.md') && !name.startsWith('.');

/** True for a name ending in `.md` in another case (`.MD`, `.Md`, `.mD`): reported, never loaded. */
export const isCaseVariantName = (name: string): boolean =>
  !name.startsWith('.') && name.toLowerCase().endsWith('.md') && !name.endsWith('.md');

/** What is said about a `.MD`-like file: it is not loaded, and how to make it an article. */
export function caseVariantProblem(path: string): CorpusProblem {
  return {
    path,
    field: undefined,
    problem: `is not loaded: only files ending in lower-case ".md" are articles (rename it to ${basename(path).slice(0, -3)}.md, or remove it)`,
  };
}

/** The `*.md` file names in a corpus folder, sorted; a coded error when the folder cannot be read. */
export async function listCorpusFiles(dir: string): Promise<string[]> {
  return (await readCorpusFolder(dir)).filter(isArticleFileName).sort();
}

/** One problem per `.MD`-like file in the corpus folder (start-up reports them whichever loader ran). */
export async function caseVariantProblems(dir: string): Promise<CorpusProblem[]> {
  return (await readCorpusFolder(dir))
    .filter(isCaseVariantName)
    .sort()
    .map((name) => caseVariantProblem(join(dir, name)));
}

async function readCorpusFolder(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    throw new PeacedeskError(
      'corpus_unreadable',
      `Cannot read the corpus folder ${dir}: ${(error as Error).message}`,
      {
        dir,
      },
    );
  }
}

/**
 * Load every `*.md` file in `dir`. A bad file is reported (path, field, problem) and skipped; the
 * rest still load; so is a `.MD`-like file. Only an unreadable folder is an error.
 */
export async function loadCorpus(dir: string, logger?: Logger): Promise<LoadedCorpus> {
  const names = await listCorpusFiles(dir);
  const files = await Promise.all(
    names.map(async (name) => collectable(await readCorpusFile(join(dir, name)))),
  );
  const collected = collectDocuments(files);
  const result = { ...collected, problems: [...collected.problems, ...(await caseVariantProblems(dir))] };
  for (const problem of result.problems) {
    logger?.warn('corpus file skipped', {
      path: problem.path,
      field: problem.field,
      problem: problem.problem,
    });
  }
  return result;
}

/** A file to {@link collectDocuments}: its text (and fingerprint, when the reader took it), or why it could not be read. */
export interface CollectableFile {
  path: string;
  text?: string;
  fileHash?: string;
  error?: CorpusFileError;
}

/** A read corpus file as {@link collectDocuments} takes it: an unreadable one becomes its problem. */
export function collectable(file: CorpusFileRead): CollectableFile {
  if (file.error === undefined) return { path: file.path, text: file.text, fileHash: file.fileHash };
  return {
    path: file.path,
    error: new CorpusFileError(file.path, undefined, `cannot be read: ${file.error.message}`),
  };
}

/**
 * Parse already-read files, skipping bad ones. A second file with an id already loaded is reported
 * and skipped: the article first loaded is the one served.
 */
export function collectDocuments(files: readonly CollectableFile[]): LoadedCorpus {
  const documents: CorpusDocument[] = [];
  const problems: CorpusProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    try {
      if (file.error) throw file.error;
      const document = parseDocument(file.path, file.text ?? '', file.fileHash);
      const firstPath = seen.get(document.id);
      if (firstPath)
        throw new CorpusFileError(
          file.path,
          'id',
          `"${document.id}" is already used by ${firstPath} (that article is kept; this file is not loaded)`,
        );
      seen.set(document.id, file.path);
      documents.push(document);
    } catch (error) {
      if (!(error instanceof CorpusFileError)) throw error;
      problems.push({ path: error.path, field: error.field, problem: error.problem });
    }
  }
  documents.sort((a, b) => a.id.localeCompare(b.id));
  return { documents, problems };
}
