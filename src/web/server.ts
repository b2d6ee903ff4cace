import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../answering/engine.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { WebConfig } from '../config.ts';
import type { Coverage } from '../coverage/coverage.ts';
import { parseReportSince } from '../coverage/since.ts';
import type { DigestChannel } from '../digest/channel-config.ts';
import { isPeacedeskError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Service } from '../service.ts';
import type { DigestRunStore, LiveCorpusStore } from '../store/types.ts';
import { isAuthorized, SESSION_COOKIE, sameSecret, sessionValue } from './auth.ts';
import {
  type CorpusRow,
  type EditorsPageData,
  PAGE_CSP,
  renderEditorsPage,
  renderLoginPage,
} from './page.ts';

/** Counts the corpus store knows beyond the articles themselves (syndicated copies, corrections). */
export interface CorpusExtras {
  copies?(docId: string): number;
  corrections?(docId: string): number;
}

/** The page's Copies and Corrections columns, counted from the live corpus store. */
export function corpusExtrasOf(live: Pick<LiveCorpusStore, 'notesFor'>): CorpusExtras {
  return {
    copies: (docId) => live.notesFor([docId]).copies.length,
    corrections: (docId) => live.notesFor([docId]).corrections.length,
  };
}

/** What the editors' page reads. */
export interface EditorsPageOptions {
  config: WebConfig;
  coverage: Coverage;
  engine: Pick<Engine, 'articles' | 'document'>;
  digests: DigestRunStore;
  /** The configured digest channels, whose history the page lists. */
  channels: readonly DigestChannel[];
  logger: Logger;
  clock?: Clock;
  /** Copies and corrections per article, once a store keeps them; the columns appear then. */
  corpusExtras?: CorpusExtras;
}

/** The editors' page as a service; `url` once started. */
export interface EditorsPageService extends Service {
  readonly url: string | undefined;
}

const MAX_FORM_BYTES = 2048;
/** Wrong tokens allowed per minute before sign-in is refused for the rest of it. */
const MAX_FAILURES_PER_MINUTE = 10;
const SESSION_SECONDS = 12 * 60 * 60;

const BASE_HEADERS = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

/**
 * The editors' web page (server-rendered, no scripts): corpus, coverage gaps, feedback, questions
 * per day and digest history. Refuses every request without the token (header, or the session
 * cookie the sign-in form sets); the token never travels in a URL.
 */
export function createEditorsPage(options: EditorsPageOptions): EditorsPageService {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  let server: Server | undefined;
  let failures: { minute: number; count: number } = { minute: 0, count: 0 };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      ...BASE_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      ...headers,
    });
    res.end(body);
  };

  const pageData = async (windowText: string): Promise<EditorsPageData> => {
    const now = clock.now();
    const since = parseReportSince(windowText, now);
    const window = { since, limit: 25 };
    const [gaps, feedback, questions] = [
      await options.coverage.gaps(window),
      await options.coverage.feedback(window),
      await options.coverage.questions(window),
    ];
    const extras = options.corpusExtras;
    const corpus: CorpusRow[] = options.engine.articles().map((a) => ({
      docId: a.docId,
      title: a.title,
      source: a.source,
      published: a.published,
      updated: options.engine.document(a.docId)?.updated ?? null,
      url: a.url,
      ...(extras?.copies && { copies: extras.copies(a.docId) }),
      ...(extras?.corrections && { corrections: extras.corrections(a.docId) }),
    }));
    const digests = [];
    for (const channel of options.channels) {
      const runs = await options.digests.list(channel.platform, channel.channelId);
      digests.push({
        platform: channel.platform,
        channelId: channel.channelId,
        schedule: channel.schedule,
        timeZone: channel.timeZone,
        runs: runs.reverse().slice(0, 10),
      });
    }
    return {
      generatedAt: now.toISOString(),
      since: since.toISOString(),
      window: windowText,
      corpus,
      gaps,
      feedback,
      questions,
      digests,
    };
  };

  const readForm = (req: IncomingMessage): Promise<URLSearchParams | undefined> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_FORM_BYTES) chunks.push(chunk);
      });
      req.on('end', () =>
        resolve(
          size > MAX_FORM_BYTES ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        ),
      );
      req.on('error', () => resolve(undefined));
    });

  const signIn = async (req: IncomingMessage, res: ServerResponse) => {
    const minute = Math.floor(clock.now().getTime() / 60_000);
    if (failures.minute !== minute) failures = { minute, count: 0 };
    if (failures.count >= MAX_FAILURES_PER_MINUTE) {
      send(res, 429, renderLoginPage('Too many wrong tokens; wait a minute and try again.'), {
        'retry-after': '60',
      });
      return;
    }
    const form = await readForm(req);
    const token = form?.get('token') ?? '';
    if (!form || !sameSecret(token, config.token)) {
      failures.count++;
      logger.warn('web: sign-in refused', { reason: form ? 'wrong token' : 'form too large' });
      send(res, 401, renderLoginPage(form ? 'That token is not right.' : 'The form was too large.'));
      return;
    }
    // Secure when the page is reached over HTTPS (a TLS proxy in front says so).
    const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
    res.writeHead(303, {
      ...BASE_HEADERS,
      location: '/',
      'set-cookie': `${SESSION_COOKIE}=${sessionValue(config.token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_SECONDS}${secure}`,
    });
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/login') return signIn(req, res);
    if (url.pathname !== '/' && url.pathname !== '/logout')
      return send(res, 404, 'Not found', { 'content-type': 'text/plain; charset=utf-8' });
    if (!isAuthorized(req.headers, config.token)) {
      return send(res, 401, renderLoginPage(), { 'www-authenticate': 'Bearer realm="peacedesk editors"' });
    }
    if (url.pathname === '/logout') {
      if (req.method !== 'POST')
        return send(res, 405, 'Use the Sign out button.', {
          allow: 'POST',
          'content-type': 'text/plain; charset=utf-8',
        });
      res.writeHead(303, {
        ...BASE_HEADERS,
        location: '/',
        'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'Method not allowed', {
        allow: 'GET',
        'content-type': 'text/plain; charset=utf-8',
      });
    let data: EditorsPageData;
    try {
      data = await pageData(url.searchParams.get('since') ?? '30d');
    } catch (error) {
      if (!isPeacedeskError(error)) throw error;
      return send(res, 400, error.message, { 'content-type': 'text/plain; charset=utf-8' });
    }
    send(res, 200, renderEditorsPage(data));
  };

  return {
    name: 'web',
    get url() {
      const address = server?.address() as AddressInfo | null | undefined;
      if (!address) return undefined;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${host}:${address.port}/`;
    },
    async start() {
      const started = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          logger.error('web: request failed', { path: req.url?.split('?')[0], error });
          if (!res.headersSent)
            send(res, 500, 'Something went wrong; see the log.', {
              'content-type': 'text/plain; charset=utf-8',
            });
          else res.end();
        });
      });
      await new Promise<void>((resolve, reject) => {
        started.once('error', reject);
        started.listen(config.port, config.host, () => {
          started.off('error', reject);
          resolve();
        });
      });
      server = started;
      logger.info("web: editors' page listening", { url: this.url });
    },
    async stop() {
      const running = server;
      server = undefined;
      if (!running) return;
      const closed = new Promise<void>((resolve) => running.close(() => resolve()));
      running.closeAllConnections();
      await closed;
    },
  };
}
