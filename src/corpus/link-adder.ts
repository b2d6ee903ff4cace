import type { Engine } from '../answering/engine.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { Fetcher } from '../fetch/safe-fetch.ts';
import type { Logger } from '../logger.ts';
import type { LiveCorpusStore } from '../store/types.ts';
import { createIngester } from './ingest.ts';
import { describeLinkOutcome, ingestLink } from './ingest-link.ts';
import type { CorpusDocument } from './schema.ts';

/** Said (privately) to someone who may not add articles from chat. */
export const NOT_AN_EDITOR_MESSAGE =
  'Sorry, only the newsroom’s editors can add articles. Ask an editor to add the link, or send it to them.';

/** How to use the add command, for a missing or unreadable link. */
export function addUsage(command: string): string {
  return `Give the article's link, e.g. ${command} https://www.example.com/news/article.`;
}

/** The engine's current articles as corpus documents (what an ingester needs to know). */
export function corpusDocuments(engine: Pick<Engine, 'articles' | 'document'>): CorpusDocument[] {
  return engine.articles().flatMap((a): CorpusDocument[] => {
    const d = engine.document(a.docId);
    return d ? [d] : [];
  });
}

/** Adds articles from links on behalf of people in chat: one at a time, through the ingest path. */
export interface LinkAdder {
  /** Fetch, read and ingest one link; the message says what was added (title, outlet, date, sentences) or why not. */
  add(url: string, by: { platform: string; userId: string }): Promise<{ ok: boolean; message: string }>;
}

/** Create a {@link LinkAdder} writing to `corpusDir`; the running bot's corpus watcher then indexes the file. */
export function createLinkAdder(deps: {
  corpusDir: string;
  engine: Pick<Engine, 'articles' | 'document'>;
  live: LiveCorpusStore;
  fetcher: Fetcher;
  logger: Logger;
  clock?: Clock;
}): LinkAdder {
  let queue: Promise<unknown> = Promise.resolve();
  // Written here but perhaps not yet indexed (the watcher waits for writes to settle).
  const written = new Map<string, CorpusDocument>();
  const documents = () => {
    const byId = new Map(corpusDocuments(deps.engine).map((d) => [d.id, d]));
    for (const [id, d] of written) {
      if (byId.get(id)?.contentHash === d.contentHash) written.delete(id);
      else byId.set(id, d);
    }
    return [...byId.values()];
  };
  return {
    add(url, by) {
      // One at a time: two editors adding the same story must see one article and one copy.
      const run = queue.then(async () => {
        const ingester = createIngester(deps.corpusDir, documents(), {
          live: deps.live,
          clock: deps.clock ?? systemClock,
        });
        const outcome = await ingestLink(url.trim(), { fetcher: deps.fetcher, ingester });
        if (outcome.action === 'added' || outcome.action === 'updated')
          written.set(outcome.id, outcome.document);
        deps.logger.info('link added from chat', { ...by, url, outcome: outcome.action });
        const ok = outcome.action === 'added' || outcome.action === 'updated' || outcome.action === 'copy';
        return { ok, message: describeLinkOutcome(outcome) };
      });
      queue = run.catch(() => {});
      return run;
    },
  };
}
