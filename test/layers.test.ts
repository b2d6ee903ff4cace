import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folders keep their layers (README, "Layout"): the index and the answering code touch no
 * disk, run no timer and know no chat platform; the index knows nothing of answering; neither
 * reaches into persistence. Read from the sources, so a new file is checked as soon as it exists.
 */
const SRC = join(import.meta.dirname, '..', 'src');

interface Rule {
  what: string;
  pattern: RegExp;
}

// An import or re-export of a module ('from "x"', 'import "x"', 'import("x")', 'require("x")').
const importOf = (module: string) =>
  new RegExp(`(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*|\\brequire\\s*\\(\\s*)['"]${module}['"]`);

const PURE: Rule[] = [
  { what: 'imports node:fs', pattern: importOf('(?:node:)?fs') },
  { what: 'imports node:fs/promises', pattern: importOf('(?:node:)?fs/promises') },
  { what: 'imports node:timers', pattern: importOf('(?:node:)?timers(?:/promises)?') },
  { what: 'uses setTimeout', pattern: /\bsetTimeout\s*\(/ },
  { what: 'uses setInterval', pattern: /\bsetInterval\s*\(/ },
  { what: 'imports discord.js', pattern: importOf('discord\\.js') },
  { what: 'imports @slack/bolt', pattern: importOf('@slack/bolt') },
  { what: 'imports from src/persistence', pattern: importOf('(?:\\.\\./)+persistence/[^\'"]+') },
];
const INDEX_ONLY: Rule[] = [
  { what: 'imports from src/answering', pattern: importOf('(?:\\.\\./)+answering/[^\'"]+') },
];

/** The broken rules of one source text, as "rule (line n)". */
function violations(source: string, rules: readonly Rule[]): string[] {
  const lines = source.split('\n');
  return rules.flatMap(({ what, pattern }) =>
    lines.flatMap((line, i) => (pattern.test(line) ? [`${what} (line ${i + 1})`] : [])),
  );
}

function sourcesUnder(folder: string): Array<{ file: string; source: string }> {
  const dir = join(SRC, folder);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ file: relative(SRC, join(dir, name)), source: readFileSync(join(dir, name), 'utf8') }));
}

describe('layers', () => {
  it('flags each forbidden import and timer in a sample source', () => {
    const sample = [
      "import { readFileSync } from 'node:fs';",
      "import { readFile } from 'fs/promises';",
      "import { Client } from 'discord.js';",
      "const { App } = await import('@slack/bolt');",
      "import { saveSnapshot } from '../persistence/snapshot.ts';",
      "import type { Engine } from '../answering/engine.ts';",
      'const t = setTimeout(() => {}, 5);',
      'setInterval(tick, 100);',
      "import { setTimeout as wait } from 'node:timers/promises';",
    ].join('\n');
    expect(violations(sample, [...PURE, ...INDEX_ONLY])).toEqual([
      'imports node:fs (line 1)',
      'imports node:fs/promises (line 2)',
      'imports node:timers (line 9)',
      'uses setTimeout (line 7)',
      'uses setInterval (line 8)',
      'imports discord.js (line 3)',
      'imports @slack/bolt (line 4)',
      'imports from src/persistence (line 5)',
      'imports from src/answering (line 6)',
    ]);
    expect(violations("import { analyze } from '../text/analyze.ts';\n// no setTimeout here", PURE)).toEqual(
      [],
    );
  });

  it('keeps src/search-index free of the disk, timers, platforms, answering and persistence', () => {
    const files = sourcesUnder('search-index');
    expect(files.length).toBeGreaterThan(3);
    const found = files.flatMap(({ file, source }) =>
      violations(source, [...PURE, ...INDEX_ONLY]).map((v) => `${file}: ${v}`),
    );
    expect(found).toEqual([]);
  });

  it('keeps src/answering free of the disk, timers, platforms and persistence', () => {
    const files = sourcesUnder('answering');
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap(({ file, source }) => violations(source, PURE).map((v) => `${file}: ${v}`));
    expect(found).toEqual([]);
  });
});
