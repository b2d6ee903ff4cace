import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../helpers.ts';

const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;

let data: { dir: string; cleanup: () => Promise<void> };
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  data = await tempFolder({});
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  await data.cleanup();
});

const start = (env: Record<string, string>) =>
  spawnSync(tsx, ['src/main.ts'], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: data.dir,
      WATCH_CORPUS: 'false',
      LOG_LEVEL: 'silent',
      ...env,
    },
    timeout: 60_000,
  });

describe('npm start: start-up errors name the setting', () => {
  it('Slack unreachable: names SLACK_API_URL and says to check the network and the token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const out = start({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`Cannot reach Slack at SLACK_API_URL=http://127.0.0.1:${port}/api/`);
    expect(out.stderr).toContain('Check the network and the token (SLACK_BOT_TOKEN).');
    expect(out.stderr).not.toMatch(/unexpected error|\n\s+at /);
  });

  it('Discord HTTP port in use: names DISCORD_HTTP_PORT', () => {
    const out = start({
      DISCORD_MODE: 'http',
      DISCORD_PUBLIC_KEY: '0'.repeat(64),
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_HTTP_PORT: String(busyPort),
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`Cannot listen on 127.0.0.1:${busyPort}: the port is already in use.`);
    expect(out.stderr).toContain('set DISCORD_HTTP_PORT to a free port');
    expect(out.stderr).not.toMatch(/unexpected error|EADDRINUSE/);
  });
});
