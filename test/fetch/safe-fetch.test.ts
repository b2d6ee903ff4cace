import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createAddressGuard } from '../../src/fetch/address-guard.ts';
import { createSafeFetcher, type FetchOptions } from '../../src/fetch/safe-fetch.ts';
import { startSite } from '../live-corpus/site.ts';

const sites: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const site of sites.splice(0)) await site.close();
});

async function site(routes: Parameters<typeof startSite>[0]) {
  const started = await startSite(routes);
  sites.push(started);
  return started;
}

const limits = (overrides: Partial<FetchOptions> = {}): FetchOptions => ({
  allowHosts: ['127.0.0.1'],
  timeoutMs: 2000,
  maxBytes: 50_000,
  ...overrides,
});

describe('address guard', () => {
  const guard = createAddressGuard([]);
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['0.0.0.0', 'this network'],
    ['::1', 'loopback'],
    ['fd00:ec2::254', 'unique local'],
    ['fe80::1', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    // IPv6 forms that carry an IPv4 address to a translator or tunnel: judged by that address.
    ['64:ff9b::a9fe:a9fe', '169.254.169.254, a link-local'],
    ['64:ff9b::10.0.0.1', '10.0.0.1, a private'],
    ['2002:7f00:1::1', '127.0.0.1, a loopback'],
    ['::ffff:0:c0a8:101', '192.168.1.1, a private'],
    ['64:ff9b:1::a00:1', 'local-use translation'],
    ['::127.0.0.1', 'IPv4-compatible'],
  ])('refuses %s (%s)', (address, why) => {
    expect(guard('host.example', address)).toContain(why);
  });
  it('lets public addresses through', () => {
    expect(guard('example.com', '93.184.216.34')).toBeNull();
    expect(guard('example.com', '2606:2800:220:1:248:1893:25c8:1946')).toBeNull();
    // The translated or tunnelled form of a public IPv4 address (an IPv6-only network's DNS64).
    expect(guard('example.com', '64:ff9b::5db8:d822')).toBeNull();
    expect(guard('example.com', '2002:5db8:d822::1')).toBeNull();
  });
  it('lets FETCH_ALLOW_HOSTS names, addresses and ranges through', () => {
    const allowing = createAddressGuard(['intranet.example', '127.0.0.1', '10.0.0.0/8']);
    expect(allowing('intranet.example', '192.168.0.5')).toBeNull();
    expect(allowing('x', '127.0.0.1')).toBeNull();
    expect(allowing('x', '10.9.9.9')).toBeNull();
    expect(allowing('x', '192.168.0.5')).toContain('private');
  });
});

describe('safe fetcher', () => {
  it('fetches a page, decompressing it and following a redirect', async () => {
    const s = await site({
      '/old': { status: 301, headers: { location: '/new' } },
      '/new': {
        headers: { 'content-encoding': 'gzip', etag: '"v1"' },
        body: gzipSync(Buffer.from('<p>Grüße aus Genf</p>')),
      },
    });
    const result = await createSafeFetcher(limits())({ url: `${s.origin}/old`, kind: 'html' });
    expect(result).toMatchObject({
      status: 200,
      url: `${s.origin}/new`,
      text: '<p>Grüße aus Genf</p>',
      etag: '"v1"',
    });
  });

  it('sends the validators and honours 304 Not Modified', async () => {
    const s = await site({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === '"abc"') res.writeHead(304).end();
        else res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"abc"' }).end('<rss/>');
      },
    });
    const fetcher = createSafeFetcher(limits());
    const first = await fetcher({ url: `${s.origin}/feed`, kind: 'feed' });
    const second = await fetcher({ url: `${s.origin}/feed`, kind: 'feed', etag: first.etag });
    expect([first.status, second.status, second.text]).toEqual([200, 304, '']);
  });

  it.each([
    [
      'a loopback address without FETCH_ALLOW_HOSTS',
      [] as string[],
      '/page',
      /127\.0\.0\.1 is a loopback address; peacedesk fetches only public addresses unless FETCH_ALLOW_HOSTS/,
    ],
  ])('refuses %s, before connecting', async (_name, allowHosts, path, message) => {
    const s = await site({ '/page': { body: '<p>secret</p>' } });
    await expect(
      createSafeFetcher(limits({ allowHosts }))({ url: `${s.origin}${path}`, kind: 'html' }),
    ).rejects.toThrow(message);
    expect(s.requests).toEqual([]);
  });

  it('refuses a host name that resolves to a private address (checked after DNS)', async () => {
    const fetcher = createSafeFetcher(
      limits({
        allowHosts: [],
        lookup: (_host, callback) => callback(null, [{ address: '10.0.0.7', family: 4 }]),
      }),
    );
    await expect(fetcher({ url: 'http://news.example/story', kind: 'html' })).rejects.toMatchObject({
      reason: 'blocked_address',
      message: expect.stringContaining('news.example resolves to 10.0.0.7, a private address'),
    });
  });

  it('connects to the address it checked, whatever a second DNS answer would say', async () => {
    const s = await site({ '/story': { body: '<p>public story</p>' } });
    const answers = ['127.0.0.1', '10.0.0.1'];
    const fetcher = createSafeFetcher(
      limits({
        allowHosts: ['127.0.0.1'],
        lookup: (_host, callback) => callback(null, [{ address: answers.shift() ?? '10.0.0.1', family: 4 }]),
      }),
    );
    const result = await fetcher({ url: `http://rebind.example:${s.port}/story`, kind: 'html' });
    expect(result.text).toBe('<p>public story</p>');
    expect(answers).toEqual(['10.0.0.1']); // looked up once; the socket used that answer
  });

  it('refuses a redirect to a private or metadata address', async () => {
    const s = await site({
      '/go': { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } },
    });
    await expect(createSafeFetcher(limits())({ url: `${s.origin}/go`, kind: 'html' })).rejects.toMatchObject({
      reason: 'blocked_address',
      message: expect.stringContaining(
        '169.254.169.254 is a link-local address (where cloud metadata services live)',
      ),
    });
  });

  it('refuses a redirect to another scheme and too many redirects', async () => {
    const s = await site({
      '/ftp': { status: 302, headers: { location: 'ftp://127.0.0.1/file' } },
      ...Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [`/r${i}`, { status: 302, headers: { location: `/r${i + 1}` } }]),
      ),
    });
    const fetcher = createSafeFetcher(limits());
    await expect(fetcher({ url: `${s.origin}/ftp`, kind: 'html' })).rejects.toThrow(
      /is not http\(s\); only http:\/\/ and https:\/\//,
    );
    await expect(fetcher({ url: `${s.origin}/r0`, kind: 'html' })).rejects.toMatchObject({
      reason: 'too_many_redirects',
    });
  });

  it('refuses a page over the size limit, declared or not', async () => {
    const big = `<p>${'word '.repeat(20_000)}</p>`;
    const s = await site({
      '/declared': { body: big },
      '/chunked': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        for (let i = 0; i < 20; i++) res.write('word '.repeat(1000));
        res.end();
      },
      '/bomb': { headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(5_000_000, 32)) },
    });
    const fetcher = createSafeFetcher(limits());
    for (const path of ['/declared', '/chunked', '/bomb'])
      await expect(fetcher({ url: `${s.origin}${path}`, kind: 'html' })).rejects.toMatchObject({
        reason: 'too_large',
        message: expect.stringContaining('FETCH_MAX_BYTES'),
      });
  });

  it('refuses a response of the wrong type', async () => {
    const s = await site({
      '/pdf': { headers: { 'content-type': 'application/pdf' }, body: '%PDF-1.7' },
      '/page': { body: '<p>x</p>' },
    });
    const fetcher = createSafeFetcher(limits());
    await expect(fetcher({ url: `${s.origin}/pdf`, kind: 'html' })).rejects.toThrow(
      /is "application\/pdf", not a web page/,
    );
    await expect(fetcher({ url: `${s.origin}/page`, kind: 'feed' })).rejects.toThrow(
      /not an RSS or Atom feed/,
    );
  });

  it('gives up on a server that never answers', async () => {
    const s = await site({ '/slow': 'hang' });
    await expect(
      createSafeFetcher(limits({ timeoutMs: 300 }))({ url: `${s.origin}/slow`, kind: 'html' }),
    ).rejects.toMatchObject({
      reason: 'timeout',
      message: expect.stringContaining('no complete answer within'),
    });
  });

  it('names what is wrong with a link that is not http(s)', async () => {
    const fetcher = createSafeFetcher(limits());
    await expect(fetcher({ url: 'ftp://files.example/a', kind: 'html' })).rejects.toThrow(
      /only http:\/\/ and https:\/\/ links/,
    );
    await expect(fetcher({ url: 'http://user:pw@files.example/a', kind: 'html' })).rejects.toThrow(
      /user name or password/,
    );
    await expect(fetcher({ url: 'http://', kind: 'html' })).rejects.toThrow(/is not a URL/);
  });

  it('reports an HTTP error status', async () => {
    const s = await site({});
    await expect(createSafeFetcher(limits())({ url: `${s.origin}/missing`, kind: 'html' })).rejects.toThrow(
      /answered HTTP 404/,
    );
  });
});
