import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type REST,
  Routes,
} from 'discord.js';
import { type Clock, systemClock } from '../../src/clock.ts';
import type { Logger } from '../../src/logger.ts';
import type { InteractionBase, MessagePayload } from './command.ts';
import type { Dispatcher } from './dispatch.ts';

const MAX_BODY_BYTES = 1024 * 1024;
/** How far a request's signed timestamp may be from now, either way, before it is refused (a replay). */
export const MAX_TIMESTAMP_SKEW_SECONDS = 5 * 60;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const NO_MENTIONS = { parse: [] };

/** Checks Discord's Ed25519 request signature against the application's public key (64 hex). */
export function createSignatureVerifier(
  publicKeyHex: string,
): (timestamp: string | undefined, body: Buffer, signatureHex: string | undefined) => boolean {
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  });
  return (timestamp, body, signatureHex) => {
    if (!timestamp || !signatureHex || !/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
    try {
      return verify(
        null,
        Buffer.concat([Buffer.from(timestamp), body]),
        key,
        Buffer.from(signatureHex, 'hex'),
      );
    } catch {
      return false;
    }
  };
}

/** The HTTP interactions endpoint: a server Discord POSTs interactions to instead of a gateway. */
export interface InteractionsServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** "http://host:port/" once listening. */
  readonly url: string | undefined;
}

type Body = { type: number; data?: unknown };

/** Options of {@link createInteractionsServer}. */
export interface InteractionsServerOptions {
  publicKey: string;
  port: number;
  host?: string;
  /** What the signed timestamps are checked against (default: the wall clock). */
  clock?: Clock;
  dispatcher: Dispatcher;
  rest: REST;
  logger: Logger;
}

/** Write a status (and a JSON body) once; later calls do nothing. */
function send(res: ServerResponse, status: number, body?: unknown): Promise<void> {
  return new Promise<void>((resolve) => {
    if (res.headersSent) return resolve();
    if (body === undefined) {
      res.writeHead(status).end(resolve);
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body), resolve);
  });
}

/** The raw request body, or null past {@link MAX_BODY_BYTES}. */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise<Buffer | null>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** Why a request is refused before it is read as an interaction (replayed, unsigned), or null. */
function refusal(
  req: IncomingMessage,
  raw: Buffer,
  check: { clock: Clock; isSigned: ReturnType<typeof createSignatureVerifier>; logger: Logger },
): { status: number; error: string } | null {
  const timestamp = header(req, 'x-signature-timestamp');
  // A correctly signed request from long ago (or from the future) is a replay: refuse it.
  const skew = Math.abs(check.clock.now().getTime() / 1000 - Number(timestamp));
  if (timestamp !== undefined && !(skew <= MAX_TIMESTAMP_SKEW_SECONDS)) {
    check.logger.warn('discord http interaction with a stale or future timestamp', { timestamp });
    return { status: 401, error: 'request timestamp is too far from now' };
  }
  if (!check.isSigned(timestamp, raw, header(req, 'x-signature-ed25519'))) {
    check.logger.warn('discord http interaction with a bad signature', { path: req.url });
    return { status: 401, error: 'invalid request signature' };
  }
  return null;
}

/** Who and where an interaction comes from, as every handler sees it. */
function interactionBase(interaction: APIInteraction): InteractionBase {
  return {
    id: interaction.id,
    userId: interaction.member?.user.id ?? interaction.user?.id ?? 'unknown',
    channelId: interaction.channel?.id ?? interaction.channel_id ?? null,
    guildId: interaction.guild_id ?? null,
    memberRoleIds: interaction.member?.roles ?? [],
    // Private in DMs, and in servers where only the user (not the server) installed the app.
    privateContext:
      !interaction.guild_id ||
      (interaction.authorizing_integration_owners !== undefined &&
        interaction.authorizing_integration_owners[ApplicationIntegrationType.GuildInstall] === undefined),
  };
}

const withoutMentions = (payload: MessagePayload, ephemeral: boolean) => ({
  ...payload,
  allowed_mentions: NO_MENTIONS,
  ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
});

/** One interaction's HTTP response: sent at most once, as the callback Discord waits for. */
interface Responder {
  respond(body: Body): Promise<void>;
  readonly responded: boolean;
}

/** A slash or message command: options read, replies and edits through the response and REST. */
function commandInteraction(
  interaction: Extract<APIInteraction, { type: InteractionType.ApplicationCommand }>,
  out: Responder,
  rest: REST,
): Parameters<Dispatcher['command']>[0] {
  const data = interaction.data;
  const values = flatOptions('options' in data ? (data.options ?? []) : []);
  const target =
    data.type === ApplicationCommandType.Message ? data.resolved.messages[data.target_id] : undefined;
  return {
    ...interactionBase(interaction),
    commandName: data.name,
    targetMessage: target ? { id: target.id, content: target.content } : null,
    getString: (name) => (typeof values.get(name) === 'string' ? (values.get(name) as string) : null),
    getBoolean: (name) => (typeof values.get(name) === 'boolean' ? (values.get(name) as boolean) : null),
    get acknowledged() {
      return out.responded;
    },
    deferReply: ({ ephemeral }) =>
      out.respond({
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        ...(ephemeral ? { data: { flags: MessageFlags.Ephemeral } } : {}),
      }),
    reply: (payload, { ephemeral }) =>
      out.respond({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: withoutMentions(payload, ephemeral),
      }),
    editReply: async (payload) => {
      if (!out.responded) throw new Error('Discord: editReply before the interaction was acknowledged');
      const sent = (await rest.patch(
        Routes.webhookMessage(interaction.application_id, interaction.token, '@original'),
        { body: withoutMentions(payload, false), auth: false },
      )) as { id?: string } | undefined;
      return sent?.id ? { id: sent.id } : undefined;
    },
  };
}

/** Hand a verified interaction to the dispatcher by its type; PING is answered here. */
async function routeInteraction(
  interaction: APIInteraction,
  out: Responder,
  deps: Pick<InteractionsServerOptions, 'dispatcher' | 'rest'>,
): Promise<void> {
  const { dispatcher } = deps;
  const base = interactionBase(interaction);
  const reply = (payload: MessagePayload, { ephemeral }: { ephemeral: boolean }) =>
    out.respond({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: withoutMentions(payload, ephemeral),
    });
  switch (interaction.type) {
    case InteractionType.Ping:
      return out.respond({ type: InteractionResponseType.Pong });
    case InteractionType.ApplicationCommand:
      return dispatcher.command(commandInteraction(interaction, out, deps.rest));
    case InteractionType.ApplicationCommandAutocomplete:
      return dispatcher.autocomplete({
        ...base,
        commandName: interaction.data.name,
        focused: flatFocused(interaction.data.options ?? []),
        respond: (choices) =>
          out.respond({
            type: InteractionResponseType.ApplicationCommandAutocompleteResult,
            data: { choices },
          }),
      });
    case InteractionType.MessageComponent:
      return dispatcher.button({
        ...base,
        customId: interaction.data.custom_id,
        get acknowledged() {
          return out.responded;
        },
        reply,
        showModal: (modal) => out.respond({ type: InteractionResponseType.Modal, data: modal }),
      });
    case InteractionType.ModalSubmit: {
      const inputs = textInputs(interaction.data.components);
      return dispatcher.modal({
        ...base,
        customId: interaction.data.custom_id,
        value: (inputId) => inputs.get(inputId) ?? null,
        get acknowledged() {
          return out.responded;
        },
        reply,
      });
    }
  }
}

/** Verify, parse and route one request; what no handler answered is a 400. */
async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: InteractionsServerOptions & { isSigned: ReturnType<typeof createSignatureVerifier> },
): Promise<void> {
  if (req.method !== 'POST') return send(res, 405, { error: 'POST interactions here' });
  const raw = await readBody(req);
  if (raw === null) return send(res, 413, { error: 'body too large' });
  const refused = refusal(req, raw, { ...options, clock: options.clock ?? systemClock });
  if (refused) return send(res, refused.status, { error: refused.error });
  let interaction: APIInteraction;
  try {
    interaction = JSON.parse(raw.toString('utf8')) as APIInteraction;
  } catch {
    return send(res, 400, { error: 'body is not JSON' });
  }
  let responded = false;
  const out: Responder = {
    get responded() {
      return responded;
    },
    async respond(body) {
      if (responded) throw new Error('Discord: interaction already acknowledged');
      responded = true;
      await send(res, 200, body);
    },
  };
  await routeInteraction(interaction, out, options);
  if (!responded) await send(res, 400, { error: 'interaction not handled' });
}

/** Listen on `port` of `host`, rejecting with the listen error (port in use, bad host). */
function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Serve signed interactions on `host:port`, answering each through the dispatcher. */
export function createInteractionsServer(options: InteractionsServerOptions): InteractionsServer {
  const { logger } = options;
  const handling = { ...options, isSigned: createSignatureVerifier(options.publicKey) };
  const inFlight = new Set<Promise<void>>();
  let server: Server | undefined;
  return {
    get url() {
      const address = server?.address() as AddressInfo | null | undefined;
      return address
        ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`
        : undefined;
    },
    async start() {
      server = createServer((req, res) => {
        const task = handleRequest(req, res, handling)
          .catch(async (error: unknown) => {
            logger.error('discord http interaction failed', { error });
            await send(res, 500, { error: 'internal error' });
          })
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      });
      await listen(server, options.port, options.host);
    },
    async stop() {
      const closing = server;
      if (!closing) return;
      await Promise.allSettled([...inFlight]);
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
      server = undefined;
    },
  };
}

/** The text inputs of a submitted modal by id: in action rows, or in labels (newer modals). */
function textInputs(components: readonly unknown[]): Map<string, string> {
  const values = new Map<string, string>();
  const visit = (component: unknown) => {
    if (!component || typeof component !== 'object') return;
    const c = component as {
      custom_id?: unknown;
      value?: unknown;
      components?: unknown;
      component?: unknown;
    };
    if (typeof c.custom_id === 'string' && typeof c.value === 'string') values.set(c.custom_id, c.value);
    if (Array.isArray(c.components)) c.components.forEach(visit);
    visit(c.component);
  };
  components.forEach(visit);
  return values;
}

function flatOptions(options: readonly APIApplicationCommandInteractionDataOption[]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const option of options) {
    if ('value' in option) values.set(option.name, option.value);
    if ('options' in option && option.options) {
      for (const [k, v] of flatOptions(option.options as APIApplicationCommandInteractionDataOption[]))
        values.set(k, v);
    }
  }
  return values;
}

function flatFocused(options: readonly unknown[]): { name: string; value: string } {
  for (const option of options as Array<{
    name: string;
    value?: unknown;
    focused?: boolean;
    options?: unknown[];
  }>) {
    if (option.focused) return { name: option.name, value: String(option.value ?? '') };
    if (option.options) {
      const inner = flatFocused(option.options);
      if (inner.name) return inner;
    }
  }
  return { name: '', value: '' };
}
