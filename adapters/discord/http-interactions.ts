import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type REST,
  Routes,
} from 'discord.js';
import type { Logger } from '../../src/logger.ts';
import type { InteractionBase, MessagePayload } from './command.ts';
import type { Dispatcher } from './dispatch.ts';

const MAX_BODY_BYTES = 1024 * 1024;
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

/** Serve signed interactions on `host:port`, answering each through the dispatcher. */
export function createInteractionsServer(options: {
  publicKey: string;
  port: number;
  host?: string;
  dispatcher: Dispatcher;
  rest: REST;
  logger: Logger;
}): InteractionsServer {
  const { dispatcher, rest, logger } = options;
  const isSigned = createSignatureVerifier(options.publicKey);
  const inFlight = new Set<Promise<void>>();
  let server: Server | undefined;

  const send = (res: ServerResponse, status: number, body?: unknown) =>
    new Promise<void>((resolve) => {
      if (res.headersSent) return resolve();
      if (body === undefined) {
        res.writeHead(status).end(resolve);
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body), resolve);
    });

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer | null>((resolve, reject) => {
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return send(res, 405, { error: 'POST interactions here' });
    const raw = await readBody(req);
    if (raw === null) return send(res, 413, { error: 'body too large' });
    const timestamp = req.headers['x-signature-timestamp'];
    const signature = req.headers['x-signature-ed25519'];
    if (
      !isSigned(
        typeof timestamp === 'string' ? timestamp : undefined,
        raw,
        typeof signature === 'string' ? signature : undefined,
      )
    ) {
      logger.warn('discord http interaction with a bad signature', { path: req.url });
      return send(res, 401, { error: 'invalid request signature' });
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(raw.toString('utf8')) as APIInteraction;
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
    if (interaction.type === InteractionType.Ping)
      return send(res, 200, { type: InteractionResponseType.Pong });

    let responded = false;
    const respond = async (body: Body) => {
      if (responded) throw new Error('Discord: interaction already acknowledged');
      responded = true;
      await send(res, 200, body);
    };
    const message = (payload: MessagePayload, ephemeral: boolean) => ({
      ...payload,
      allowed_mentions: NO_MENTIONS,
      ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    });
    const base: InteractionBase = {
      id: interaction.id,
      userId: interaction.member?.user.id ?? interaction.user?.id ?? 'unknown',
      channelId: interaction.channel?.id ?? interaction.channel_id ?? null,
      guildId: interaction.guild_id ?? null,
      memberRoleIds: interaction.member?.roles ?? [],
    };
    const reply = (payload: MessagePayload, { ephemeral }: { ephemeral: boolean }) =>
      respond({ type: InteractionResponseType.ChannelMessageWithSource, data: message(payload, ephemeral) });

    if (interaction.type === InteractionType.ApplicationCommand && 'options' in interaction.data) {
      const values = flatOptions(interaction.data.options ?? []);
      await dispatcher.command({
        ...base,
        commandName: interaction.data.name,
        getString: (name) => (typeof values.get(name) === 'string' ? (values.get(name) as string) : null),
        getBoolean: (name) => (typeof values.get(name) === 'boolean' ? (values.get(name) as boolean) : null),
        get acknowledged() {
          return responded;
        },
        deferReply: ({ ephemeral }) =>
          respond({
            type: InteractionResponseType.DeferredChannelMessageWithSource,
            ...(ephemeral ? { data: { flags: MessageFlags.Ephemeral } } : {}),
          }),
        reply,
        editReply: async (payload) => {
          if (!responded) throw new Error('Discord: editReply before the interaction was acknowledged');
          await rest.patch(
            Routes.webhookMessage(interaction.application_id, interaction.token, '@original'),
            {
              body: message(payload, false),
              auth: false,
            },
          );
        },
      });
    } else if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
      const focused = flatFocused(interaction.data.options ?? []);
      await dispatcher.autocomplete({
        ...base,
        commandName: interaction.data.name,
        focused,
        respond: (choices) =>
          respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } }),
      });
    } else if (interaction.type === InteractionType.MessageComponent) {
      await dispatcher.button({
        ...base,
        customId: interaction.data.custom_id,
        get acknowledged() {
          return responded;
        },
        reply,
      });
    }
    if (!responded) await send(res, 400, { error: 'interaction not handled' });
  };

  return {
    get url() {
      const address = server?.address() as AddressInfo | null | undefined;
      return address
        ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`
        : undefined;
    },
    async start() {
      server = createServer((req, res) => {
        const task = handle(req, res)
          .catch(async (error: unknown) => {
            logger.error('discord http interaction failed', { error });
            await send(res, 500, { error: 'internal error' });
          })
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      });
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(options.port, options.host, () => {
          listening.off('error', reject);
          resolve();
        });
      });
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
