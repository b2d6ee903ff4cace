import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ErrorCode, isPeacedeskError, PeacedeskError } from '../errors.ts';

// Mistakes in what the user typed exit 2; a broken setup (config, corpus, database) exits 1.
const INPUT_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'usage',
  'empty_question',
  'question_too_long',
  'control_characters',
  'no_searchable_terms',
  'unknown_topic',
  'invalid_date',
]);

/** The exit status for an expected failure: 2 for a mistake in what the user typed, 1 otherwise. */
export function exitCodeFor(error: PeacedeskError): number {
  return INPUT_ERRORS.has(error.code) ? 2 : 1;
}

/** Parse the command line with `parse`; what it rejects becomes a `usage` error followed by `usage`. */
export function parseUsage<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (error) {
    throw new PeacedeskError('usage', `${(error as Error).message}\n\n${usage}`);
  }
}

/**
 * Run a CLI entry point when its module is the one Node started (not when a test imports it).
 * Expected failures print their message and exit 2 (usage, bad input) or 1 (everything else
 * expected); anything unexpected prints one line and exits 1. Never a stack trace to a user.
 */
export function runCli(
  moduleUrl: string,
  main: (argv: string[], env: Record<string, string | undefined>) => Promise<number>,
): void {
  const entry = process.argv[1];
  if (!entry || realpathSync(entry) !== realpathSync(fileURLToPath(moduleUrl))) return;
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (isPeacedeskError(error)) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = exitCodeFor(error);
        return;
      }
      process.stderr.write(
        `peacedesk: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
