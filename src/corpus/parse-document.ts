import { parse as parseYaml } from 'yaml';
import { stripControlCharacters, stripControlCharactersDeep } from './control-characters.ts';
import { corpusIdOf, fileFingerprint, readerHash } from './identity.ts';
import { type CorpusDocument, frontMatterSchema } from './schema.ts';

/** Why one corpus file could not be loaded: the file, the field at fault (if any) and what is wrong. */
export class CorpusFileError extends Error {
  override readonly name = 'CorpusFileError';
  constructor(
    readonly path: string,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(`${path}: ${field ? `${field} ${problem}` : problem}`);
  }
}

// Front matter is the YAML between a first line "---" and the next line "---".
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Parse one corpus file's text. Throws {@link CorpusFileError} naming the field at fault.
 * Every path into the corpus (loading, live reload, ingest) comes through here, so this is where
 * control characters and terminal escapes are removed, from the body and the front matter alike.
 * `fileHash` is the text's fingerprint when the reader already took it (src/persistence/read-corpus-file.ts).
 */
export function parseDocument(
  path: string,
  fileText: string,
  fileHash: string = fileFingerprint(fileText),
): CorpusDocument {
  const text = stripControlCharacters(fileText);
  if (text.trim() === '') throw new CorpusFileError(path, undefined, 'is empty');
  const match = FRONT_MATTER.exec(text);
  if (!match)
    throw new CorpusFileError(path, undefined, 'has no front matter (a first line "---", YAML, then "---")');
  let data: unknown;
  try {
    // YAML escapes ("\e", "\x1b") become control characters only now, so strip again.
    data = stripControlCharactersDeep(parseYaml(match[1]!, { prettyErrors: true }));
  } catch (error) {
    throw new CorpusFileError(path, 'front matter', `is not valid YAML: ${yamlReason(error)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new CorpusFileError(
      path,
      'front matter',
      'must be a YAML mapping of fields (id, title, source, published)',
    );
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : (issueField(issue) ?? 'front matter');
    throw new CorpusFileError(path, field, describeIssue(issue));
  }
  const expectedId = corpusIdOf(path);
  if (parsed.data.id !== expectedId) {
    throw new CorpusFileError(
      path,
      'id',
      `"${parsed.data.id}" does not match the file name (expected "${expectedId}")`,
    );
  }
  const body = text.slice(match[0].length);
  if (!/[\p{L}\p{N}]/u.test(body)) throw new CorpusFileError(path, 'body', 'is empty');
  return {
    ...parsed.data,
    body,
    path,
    contentHash: readerHash({ ...parsed.data, body }),
    fileHash,
  };
}

/**
 * A YAML error from front matter in one line, its position counted as the file counts lines (the
 * YAML starts on the file's second line, after "---"): "… (line 3, column 8 of the file)".
 */
export function yamlReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const at = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
  return at ? `${reason} (line ${at.line + 1}, column ${at.col} of the file)` : reason;
}

function issueField(issue: { code: string; keys?: string[] }): string | undefined {
  return issue.code === 'unrecognized_keys' && issue.keys ? issue.keys.join(', ') : undefined;
}

function describeIssue(issue: { code: string; message: string; input?: unknown }): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is missing';
  if (issue.code === 'unrecognized_keys')
    return 'is not a known field (id, title, source, published, url, dateInferred, author, updated, proposal, proposedBy)';
  return issue.message.replace(/^Invalid input: /, '');
}
