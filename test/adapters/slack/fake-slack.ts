import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One request the fake received: a Web API call (`/api/<method>`) or a response_url post. */
export interface RecordedCall {
  /** Web API method ("chat.postMessage") or "response_url". */
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Form fields (with `blocks` parsed from JSON) or the JSON body. */
  body: Record<string, unknown>;
}

/** What a scripted Web API answer looks like. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Ids the fake workspace uses. */
export const FAKE = { team: 'T0FAKE', botUserId: 'U0BOT', botId: 'B0BOT', appId: 'A0APP' } as const;

/** A fake Slack on 127.0.0.1: the Web API, response_url sinks and the Socket Mode WebSocket. */
export interface FakeSlack {
  /** Base URL for `slackApiUrl` ("http://127.0.0.1:P/api/"). */
  apiUrl: string;
  /** A response_url the fake records posts to. */
  responseUrl(id: string): string;
  calls: RecordedCall[];
  /** Calls of one method so far. */
  callsTo(method: string): RecordedCall[];
  /** Wait until `count` calls of `method` arrived (rejects after a while, naming what did arrive). */
  waitForCalls(method: string, count?: number): Promise<RecordedCall[]>;
  /** Answer the next call of `method` with `reply` instead of the default. */
  replyOnce(method: string, reply: FakeReply): void;
  /** Hold calls of `method` until the returned function is called. */
  hold(method: string): () => void;
  /** Socket Mode: send an envelope and resolve with the app's ack. */
  sendEnvelope(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: unknown,
    extra?: Record<string, unknown>,
  ): Promise<{ envelope_id: string; payload?: unknown }>;
  /** Socket Mode: resolves once `count` connections have been made (each sent `hello`). */
  connected(count?: number): Promise<void>;
  /** Socket Mode: drop every connection, as a network failure would. */
  dropConnections(): void;
  /** Every envelope ack and response_url post, in arrival order ("ack:<id>", "response_url"). */
  timeline: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(req: IncomingMessage, raw: string): Record<string, unknown> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) return raw ? JSON.parse(raw) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = key === 'blocks' || key === 'attachments' ? JSON.parse(value) : value;
  }
  return out;
}

/** Start a fake Slack on an ephemeral port of 127.0.0.1. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const timeline: string[] = [];
  const scripted = new Map<string, FakeReply[]>();
  const held = new Map<string, Promise<void>>();
  const sockets = new Set<WebSocket>();
  const pendingAcks = new Map<string, (ack: { envelope_id: string; payload?: unknown }) => void>();
  const inFlight = new Set<Promise<void>>();
  let ts = 1_700_000_000;
  let envelopes = 0;
  let connections = 0;

  const defaults = (method: string, body: Record<string, unknown>): unknown => {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          user_id: FAKE.botUserId,
          bot_id: FAKE.botId,
          team_id: FAKE.team,
          user: 'peacedesk',
        };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${port()}/link/?ticket=fake` };
      case 'chat.postMessage':
        ts += 1;
        return { ok: true, channel: body.channel, ts: `${ts}.000100`, message: { text: body.text } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${ts}.000200` };
      default:
        return { ok: true };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const body = parseBody(req, raw);
    const method = url.pathname.startsWith('/api/') ? url.pathname.slice(5) : 'response_url';
    calls.push({ method, path: url.pathname, headers: req.headers, body });
    if (method === 'response_url') timeline.push('response_url');
    await held.get(method);
    const reply = scripted.get(method)?.shift() ?? { body: defaults(method, body) };
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body ?? { ok: reply.status === undefined }));
  };

  const server: Server = createServer((req, res) => {
    const work = handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  const wss = new WebSocketServer({ server, path: '/link/' });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id: string; payload?: unknown };
      timeline.push(`ack:${ack.envelope_id}`);
      pendingAcks.get(ack.envelope_id)?.(ack);
      pendingAcks.delete(ack.envelope_id);
    });
    socket.on('close', () => sockets.delete(socket));
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' } }));
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;

  const waitUntil = async <T>(check: () => T | undefined, what: () => string): Promise<T> => {
    for (let i = 0; i < 500; i++) {
      const value = check();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`fake Slack: gave up waiting for ${what()}`);
  };

  const fake: FakeSlack = {
    apiUrl: `http://127.0.0.1:${port()}/api/`,
    responseUrl: (id) => `http://127.0.0.1:${port()}/respond/${id}`,
    calls,
    timeline,
    callsTo: (method) => calls.filter((call) => call.method === method),
    waitForCalls: (method, count = 1) =>
      waitUntil(
        () => {
          const found = fake.callsTo(method);
          return found.length >= count ? found : undefined;
        },
        () => `${count} × ${method}; got ${calls.map((c) => c.method).join(', ') || 'nothing'}`,
      ),
    replyOnce: (method, reply) => {
      scripted.set(method, [...(scripted.get(method) ?? []), reply]);
    },
    hold: (method) => {
      let release = () => {};
      held.set(
        method,
        new Promise<void>((resolve) => {
          release = () => {
            held.delete(method);
            resolve();
          };
        }),
      );
      return release;
    },
    connected: (count = 1) =>
      waitUntil(
        () => (connections >= count ? true : undefined),
        () => `${count} Socket Mode connections; got ${connections}`,
      ).then(() => {}),
    dropConnections: () => {
      for (const socket of sockets) socket.terminate();
    },
    sendEnvelope: (type, payload, extra = {}) => {
      const socket = [...sockets][0];
      if (!socket) return Promise.reject(new Error('fake Slack: no Socket Mode client connected'));
      envelopes += 1;
      const envelopeId = `env-${envelopes}`;
      const acked = new Promise<{ envelope_id: string; payload?: unknown }>((resolve) =>
        pendingAcks.set(envelopeId, resolve),
      );
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          accepts_response_payload: type !== 'events_api',
          payload,
          ...extra,
        }),
      );
      return acked;
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** Slack's request signature headers for `rawBody` (HTTP mode), at `timestamp` (seconds). */
export function signSlackRequest(
  secret: string,
  rawBody: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

/** An Events API `event_callback` body around `event`. */
export function eventCallback(eventId: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'verification-token',
    team_id: FAKE.team,
    api_app_id: FAKE.appId,
    type: 'event_callback',
    event_id: eventId,
    event_time: 1_700_000_000,
    event: { event_ts: event.ts, ...event },
    authorizations: [
      { team_id: FAKE.team, user_id: FAKE.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}
