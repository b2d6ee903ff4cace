import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPeacedeskError } from '../../src/errors.ts';
import { escapeHtml, html, safeUrl } from '../../src/web/html.ts';
import { editorsOf, loadConfigWithAdapters as loadConfig } from '../config-with-adapters.ts';
import { HOSTILE, startSeededPage, TOKEN } from './fixture.ts';

describe("editors' page over HTTP", () => {
  let page: Awaited<ReturnType<typeof startSeededPage>>;
  beforeAll(async () => {
    page = await startSeededPage();
  });
  afterAll(() => page.stop());

  const get = (headers: Record<string, string> = {}, path = '') =>
    fetch(`${page.url}${path}`, { headers, redirect: 'manual' });
  const login = (token: string) =>
    fetch(`${page.url}login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
      redirect: 'manual',
    });

  it('listens on 127.0.0.1 only', () => {
    expect(page.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses requests without the right token with the sign-in form', async () => {
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { 'x-peacedesk-token': `${TOKEN}x` },
      { cookie: 'peacedesk_session=abc' },
    ];
    for (const headers of refused) {
      const response = await get(headers);
      expect(response.status).toBe(401);
      const body = await response.text();
      expect(body).toContain('name="token"');
      expect(body).not.toContain('Coverage gaps');
    }
  });

  it('serves the page for the token in a header, with strict headers and no script', async () => {
    const allowed: Array<Record<string, string>> = [
      { authorization: `Bearer ${TOKEN}` },
      { 'x-peacedesk-token': TOKEN },
    ];
    for (const headers of allowed) {
      const response = await get(headers);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toMatch(
        /default-src 'none'.*style-src 'sha256-/,
      );
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = await response.text();
      expect(body).toContain('Coverage gaps');
      expect(body).not.toMatch(/<script/i);
    }
  });

  it('sets an HttpOnly session cookie (not the token) on sign-in; the cookie then opens the page', async () => {
    const wrong = await login('nope');
    expect(wrong.status).toBe(401);
    const right = await login(TOKEN);
    expect(right.status).toBe(303);
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^peacedesk_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\//);
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0]!;
    expect((await get({ cookie: session })).status).toBe(200);
    const out = await fetch(`${page.url}logout`, {
      method: 'POST',
      headers: { cookie: session },
      redirect: 'manual',
    });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await get({ cookie: session }, 'logout')).status).toBe(405);
  });

  it('escapes every user-supplied text and shows no asker id or hash', async () => {
    const body = await (await get({ authorization: `Bearer ${TOKEN}` })).text();
    expect(body).toContain(escapeHtml(HOSTILE));
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<img src=x');
    expect(body).not.toMatch(/reporter-\d/);
    const hashes = (await page.stores.insights.questions(new Date(0))).map((q) => q.askerHash);
    for (const hash of hashes) expect(body).not.toContain(hash);
  });

  it('answers a bad window, an unknown path and an oversized form clearly', async () => {
    const bad = await get({ authorization: `Bearer ${TOKEN}` }, '?since=%3Cscript%3E');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('text/plain');
    expect((await get({}, 'nothing-here')).status).toBe(404);
    const huge = await login('x'.repeat(10_000));
    expect(huge.status).toBe(401);
    expect(await huge.text()).toContain('too large');
  });
});

describe("editors' page sign-in limits", () => {
  let page: Awaited<ReturnType<typeof startSeededPage>>;
  beforeAll(async () => {
    page = await startSeededPage();
  });
  afterAll(() => page.stop());
  const login = (token: string) =>
    fetch(`${page.url}login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
      redirect: 'manual',
    });
  const get = (headers: Record<string, string>) => fetch(page.url, { headers, redirect: 'manual' });

  it('marks the cookie Secure behind HTTPS, and locks sign-in after ten wrong tokens in a minute', async () => {
    const secure = await fetch(`${page.url}login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
      body: `token=${TOKEN}`,
      redirect: 'manual',
    });
    expect(secure.headers.get('set-cookie')).toMatch(/; Secure$/);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(`wrong-${i}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    expect((await login(TOKEN)).status).toBe(429);
    // The header path is unaffected.
    expect((await get({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });
});

describe('html escaping helpers', () => {
  it('escape interpolations, keep nested safe markup, and drop non-http URLs', () => {
    expect(html`<p>${'<b>&"\''}</p>`.value).toBe('<p>&lt;b&gt;&amp;&quot;&#39;</p>');
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('https://example.org/a?b=<c>')).toBe('https://example.org/a?b=%3Cc%3E');
    expect(safeUrl('not a url')).toBeNull();
  });
});

describe('web and editor settings', () => {
  it('are off by default, bound to 127.0.0.1, and need a long token with a port', () => {
    const config = loadConfig({});
    expect(config.web).toBeUndefined();
    expect(editorsOf({})).toEqual({ slackIds: [], discordRoleIds: [] });
    const onEnv = {
      WEB_PORT: '8080',
      WEB_TOKEN: TOKEN,
      SLACK_EDITOR_IDS: 'U012ABCDEF, U0987ZYX',
      DISCORD_EDITOR_ROLE_IDS: '123456789012345678',
    };
    const on = loadConfig(onEnv);
    expect(on.web).toEqual({ port: 8080, host: '127.0.0.1', token: TOKEN });
    expect(editorsOf(onEnv)).toEqual({
      slackIds: ['U012ABCDEF', 'U0987ZYX'],
      discordRoleIds: ['123456789012345678'],
    });
    for (const env of [
      { WEB_PORT: '8080' },
      { WEB_PORT: '8080', WEB_TOKEN: 'short' },
      { WEB_PORT: 'x', WEB_TOKEN: TOKEN },
      { SLACK_EDITOR_IDS: 'alice' },
    ]) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(isPeacedeskError(error, 'invalid_config')).toBe(true);
    }
  });
});
