import { PassThrough, Writable } from 'node:stream';
import type { AdapterContext } from '../../../src/adapter.ts';
import { createEngine, type Engine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import { createLinkAdder } from '../../../src/corpus/link-adder.ts';
import type { CorpusDocument } from '../../../src/corpus/schema.ts';
import { createCoverage } from '../../../src/coverage/coverage.ts';
import { createOverview } from '../../../src/coverage/overview.ts';
import { createDigestComposer } from '../../../src/digest/compose.ts';
import { createDigestPreviewer } from '../../../src/digest/previewer.ts';
import { createSafeFetcher } from '../../../src/fetch/safe-fetch.ts';
import { createLogger } from '../../../src/logger.ts';
import { openSqliteStores } from '../../../src/store/sqlite-store.ts';
import type { QuestionRecord, VoteInput } from '../../../src/store/types.ts';
import { makeDocument } from '../../helpers.ts';

const parsed = makeDocument(
  'hostile',
  'The grain corridor invitation was addressed to <@U999> & @everyone at the corridor meeting, <!channel>, with a bell rung for @here.',
  { title: 'Grain corridor <!channel> talks', source: 'Wire <!here> & Co', published: '2025-10-01' },
);
/**
 * An article whose title, outlet and text try to ping: Slack and Discord mentions, and a terminal
 * bell (put in after parsing, which strips control characters, so the surfaces' own guard is tested).
 */
export const HOSTILE = { ...parsed, body: parsed.body.replace('a bell rung', 'a bell \u0007 rung') };

/** A question the hostile article answers. */
export const HOSTILE_QUESTION = 'Who was the grain corridor invitation addressed to?';

/** Questions containing this word make the engine throw (the handler-failure path). */
export const EXPLODE = 'explode';

/** What one contract case gets: the context every adapter is created with, and what to look at. */
export interface ContractWorld {
  context: AdapterContext;
  /** Times the engine was asked to answer (Share must not ask again). */
  answers(): number;
  votes: VoteInput[];
  /** Audit records written (platform, question, answered…). */
  questions: QuestionRecord[];
  close(): void;
  /** Log lines at error level (a handler failure must be logged). */
  errors: string[];
  /** The console adapter's streams. */
  stdio: { input: PassThrough; printed(): string };
}

/** Build the shared context over the shipped corpus plus {@link HOSTILE}, on memory stores. */
export function createContractWorld(corpus: readonly CorpusDocument[], folder: string): ContractWorld {
  const clock = createManualClock('2026-02-01T10:00:00Z');
  const stores = openSqliteStores(':memory:', { salt: 'contract', clock });
  const real = createEngine([...corpus, HOSTILE], { clock });
  let answers = 0;
  const engine: Engine = {
    ...real,
    answer: (question, options) => {
      answers++;
      if (question.includes(EXPLODE)) throw new Error('engine exploded');
      return real.answer(question, options);
    },
    answerAsync: async (question, options) => {
      answers++;
      if (question.includes(EXPLODE)) throw new Error('engine exploded');
      return real.answerAsync(question, options);
    },
  };
  const votes: VoteInput[] = [];
  const questions: QuestionRecord[] = [];
  const errors: string[] = [];
  const logger = createLogger('error', (line) => errors.push(line));
  const coverage = createCoverage({ engine, insights: stores.insights, logger });
  const composer = createDigestComposer({
    engine,
    documents: stores.documents,
    digests: stores.digests,
    audit: stores.audit,
    coverage,
    corrections: stores.live,
  });
  const input = new PassThrough();
  let printed = '';
  const output = new Writable({
    write(chunk, _encoding, done) {
      printed += chunk.toString();
      done();
    },
  });
  const context: AdapterContext = {
    engine,
    stores: {
      ...stores,
      kind: 'sqlite',
      audit: {
        ...stores.audit,
        async recordQuestion(record) {
          questions.push(record);
          return stores.audit.recordQuestion(record);
        },
      },
      feedback: {
        async recordVote(vote) {
          votes.push(vote);
          return stores.feedback.recordVote(vote);
        },
      },
    },
    logger,
    clock,
    coverage,
    overview: createOverview({ engine, audit: stores.audit, coverage, channels: [], clock }),
    links: createLinkAdder({
      corpusDir: folder,
      engine,
      live: stores.live,
      fetcher: createSafeFetcher({ allowHosts: [], timeoutMs: 1000, maxBytes: 100_000 }),
      logger,
      clock,
    }),
    digest: createDigestPreviewer(composer, []),
    setupLines: ['peacedesk — contract test'],
    stdio: { input, output, isTerminal: false, color: false, columns: () => undefined },
    requestStop: () => {},
  };
  return {
    context,
    answers: () => answers,
    votes,
    questions,
    errors,
    stdio: { input, printed: () => printed },
    close: () => stores.close(),
  };
}

/** Every string in a JSON-like value, joined by newlines (what a person could read of a message). */
export function allText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(allText).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(allText).join('\n');
  return '';
}

/** Poll until `probe` returns something (10 ms steps, about 5 s), or fail naming `what`. */
export async function eventually<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
