import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createIngester, type IngestFields } from '../corpus/ingest.ts';
import { loadCorpus } from '../corpus/load-corpus.ts';
import { PeacedeskError } from '../errors.ts';
import { runCli } from './run-cli.ts';

const USAGE = `Usage:
  npm run ingest -- FILE... [--title T] [--source S] [--published YYYY-MM-DD] [--url U] [--id ID]
  npm run ingest -- - --title T --source S --published YYYY-MM-DD < article.txt

FILE is Markdown with front matter (id, title, source, published, url) or plain text, whose
fields then come from the flags; "-" reads standard input. Flags fill in or override the
front matter of every file. Without an id, one is made from the date and the title.
Writes CORPUS_DIR/<id>.md (default corpus/). The running bot picks new files up by itself.
Exit code: 0 when everything was written, 1 when an article was already there, 2 for bad input.`;

/** Where `npm run ingest` writes its report lines and progress. */
export interface IngestIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  now: () => number;
}

const defaultIo: IngestIo = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  now: Date.now,
};

/** `npm run ingest`: validate articles and add them to the corpus folder. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: IngestIo = defaultIo,
): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new PeacedeskError('usage', `${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
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

  const config = loadConfig(env);
  const { documents } = await loadCorpus(config.corpusDir);
  const ingester = createIngester(config.corpusDir, documents);
  const progress = createProgress(positionals.length, io);
  const counts = { added: 0, updated: 0, duplicate: 0, invalid: 0 };
  for (const file of positionals) {
    const origin = file === '-' ? 'standard input' : file;
    let text: string;
    try {
      text = file === '-' ? await readStream(io.stdin) : await readFile(file, 'utf8');
    } catch (error) {
      counts.invalid++;
      progress.line(`error: ${origin}: cannot be read: ${(error as Error).message}`);
      progress.tick();
      continue;
    }
    const outcome = await ingester.ingest({ origin, text, fields });
    counts[outcome.action]++;
    switch (outcome.action) {
      case 'added':
      case 'updated':
        progress.line(`${outcome.action} ${outcome.id} (${outcome.path})`, io.stdout);
        break;
      case 'duplicate':
        progress.line(`refused: ${outcome.message}`);
        break;
      case 'invalid':
        progress.line(`error: ${outcome.message}`);
        break;
    }
    progress.tick();
  }
  progress.done();
  if (positionals.length > 1)
    io.stdout.write(
      `${counts.added} added, ${counts.updated} updated, ${counts.duplicate} already present, ${counts.invalid} with errors\n`,
    );
  return counts.invalid ? 2 : counts.duplicate ? 1 : 0;
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
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Count, rate and time left on one rewritten stderr line, only on a terminal and for several files. */
function createProgress(total: number, io: IngestIo) {
  const live = Boolean(io.stderr.isTTY) && total > 1;
  const started = io.now();
  let done = 0;
  let shown = false;
  const clear = () => {
    if (shown) io.stderr.write('\r\u001b[K');
    shown = false;
  };
  return {
    line(text: string, stream: { write(text: string): unknown } = io.stderr) {
      clear();
      stream.write(`${text}\n`);
    },
    tick() {
      done++;
      if (!live) return;
      const seconds = Math.max((io.now() - started) / 1000, 0.001);
      const rate = done / seconds;
      const left = Math.round((total - done) / rate);
      io.stderr.write(
        `\r\u001b[K[${done}/${total}] ${rate.toFixed(rate < 10 ? 1 : 0)} files/s, ${left} s left`,
      );
      shown = true;
    },
    done: clear,
  };
}

runCli(import.meta.url, (argv, env) => main(argv, env));
