import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isPeacedeskError } from '../errors.ts';

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
        process.exitCode = error.code === 'invalid_config' || error.code === 'corpus_unreadable' ? 1 : 2;
        return;
      }
      process.stderr.write(
        `peacedesk: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
