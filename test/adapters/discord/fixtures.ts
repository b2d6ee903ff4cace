import type { KeyObject } from 'node:crypto';
import type { DiscordConfig } from '../../../adapters/discord/config.ts';
import { createDiscordService } from '../../../adapters/discord/create-discord-service.ts';
import { createEngine, type Engine } from '../../../src/answering/engine.ts';
import { createManualClock } from '../../../src/clock.ts';
import type { LinkAdder } from '../../../src/corpus/link-adder.ts';
import type { Digest, DigestPreviewer } from '../../../src/digest/types.ts';
import { type Logger, silentLogger } from '../../../src/logger.ts';
import { createMemoryStores } from '../../../src/store/memory-store.ts';
import { makeDocument } from '../../helpers.ts';
import type { FakeDiscord, interactionPayload, RecordedRequest } from './fake-discord.ts';

// biome-ignore lint/suspicious/noExplicitAny: request bodies are JSON read field by field in assertions
export type Body = Record<string, any>;

/** A tiny corpus: one article carries "@everyone" in a sentence the amnesty question cites. */
export function fixtureEngine(): Engine {
  return createEngine([
    makeDocument(
      'draft-plan',
      'The US draft peace plan would bar Ukraine from joining NATO. The draft caps the Ukrainian army at 600,000 troops.',
      {
        title: 'US draft peace plan',
        source: 'Test Wire',
        published: '2025-11-20',
        url: 'https://example.org/draft',
      },
    ),
    makeDocument(
      'amnesty',
      'The proposal grants a full amnesty to @everyone involved in the war, says <@123456789012345678>. Observers called the amnesty clause *unprecedented*.',
      { title: 'Amnesty clause', source: 'Other Wire', published: '2025-11-21' },
    ),
    makeDocument('alaska', 'Putin proposed a ceasefire in two stages at the Alaska summit in August.', {
      title: 'Alaska summit terms',
      source: 'Test Wire',
      published: '2025-08-21',
    }),
  ]);
}

/** Test double of the digest previewer (the real one is built in the digest issue): a fixed digest. */
export function fixedDigestPreviewer(): DigestPreviewer & { calls: Array<[string, string]> } {
  const calls: Array<[string, string]> = [];
  return {
    calls,
    async preview(platform, channelId) {
      calls.push([platform, channelId]);
      return fixtureDigest(channelId);
    },
  };
}

/** A digest with one new article (its text mentions @here) and one top question. */
export function fixtureDigest(channelId: string): Digest {
  return {
    platform: 'discord',
    channelId,
    since: '2025-11-19T09:00:00.000Z',
    until: '2025-11-21T09:00:00.000Z',
    entries: [
      {
        status: 'new',
        docId: 'draft-plan',
        title: 'US draft peace plan',
        source: 'Test Wire',
        published: '2025-11-20',
        url: 'https://example.org/draft',
        sentences: [
          { snippet: 'The US draft peace plan would bar Ukraine from joining NATO, @here.', sentence: 0 },
        ],
      },
    ],
    topQuestions: [{ question: 'What does the draft say about NATO?', count: 3 }],
    asOf: '2025-11-20',
  };
}

/** Memory stores, a manual clock, and a spy on votes. */
export function fixtureDeps() {
  const clock = createManualClock('2025-11-21T09:00:00Z');
  const stores = createMemoryStores({ clock, salt: 'test' });
  const votes: Array<{ answerId: string; value: string; userId: string; question?: string; tally: unknown }> =
    [];
  const feedback = {
    async recordVote(vote: Parameters<typeof stores.feedback.recordVote>[0]) {
      const tally = await stores.feedback.recordVote(vote);
      votes.push({ ...vote, tally });
      return tally;
    },
  };
  return { clock, stores, feedback, votes };
}

/** What a test chooses about the Discord service it starts; the rest is the same everywhere. */
export interface DiscordUnderTest {
  engine: Engine;
  /** Gateway (the default, with a bot token) or HTTP interactions on 127.0.0.1 (with a public key). */
  mode?: 'gateway' | 'http';
  publicKey?: string;
  asksPerMinute?: number;
  digest?: DigestPreviewer;
  logger?: Logger;
  /** For `/add`: the link adder and the editor roles. */
  links?: LinkAdder;
  editorRoleIds?: string[];
}

/** Discord settings for a service talking to `fake`: HTTP endpoint on 127.0.0.1, any free port. */
export function fixtureConfig(fake: FakeDiscord): DiscordConfig {
  return {
    mode: 'gateway',
    token: 'bot-token',
    applicationId: fake.applicationId,
    guildId: undefined,
    publicKey: undefined,
    httpPort: 0,
    apiUrl: fake.apiUrl,
    asksPerMinute: 3,
    httpHost: '127.0.0.1',
  };
}

/** Start the real Discord service against a fake Discord, with the fixture stores and clock. */
export async function startDiscordService(
  fake: FakeDiscord,
  deps: ReturnType<typeof fixtureDeps>,
  options: DiscordUnderTest,
): Promise<ReturnType<typeof createDiscordService>> {
  const http = options.mode === 'http';
  const discord = createDiscordService({
    config: {
      ...fixtureConfig(fake),
      mode: http ? 'http' : 'gateway',
      token: http ? undefined : 'bot-token',
      publicKey: options.publicKey,
      asksPerMinute: options.asksPerMinute ?? 3,
    },
    engine: options.engine,
    feedback: deps.feedback,
    audit: deps.stores.audit,
    ledger: deps.stores.ledger,
    digest: options.digest ?? fixedDigestPreviewer(),
    logger: options.logger ?? silentLogger,
    clock: deps.clock,
    // Signed timestamps are checked against the fixture clock (the tests sign at 2025-11-21T09:00Z).
    signatureClock: deps.clock,
    restOptions: { retries: 0 },
    ...(http && { httpHost: '127.0.0.1' }),
    ...(options.links && { links: options.links, editorRoleIds: options.editorRoleIds ?? [] }),
  });
  await discord.service.start();
  return discord;
}

/** The raw 32-byte Ed25519 key in hex, as the Developer Portal shows it: the tail of its SPKI DER form. */
export const rawPublicKey = (key: KeyObject): string =>
  key.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

/** Dispatch an interaction over the gateway; wait for its callback (and, with `edited`, the PATCH of @original). */
export async function interact(
  fake: FakeDiscord,
  payload: ReturnType<typeof interactionPayload>,
  edited = false,
): Promise<{ callback: Body; edit: Body | undefined }> {
  fake.dispatch('INTERACTION_CREATE', payload);
  const callback = await fake.waitForRequest(
    (r) => r.path === `/api/v10/interactions/${payload.id}/${payload.token}/callback`,
  );
  let edit: RecordedRequest | undefined;
  if (edited) {
    edit = await fake.waitForRequest(
      (r) =>
        r.method === 'PATCH' &&
        r.path === `/api/v10/webhooks/${fake.applicationId}/${payload.token}/messages/@original`,
    );
  }
  return { callback: callback.body as Body, edit: edit?.body as Body | undefined };
}

/** The shipped command names, in registration order (slash commands, then the message command). */
export const COMMAND_NAMES = [
  'ask',
  'compare',
  'timeline',
  'sources',
  'digest',
  'gaps',
  'add',
  'Find sources for this',
] as const;
