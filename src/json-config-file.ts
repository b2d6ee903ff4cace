import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { type ErrorCode, PeacedeskError } from './errors.ts';

/** How a JSON config file is named in messages ("feeds config") and the error code its problems carry. */
export interface JsonConfigKind {
  label: string;
  code: ErrorCode;
}

/**
 * The text of a JSON config file, or undefined when it does not exist (callers then use their
 * default). Any other read failure throws `kind.code` naming the file.
 */
export function readJsonConfigText(path: string, kind: JsonConfigKind): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PeacedeskError(kind.code, `Cannot read ${kind.label} ${path}: ${(error as Error).message}`, {
      path,
    });
  }
}

/** Parse JSON config text against `schema`; bad JSON or each schema problem throws `kind.code` naming the file. */
export function parseJsonConfig<S extends z.ZodType>(
  schema: S,
  path: string,
  text: string,
  kind: JsonConfigKind,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const label = kind.label.charAt(0).toUpperCase() + kind.label.slice(1);
    throw new PeacedeskError(kind.code, `${label} ${path} is not valid JSON: ${(error as Error).message}`, {
      path,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(file)'}: ${issue.message}`,
    );
    throw new PeacedeskError(kind.code, `Invalid ${kind.label} ${path}:\n${problems.join('\n')}`, { path });
  }
  return parsed.data;
}
