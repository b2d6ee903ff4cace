import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One request the fake REST API received. */
export interface RecordedRequest {
  method: string;
  /** Decoded path without the query, e.g. "/api/v10/webhooks/1/tok/messages/@original". */
  path: string;
  query: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A canned answer for requests matching `match` (method and path regex). */
export interface Override {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
}

/** A fake Discord (REST under /api/v10 and a JSON gateway at /gateway) on 127.0.0.1. */
export interface FakeDiscord {
  /** Pass as the REST `api` option / DISCORD_API_URL. */
  apiUrl: string;
  applicationId: string;
  botUserId: string;
  requests: RecordedRequest[];
  overrides: Override[];
  /** Resolves with the first request (already received or future) matching `predicate`. */
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedRequest>;
  /** Resolves once a gateway client has identified. */
  identified(): Promise<void>;
  /** The IDENTIFY payloads received (intents, token...). */
  identifies: Array<{ intents?: number }>;
  /** Send a dispatch event (op 0) to every connected gateway client. */
  dispatch(event: string, data: unknown): void;
  close(): Promise<void>;
}

let snowflake = 1_300_000_000_000_000_000n;
/** A fresh, valid-looking snowflake id. */
export function nextSnowflake(): string {
  snowflake += 1n;
  return snowflake.toString();
}

/** A message posted in a channel by a user, as the gateway's MESSAGE_CREATE carries it. */
export function messagePayload(
  channelId: string,
  content: string,
  options: { guildId: string; author: { id: string; bot?: boolean } },
) {
  return {
    id: nextSnowflake(),
    channel_id: channelId,
    guild_id: options.guildId,
    author: { username: 'reporter', discriminator: '0', avatar: null, ...options.author },
    content,
    type: 0,
    timestamp: new Date(0).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    flags: 0,
  };
}

/** Start a fake Discord. Requests are recorded in order; nothing leaves 127.0.0.1. */
export async function startFakeDiscord(): Promise<FakeDiscord> {
  const applicationId = nextSnowflake();
  const botUserId = applicationId;
  const requests: RecordedRequest[] = [];
  const overrides: Override[] = [];
  const waiters: Array<{
    predicate: (r: RecordedRequest) => boolean;
    resolve: (r: RecordedRequest) => void;
  }> = [];
  const sockets = new Set<WebSocket>();
  const identifies: Array<{ intents?: number }> = [];
  let identifiedResolve: () => void = () => {};
  const identified = new Promise<void>((resolve) => {
    identifiedResolve = resolve;
  });
  let sequence = 0;
  let port = 0;

  const message = (channelId: string, body: Record<string, unknown>) => ({
    id: nextSnowflake(),
    channel_id: channelId,
    author: { id: botUserId, username: 'peacedesk', discriminator: '0', bot: true, avatar: null },
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date(0).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    pinned: false,
    type: 0,
    flags: typeof body.flags === 'number' ? body.flags : 0,
  });

  const answer = (req: RecordedRequest): { status: number; body?: unknown } => {
    const override = overrides.find((o) => o.method === req.method && o.path.test(req.path));
    if (override) return { status: override.status, body: override.body };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const p = req.path;
    if (req.method === 'GET' && p === '/api/v10/gateway/bot') {
      return {
        status: 200,
        body: {
          url: `ws://127.0.0.1:${port}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    if (req.method === 'POST' && /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/.test(p))
      return { status: 204 };
    if (/^\/api\/v10\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(p) && req.method === 'PATCH') {
      return { status: 200, body: message('0', body) };
    }
    if (req.method === 'POST' && /^\/api\/v10\/webhooks\/\d+\/[^/]+$/.test(p))
      return { status: 200, body: message('0', body) };
    const thread = /^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(p);
    if (req.method === 'POST' && thread)
      return {
        status: 201,
        body: { id: nextSnowflake(), type: 11, parent_id: thread[1], name: body.name ?? '', guild_id: null },
      };
    const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(p);
    if (req.method === 'POST' && channel) return { status: 200, body: message(channel[1]!, body) };
    if (req.method === 'PUT' && /^\/api\/v10\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(p)) {
      const commands = Array.isArray(req.body) ? req.body : [];
      return {
        status: 200,
        body: commands.map((c: Record<string, unknown>) => ({
          ...c,
          id: nextSnowflake(),
          application_id: applicationId,
          version: '1',
        })),
      };
    }
    return { status: 404, body: { message: 'Unknown route (fake Discord)', code: 0 } };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      if (text && String(req.headers['content-type']).includes('application/json')) body = JSON.parse(text);
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.search,
        headers: req.headers,
        body: text ? body : undefined,
      };
      requests.push(recorded);
      const reply = answer(recorded);
      if (reply.body === undefined) res.writeHead(reply.status).end();
      else
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      for (const waiter of [...waiters]) {
        if (waiter.predicate(recorded)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(recorded);
        }
      }
    });
  });

  const gateway = new WebSocketServer({ server, path: '/gateway' });
  gateway.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (packet.op === 2) {
        identifies.push(packet.d as { intents?: number });
        sequence++;
        socket.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: sequence,
            d: {
              v: 10,
              user: { id: botUserId, username: 'peacedesk', discriminator: '0', bot: true, avatar: null },
              guilds: [],
              session_id: 'fake-session',
              resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
              application: { id: applicationId, flags: 0 },
            },
          }),
        );
        identifiedResolve();
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    applicationId,
    botUserId,
    requests,
    overrides,
    identified: () => identified,
    identifies,
    waitForRequest(predicate, timeoutMs = 5000) {
      const seen = requests.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(
            new Error(
              `fake Discord: no matching request within ${timeoutMs} ms; got ${requests.map((r) => `${r.method} ${r.path}`).join(', ')}`,
            ),
          );
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (r: RecordedRequest) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        waiters.push(waiter);
      });
    },
    dispatch(event, data) {
      sequence++;
      for (const socket of sockets) socket.send(JSON.stringify({ op: 0, t: event, s: sequence, d: data }));
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Options of a slash command interaction. */
export type InteractionOption = { name: string; type: number; value: string | boolean; focused?: boolean };

/** A raw INTERACTION_CREATE payload as Discord sends it (guild channel, member user). */
export function interactionPayload(
  fake: Pick<FakeDiscord, 'applicationId'>,
  kind:
    | { type: 2; name: string; options?: InteractionOption[] }
    | { type: 4; name: string; options: InteractionOption[] }
    | { type: 3; customId: string },
  who: { userId?: string; channelId?: string; guildId?: string } = {},
): Record<string, unknown> & { id: string; token: string } {
  const channelId = who.channelId ?? '1200000000000000001';
  const guildId = who.guildId ?? '1100000000000000001';
  const user = {
    id: who.userId ?? '1000000000000000001',
    username: 'reader',
    discriminator: '0',
    global_name: 'Reader',
    avatar: null,
  };
  const data =
    kind.type === 3
      ? { custom_id: kind.customId, component_type: 2 }
      : { id: '1400000000000000001', name: kind.name, type: 1, options: kind.options ?? [] };
  return {
    id: nextSnowflake(),
    application_id: fake.applicationId,
    type: kind.type,
    data,
    guild_id: guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'newsroom' },
    member: {
      user,
      roles: [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      permissions: '0',
      flags: 0,
    },
    token: `token-${nextSnowflake()}`,
    version: 1,
    locale: 'en-US',
    guild_locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    attachment_size_limit: 8_388_608,
    ...(kind.type === 3
      ? {
          message: {
            id: nextSnowflake(),
            channel_id: channelId,
            author: {
              id: fake.applicationId,
              username: 'peacedesk',
              discriminator: '0',
              bot: true,
              avatar: null,
            },
            content: '',
            timestamp: new Date(0).toISOString(),
            edited_timestamp: null,
            tts: false,
            mention_everyone: false,
            mentions: [],
            mention_roles: [],
            attachments: [],
            embeds: [],
            pinned: false,
            type: 20,
            flags: 64,
          },
        }
      : {}),
  };
}
