import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Clock, systemClock } from '../clock.ts';
import { type Config, loadConfig } from '../config.ts';
import { correctionSummary, shortDate } from '../corpus/corrections.ts';
import { createIngester, type IngestFields } from '../corpus/ingest.ts';
import { describeLinkOutcome, ingestLink, type LinkOutcome } from '../corpus/ingest-link.ts';
import { resemblance, signature } from '../corpus/near-duplicate.ts';
import { parseDocument } from '../corpus/parse-document.ts';
import { PeacedeskError } from '../errors.ts';
import { createSafeFetcher, type Fetcher } from '../fetch/safe-fetch.ts';
import { loadCorpus } from '../persistence/load-corpus.ts';
import { openStores } from '../store/open-stores.ts';
import { createProgress } from './progress.ts';
import { parseUsage, runCli } from './run-cli.ts';

const USAGE = `Usage:
  npm run ingest -- FILE|URL... [--title T] [--source S] [--published YYYY-MM-DD] [--url U] [--id ID]
  npm run ingest -- - --title T --source S --published YYYY-MM-DD < article.txt
  npm run ingest -- --history ID          what changed in an article, version by version
  npm run ingest -- --similarity A B      how alike two articles' texts are (files), 0-1

FILE is Markdown with front matter (id, title, source, published, url) or plain text, whose
fields then come from the flags; "-" reads standard input. A URL (http:// or https://) is
fetched and its article read out of the page, with title, outlet, author and dates from the
page's metadata. Flags fill in or override those fields. Without an id, one is made from the
date and the title. Writes CORPUS_DIR/<id>.md (default corpus/); the running bot picks new
files up by itself. A near-copy of an article already there (the same story from another
outlet) is recorded as "also published by" that outlet instead of a new article. A changed
article keeps its earlier version's sentences (see --history).
Exit code: 0 when everything was written, was already there unchanged or was recorded as a
copy; 1 when the same text was already there under another id; 2 for bad input or a link
that was refused or could not be read.`;

/** Where `npm run ingest` writes its report lines and progress. */
export interface IngestIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  now: () => number;
  /** "Today", for warnings about dates in the future and the time of corrections. */
  clock?: Clock;
  /** Replaces the safe fetcher (tests). */
  fetcher?: Fetcher;
}

const defaultIo: IngestIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  now: Date.now,
};

const isLink = (arg: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(arg);

/** `npm run ingest`: validate articles (files, standard input or links) and add them to the corpus folder. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: IngestIo = defaultIo,
): Promise<number> {
  const { values, positionals } = parseUsage(() => parseFlags(argv), USAGE);
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(env);
  if (values.similarity) return similarity(positionals, io);
  if (values.history !== undefined) return history(values.history, config, io);
  if (positionals.length === 0) throw new PeacedeskError('usage', `No file given.\n\n${USAGE}`);
  if (positionals.filter((p) => p === '-').length > 1)
    throw new PeacedeskError('usage', 'Standard input ("-") can be read only once.');
  if (values.id && positionals.length > 1)
    throw new PeacedeskError('usage', '--id names one article; give one FILE with it.');
  const fields: IngestFields = {
    id: values.id,
    title: values.title,
    source: values.source,
    published: values.published,
    url: values.url,
  };

  const { documents } = await loadCorpus(config.corpusDir);
  // Where the bot reads copies and corrections: PostgreSQL with DATABASE_URL, the SQLite file otherwise.
  const stores = await openStores(config);
  try {
    const ingester = createIngester(config.corpusDir, documents, {
      live: stores.live,
      ...(io.clock && { clock: io.clock }),
    });
    const fetcher =
      io.fetcher ??
      createSafeFetcher({
        allowHosts: config.fetch.allowHosts,
        timeoutMs: config.fetch.timeoutMs,
        maxBytes: config.fetch.maxBytes,
      });
    const progress = createProgress(positionals.length, io);
    const counts = { added: 0, updated: 0, unchanged: 0, copy: 0, duplicate: 0, invalid: 0, refused: 0 };
    for (const file of positionals) {
      const origin = file === '-' ? 'standard input' : file;
      let outcome: LinkOutcome;
      if (isLink(file)) {
        outcome = await ingestLink(file, { fetcher, ingester }, fields);
      } else {
        let text: string;
        try {
          text = file === '-' ? await readStream(io.stdin) : await readFile(file, 'utf8');
        } catch (error) {
          counts.invalid++;
          progress.line(`error: ${origin}: cannot be read: ${(error as Error).message}`);
          progress.tick();
          continue;
        }
        outcome = await ingester.ingest({ origin, text, fields });
      }
      counts[outcome.action]++;
      switch (outcome.action) {
        case 'added':
        case 'updated':
          for (const warning of outcome.warnings) progress.line(`warning: ${origin}: ${warning}`);
          progress.line(
            isLink(file)
              ? `${describeLinkOutcome(outcome)} (${outcome.path})`
              : `${outcome.action} ${outcome.id} (${outcome.path})`,
            io.stdout,
          );
          break;
        case 'unchanged':
          progress.line(`unchanged: ${outcome.message}`, io.stdout);
          break;
        case 'copy':
          progress.line(`copy: ${outcome.message}`, io.stdout);
          break;
        case 'duplicate':
          progress.line(`refused: ${outcome.message}`);
          break;
        case 'invalid':
          progress.line(`error: ${outcome.message}`);
          break;
        case 'refused':
          progress.line(`refused: ${outcome.message}`);
          break;
      }
      progress.tick();
    }
    progress.done();
    if (positionals.length > 1)
      io.stdout.write(
        `${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.copy} copies recorded, ${counts.duplicate} already present, ${counts.invalid + counts.refused} with errors\n`,
      );
    return counts.invalid || counts.refused ? 2 : counts.duplicate ? 1 : 0;
  } finally {
    await stores.close();
  }
}

/** `--history ID`: the article's corrections, oldest first, each with what changed. */
async function history(id: string, config: Config, io: IngestIo): Promise<number> {
  const stores = await openStores(config);
  try {
    const corrections = await stores.live.corrections(id);
    if (!corrections.length) {
      io.stdout.write(
        `${id}: no corrections recorded (it has not changed since it was ingested, or is not in the corpus).\n`,
      );
      return 0;
    }
    const lines = [`${id}: ${corrections.length} version${corrections.length === 1 ? '' : 's'} replaced`];
    for (const [i, c] of corrections.entries()) {
      lines.push(
        '',
        `Version ${i + 1} replaced ${shortDate(c.at)} (${c.at.toISOString()}): ${correctionSummary(c)}`,
      );
      if (c.previousTitle !== c.title) lines.push(`  headline: “${c.previousTitle}” -> “${c.title}”`);
      for (const change of c.changes)
        lines.push(
          change.after === null
            ? `  removed: “${change.before}”`
            : `  was:     “${change.before}”\n  now:     “${change.after}”`,
        );
      for (const added of c.added) lines.push(`  added:   “${added}”`);
      lines.push(`  (${c.previousSentences.length} sentences in the earlier version, kept in the database)`);
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await stores.close();
  }
}

/** `--similarity A B`: estimated resemblance of two files' article texts, as the copy check sees it. */
async function similarity(paths: string[], io: IngestIo): Promise<number> {
  if (paths.length !== 2) throw new PeacedeskError('usage', `--similarity takes two files.\n\n${USAGE}`);
  const bodies = await Promise.all(
    paths.map(async (path) => {
      const text = await readFile(path, 'utf8').catch((error: Error) => {
        throw new PeacedeskError('usage', `${path}: cannot be read: ${error.message}`);
      });
      return text.startsWith('---') ? parseDocument(path, text).body : text;
    }),
  );
  io.stdout.write(`${resemblance(signature(bodies[0]!), signature(bodies[1]!)).toFixed(3)}\n`);
  return 0;
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      title: { type: 'string' },
      source: { type: 'string' },
      published: { type: 'string' },
      url: { type: 'string' },
      id: { type: 'string' },
      history: { type: 'string' },
      similarity: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

runCli(import.meta.url, (argv, env) => main(argv, env, { ...defaultIo, clock: systemClock }));
