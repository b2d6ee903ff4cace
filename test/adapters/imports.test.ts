import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Adapters only translate: from the core they may import the ask service, the message model, the
// adapter contract and a few small shared pieces; anything else only as a type (`import type`).
const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const PUBLIC_FOLDERS = ['src/conversation/', 'src/messages/'];
const PUBLIC_FILES = [
  'src/adapter.ts', // the Adapter contract
  'src/config.ts', // zod helpers for an adapter's own config section
  'src/errors.ts', // typed errors with codes
  'src/clock.ts', // the injected clock
  'src/logger.ts', // the injected logger
  'src/listen-error.ts', // "port in use" as a typed error naming the setting
  'src/cli/run-cli.ts', // the command-line runner (the Discord register script)
];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

/** Each import or export-from of a file: the module it names and whether it is type-only. */
function importsOf(source: string): Array<{ from: string; typeOnly: boolean }> {
  const found: Array<{ from: string; typeOnly: boolean }> = [];
  const pattern =
    /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const match of source.matchAll(pattern)) {
    if (match[5]) {
      found.push({ from: match[5], typeOnly: false });
      continue;
    }
    const names = match[3] ?? '';
    // `import { type A, type B }` is type-only too; `import { type A, b }` is not.
    const braced = /^\{([^}]*)\}$/.exec(names.trim());
    const allTypes =
      braced !== null &&
      braced[1]!
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '));
    found.push({ from: match[4]!, typeOnly: Boolean(match[2]) || allTypes });
  }
  return found;
}

/** Whether an adapter file may import `target` (a path relative to the repository). */
function isAllowed(target: string, typeOnly: boolean): boolean {
  if (!target.startsWith('src/')) return true; // the adapter's own files, other adapters, packages
  if (typeOnly) return true; // public types
  return PUBLIC_FOLDERS.some((folder) => target.startsWith(folder)) || PUBLIC_FILES.includes(target);
}

describe('adapter imports', () => {
  it('reach the core only through the ask service, the message model and public types', async () => {
    const offending: string[] = [];
    for (const file of await filesUnder(join(ROOT, 'adapters'))) {
      for (const { from, typeOnly } of importsOf(await readFile(file, 'utf8'))) {
        if (!from.startsWith('.')) continue;
        const target = relative(ROOT, resolve(join(file, '..'), from));
        if (!isAllowed(target, typeOnly)) offending.push(`${relative(ROOT, file)} -> ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the rule catches a value import from the engine and lets types through', () => {
    const [value, types, mixed] = importsOf(
      "import { createEngine } from '../../src/answering/engine.ts';\nimport type { Engine } from '../../src/answering/engine.ts';\nimport { type Answer, renderText } from '../../src/messages/index.ts';\n",
    );
    expect(isAllowed('src/engine/engine.ts', value!.typeOnly)).toBe(false);
    expect(isAllowed('src/engine/engine.ts', types!.typeOnly)).toBe(true);
    expect(mixed).toEqual({ from: '../../src/messages/index.ts', typeOnly: false });
    expect(isAllowed('src/messages/index.ts', mixed!.typeOnly)).toBe(true);
  });
});
