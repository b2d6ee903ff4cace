import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { PeacedeskError } from '../errors.ts';
import { createAddressGuard } from './address-guard.ts';

/** Why a fetch was refused or failed: stable, for logs and tests. */
export type FetchRefusal =
  | 'bad_url'
  | 'blocked_address'
  | 'dns'
  | 'timeout'
  | 'too_large'
  | 'content_type'
  | 'too_many_redirects'
  | 'http_status'
  | 'network';

/** A refused or failed fetch; `message` says what and why, for the person who asked. */
export class FetchRefusedError extends PeacedeskError {
  constructor(
    readonly reason: FetchRefusal,
    message: string,
    readonly url: string,
  ) {
    super('fetch_refused', message, { reason, url });
  }
}

/** What kind of document a fetch wants: an article page or a feed (decides the content types accepted). */
export type FetchKind = 'html' | 'feed';

/** One GET, with the validators of an earlier response for a conditional request. */
export interface FetchRequest {
  url: string;
  kind: FetchKind;
  etag?: string | null;
  lastModified?: string | null;
}

/** A fetched document (`status` 200) or "not modified since" (304, no text). */
export interface FetchResult {
  status: 200 | 304;
  /** The URL finally read, after redirects. */
  url: string;
  contentType: string | null;
  text: string;
  etag: string | null;
  lastModified: string | null;
}

/** Fetches a page or a feed within the limits of {@link FetchOptions}. */
export type Fetcher = (request: FetchRequest) => Promise<FetchResult>;

/** Limits of {@link createSafeFetcher}. */
export interface FetchOptions {
  /** `FETCH_ALLOW_HOSTS`: hosts, IPs and CIDR ranges allowed although not public. */
  allowHosts: readonly string[];
  /** The whole fetch (every redirect included) must finish within this. */
  timeoutMs: number;
  /** Largest body read, after decompression. */
  maxBytes: number;
  /** Redirects followed at most. Default 5. */
  maxRedirects?: number;
  /** Sent as User-Agent. */
  userAgent?: string;
  /** DNS lookup (tests may pass their own); default `dns.lookup`. */
  lookup?: (hostname: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;
}

const ACCEPTED: Record<FetchKind, readonly string[]> = {
  html: ['text/html', 'application/xhtml+xml'],
  feed: [
    'application/rss+xml',
    'application/atom+xml',
    'application/rdf+xml',
    'application/xml',
    'text/xml',
    'application/feed+xml',
  ],
};
const ACCEPT_HEADER: Record<FetchKind, string> = {
  html: 'text/html,application/xhtml+xml;q=0.9',
  feed: 'application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.8',
};

/**
 * A fetcher for untrusted URLs: http(s) only, every address checked after DNS resolution and on
 * every redirect (the connection goes to the address that was checked, so a second DNS answer
 * cannot slip a private address in), a deadline over the whole fetch, a size limit that also
 * applies to decompressed bytes, content types checked, and at most a few redirects.
 */
export function createSafeFetcher(options: FetchOptions): Fetcher {
  const check = createAddressGuard(options.allowHosts);
  const maxRedirects = options.maxRedirects ?? 5;
  const resolve =
    options.lookup ??
    ((hostname: string, callback: (error: Error | null, addresses: LookupAddress[]) => void) =>
      dnsLookup(hostname, { all: true }, callback));

  return async (request) => {
    const deadline = Date.now() + options.timeoutMs;
    let url = parseUrl(request.url);
    for (let redirects = 0; ; redirects++) {
      const response = await getOnce(url, request, deadline);
      if (response.redirect) {
        if (redirects >= maxRedirects)
          throw new FetchRefusedError(
            'too_many_redirects',
            `${request.url} redirects more than ${maxRedirects} times; not followed further.`,
            request.url,
          );
        url = parseUrl(response.redirect, url);
        continue;
      }
      return response.result!;
    }
  };

  function getOnce(
    url: URL,
    request: FetchRequest,
    deadline: number,
  ): Promise<{ redirect?: string; result?: FetchResult }> {
    const shown = url.href;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const why = check(host, host);
      if (why)
        return Promise.reject(new FetchRefusedError('blocked_address', `Refused ${shown}: ${why}.`, shown));
    }
    let refusal: FetchRefusedError | undefined;
    // Called by the socket for host names: resolve, refuse the whole host if any address is not allowed.
    const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
      resolve(hostname, (error, addresses) => {
        if (error || addresses.length === 0) {
          refusal = new FetchRefusedError(
            'dns',
            `Cannot fetch ${shown}: the host ${hostname} was not found (${error?.message ?? 'no address'}).`,
            shown,
          );
          return callback(refusal, '', 4);
        }
        for (const { address } of addresses) {
          const why = check(hostname, address);
          if (why) {
            refusal = new FetchRefusedError('blocked_address', `Refused ${shown}: ${why}.`, shown);
            return callback(refusal, '', 4);
          }
        }
        if ((lookupOptions as { all?: boolean }).all)
          (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      });
    };
    return new Promise((resolvePromise, reject) => {
      let settled = false;
      const fail = (error: FetchRefusedError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(error);
      };
      const remaining = Math.max(1, deadline - Date.now());
      const timer = setTimeout(
        () =>
          fail(
            new FetchRefusedError(
              'timeout',
              `Gave up on ${shown}: no complete answer within ${Math.round(options.timeoutMs / 1000)} s.`,
              shown,
            ),
          ),
        remaining,
      );
      const headers: Record<string, string> = {
        accept: ACCEPT_HEADER[request.kind],
        'accept-encoding': 'gzip, deflate, br',
        'user-agent': options.userAgent ?? 'peacedesk/0.1 (newsroom corpus bot)',
      };
      if (request.etag) headers['if-none-match'] = request.etag;
      if (request.lastModified) headers['if-modified-since'] = request.lastModified;
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { method: 'GET', headers, lookup, agent: false }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304) {
          res.resume();
          const location = res.headers.location;
          if (!location)
            return fail(
              new FetchRefusedError('http_status', `${shown} answered ${status} without a Location.`, shown),
            );
          settled = true;
          clearTimeout(timer);
          req.destroy();
          return resolvePromise({ redirect: location });
        }
        const etag = header(res, 'etag');
        const lastModified = header(res, 'last-modified');
        const contentType = header(res, 'content-type');
        if (status === 304) {
          res.resume();
          settled = true;
          clearTimeout(timer);
          return resolvePromise({
            result: {
              status: 304,
              url: shown,
              contentType,
              text: '',
              etag: etag ?? request.etag ?? null,
              lastModified: lastModified ?? request.lastModified ?? null,
            },
          });
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return fail(new FetchRefusedError('http_status', `${shown} answered HTTP ${status}.`, shown));
        }
        const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
        if (!ACCEPTED[request.kind].includes(mime)) {
          res.resume();
          return fail(
            new FetchRefusedError(
              'content_type',
              `${shown} is ${mime ? `"${mime}"` : 'of no stated type'}, not ${request.kind === 'html' ? 'a web page (text/html)' : 'an RSS or Atom feed (application/rss+xml, application/atom+xml, …/xml)'}.`,
              shown,
            ),
          );
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          res.resume();
          return fail(tooLarge(shown, options.maxBytes));
        }
        const encoding = (header(res, 'content-encoding') ?? 'identity').toLowerCase();
        const body =
          encoding === 'gzip' || encoding === 'x-gzip'
            ? res.pipe(createGunzip())
            : encoding === 'deflate'
              ? res.pipe(createInflate())
              : encoding === 'br'
                ? res.pipe(createBrotliDecompress())
                : res;
        const chunks: Buffer[] = [];
        let size = 0;
        body.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) return fail(tooLarge(shown, options.maxBytes));
          chunks.push(chunk);
        });
        body.on('error', (error) =>
          fail(new FetchRefusedError('network', `Reading ${shown} failed: ${error.message}.`, shown)),
        );
        body.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolvePromise({
            result: {
              status: 200,
              url: shown,
              contentType,
              text: decode(Buffer.concat(chunks), contentType),
              etag,
              lastModified,
            },
          });
        });
      });
      req.on('error', (error) => {
        fail(
          refusal ??
            new FetchRefusedError('network', `Cannot fetch ${shown}: ${(error as Error).message}.`, shown),
        );
      });
      req.end();
    });
  }
}

function tooLarge(url: string, maxBytes: number): FetchRefusedError {
  return new FetchRefusedError(
    'too_large',
    `${url} is larger than ${(maxBytes / 1_000_000).toLocaleString('en')} MB (FETCH_MAX_BYTES); not read.`,
    url,
  );
}

/** Parse an http(s) URL (relative to `base` for a redirect); anything else is refused by name. */
export function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text.trim(), base);
  } catch {
    throw new FetchRefusedError(
      'bad_url',
      `"${text}" is not a URL (give one starting with https:// or http://).`,
      text,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchRefusedError(
      'bad_url',
      `${base ? `A redirect to ${url.href}` : `"${text}"`} is not http(s); only http:// and https:// links are fetched.`,
      text,
    );
  if (url.username || url.password)
    throw new FetchRefusedError(
      'bad_url',
      `${url.origin}: links with a user name or password are not fetched.`,
      text,
    );
  url.hash = '';
  return url;
}

function header(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function decode(bytes: Buffer, contentType: string | null): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? sniffCharset(bytes);
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

// A <meta charset> or XML declaration in the first bytes, for pages that do not say it in the header.
function sniffCharset(bytes: Buffer): string {
  const head = bytes.subarray(0, 2048).toString('latin1');
  return (
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head)?.[1] ??
    'utf-8'
  );
}
