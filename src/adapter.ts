import type { Readable, Writable } from 'node:stream';
import type { Engine } from './answering/engine.ts';
import type { Clock } from './clock.ts';
import type { ConfigSection } from './config.ts';
import type { LinkAdder } from './corpus/link-adder.ts';
import type { Coverage } from './coverage/coverage.ts';
import type { Overview } from './coverage/overview.ts';
import type { DigestPreviewer, DigestPublisher } from './digest/types.ts';
import type { Logger } from './logger.ts';
import type { Service } from './service.ts';
import type { Stores } from './store/open-stores.ts';

// The contract every surface implements (Slack, Discord, the terminal chat; a new platform the
// same way): its name and platform id, its own part of the environment, start/stop, and a
// publisher for digests. `adapters/registry.ts` lists them; `main.ts` names none.

/** What `main` hands every adapter: the core, the stores, and the shared services. */
export interface AdapterContext {
  engine: Engine;
  stores: Pick<Stores, 'kind' | 'feedback' | 'audit' | 'ledger' | 'threads' | 'installations'>;
  logger: Logger;
  clock: Clock;
  coverage: Coverage;
  /** The App Home / editors' overview of the corpus and the questions, for one platform's user. */
  overview: (request: { platform: string; editor: boolean }) => Promise<Overview>;
  /** Adds articles from links (`add <url>`). */
  links: LinkAdder;
  /** Composes the digest a channel would get next (a `/digest` preview). */
  digest: DigestPreviewer;
  /** Lines about the set-up (corpus size, which adapters are off, skipped files), for a console surface. */
  setupLines: string[];
  /** The process's own streams, for a console surface. */
  stdio: {
    input: Readable;
    output: Writable;
    /** Both ends are a terminal (line editing, prompt redraws). */
    isTerminal: boolean;
    /** Bold is allowed (a terminal, and NO_COLOR unset). */
    color: boolean;
    /** The terminal's width now; undefined when piped. */
    columns: () => number | undefined;
  };
  /** Ask the process to stop every service (a console surface the user left). */
  requestStop: () => void;
}

/** A running adapter: a service, its platform id, and how digests reach its channels. */
export interface Adapter extends Service {
  /** The platform id in stores, audit records and the digest config (`"slack"`). */
  readonly platform: string;
  /** Posts digests to this platform's channels; a console surface has none. */
  readonly publisher?: DigestPublisher;
  /** Where an HTTP-mode adapter listens once started (`http://127.0.0.1:3000/slack/events`). */
  endpoint?(): string | undefined;
  /** A console surface: run `write` (whole lines) above its prompt, so logs do not break the line being typed. */
  printAbove?(write: () => void): void;
}

/** One platform as the registry lists it; `C` is its settings as its config section parses them. */
export interface AdapterDefinition<C = unknown> {
  /** Registry name, also its config section's name and its platform id. */
  readonly name: string;
  /** Its part of the environment (`SLACK_*`): settings, or undefined when it is not configured. */
  readonly config: ConfigSection['schema'];
  /**
   * `console`: runs only when no other adapter is configured (the terminal chat is what
   * `npm start` opens without tokens); `service`: runs whenever its settings are present.
   */
  readonly kind: 'service' | 'console';
  /** The banner line saying whether it is on, and which settings would turn it on. */
  describe(config: C | undefined): string;
  /** Build it (loading heavy SDKs only now); `start()` is called by `main`. */
  create(config: C, context: AdapterContext): Promise<Adapter>;
}

/** The config sections of a list of adapters, for `loadConfig(env, sections)`. */
export function configSections(adapters: readonly AdapterDefinition<never>[]): ConfigSection[] {
  return adapters.map((adapter) => ({ name: adapter.name, schema: adapter.config }));
}
