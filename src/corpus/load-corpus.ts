import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PeacedeskError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { CorpusFileError, parseDocument } from './parse-document.ts';
import type { CorpusDocument } from './schema.ts';

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

/** The `*.md` file names in a corpus folder, sorted; a coded error when the folder cannot be read. */
export async function listCorpusFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.md')).sort();
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
 * rest still load. Only an unreadable folder is an error.
 */
export async function loadCorpus(dir: string, logger?: Logger): Promise<LoadedCorpus> {
  const names = await listCorpusFiles(dir);
  const files = await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      try {
        return { path, text: await readFile(path, 'utf8') };
      } catch (error) {
        return {
          path,
          error: new CorpusFileError(path, undefined, `cannot be read: ${(error as Error).message}`),
        };
      }
    }),
  );
  const result = collectDocuments(files);
  for (const problem of result.problems) {
    logger?.warn('corpus file skipped', {
      path: problem.path,
      field: problem.field,
      problem: problem.problem,
    });
  }
  return result;
}

/** Parse already-read files, skipping bad ones and later duplicates of an id. */
export function collectDocuments(
  files: Array<{ path: string; text?: string; error?: CorpusFileError }>,
): LoadedCorpus {
  const documents: CorpusDocument[] = [];
  const problems: CorpusProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    try {
      if (file.error) throw file.error;
      const document = parseDocument(file.path, file.text ?? '');
      const firstPath = seen.get(document.id);
      if (firstPath)
        throw new CorpusFileError(file.path, 'id', `"${document.id}" is already used by ${firstPath}`);
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
