import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../src/adapter.ts';
import type { CorpusDocument } from '../../../src/corpus/schema.ts';
import { APOLOGY_MESSAGE, DECLINE_MESSAGE, NO_SOURCE_MESSAGE } from '../../../src/messages/index.ts';
import { shippedCorpus, tempFolder } from '../../helpers.ts';
import { type ContractWorld, createContractWorld, EXPLODE, HOSTILE_QUESTION } from './context.ts';
import { type ContractDriver, discordDriver, slackDriver, terminalDriver } from './drivers.ts';

// One suite, every adapter: each case creates the adapter from its registry definition with the
// same context, drives it through its fake (Bolt against a fake Slack, discord.js against a fake
// gateway, the chat on piped streams) and checks what a person would see.

let corpus: CorpusDocument[];
beforeAll(async () => {
  corpus = await shippedCorpus();
});

const NATO_QUESTION = 'What does the US draft say about NATO?';
const US_DRAFT = 'US draft peace plan would hand Russia the Donbas';

describe.each([
  ['slack', slackDriver],
  ['discord', discordDriver],
  ['terminal', terminalDriver],
] as const)('adapter contract: %s', (_name, makeDriver) => {
  let driver: ContractDriver;
  let world: ContractWorld;
  let adapter: Adapter;
  let cleanup: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    const folder = await tempFolder({});
    world = createContractWorld(corpus, folder.dir);
    driver = makeDriver();
    adapter = await driver.start(world);
    cleanup = async () => {
      await driver.stop();
      world.close();
      await folder.cleanup();
    };
  });
  afterEach(async () => {
    await cleanup?.();
  });

  it('ask: quotes the articles with their sources, and records the question under its platform', async () => {
    const reply = await driver.ask(NATO_QUESTION, 'U100');
    expect(reply.text).toContain('NATO');
    expect(reply.text).toContain(US_DRAFT);
    expect(reply.text).toContain('As of ');
    expect(world.questions.at(-1)).toMatchObject({ platform: adapter.platform, answered: true });
  });

  it('decline: says plainly that the sources do not answer', async () => {
    const reply = await driver.ask('What is the weather on Mars tomorrow?', 'U101');
    expect(reply.text).toContain(DECLINE_MESSAGE);
  });

  it('compare: the proposals side by side under the engine’s heading', async () => {
    const reply = await driver.compare('nato');
    expect(reply.text).toContain(world.context.engine.compare('nato').heading!);
    expect(reply.text).toMatch(/\[1\]/);
  });

  it('timeline: the documents in date order under the engine’s heading', async () => {
    const reply = await driver.timeline('nato');
    expect(reply.text).toContain(world.context.engine.timeline({ topic: 'nato' }).heading!);
  });

  it('vote: 👍 under an answer is stored with the question (or no vote is offered)', async () => {
    const reply = await driver.ask(NATO_QUESTION, 'U102');
    if (!driver.offers.votes) {
      expect(reply.text).not.toMatch(/👍|Helpful/);
      expect(world.votes).toEqual([]);
      return;
    }
    const thanks = await driver.voteUp(reply, 'U103');
    expect(thanks.text).toMatch(/Thanks, (glad it helped|your 👍 is recorded)/);
    expect(world.votes).toHaveLength(1);
    expect(world.votes[0]).toMatchObject({
      value: 'up',
      question: NATO_QUESTION,
      platform: adapter.platform,
    });
  });

  it('share: re-posts the answer given, without asking the engine again (or no share is offered)', async () => {
    const reply = await driver.ask(NATO_QUESTION, 'U104');
    if (!driver.offers.share) {
      expect(reply.text).not.toContain('Share in channel');
      return;
    }
    const asked = world.answers();
    const shared = await driver.share(reply, 'U104');
    expect(world.answers()).toBe(asked);
    expect(shared.text).toContain(US_DRAFT);
  });

  it('digest: the adapter’s publisher posts the digest to a channel', async () => {
    const digest = await world.context.digest.preview(adapter.platform, driver.channelId);
    expect(adapter.publisher).toBeDefined();
    await adapter.publisher!.publish(driver.channelId, digest);
    const posted = await driver.posted(driver.channelId);
    expect(posted.text).toContain(digest.entries[0]!.title.slice(0, 30));
  });

  it('no pings: an article with mentions, @everyone and a bell notifies nobody', async () => {
    const reply = await driver.ask(HOSTILE_QUESTION, 'U105');
    expect(reply.text).toContain('grain corridor');
    expect(driver.pings(reply)).toEqual([]);
  });

  it('handler failure: the engine throws, the user gets the apology, it is logged, and the adapter goes on', async () => {
    const failed = await driver.ask(`Why did the index ${EXPLODE}?`, 'U106');
    expect(failed.text).toContain(APOLOGY_MESSAGE);
    expect(failed.text).not.toContain('engine exploded');
    expect(world.errors.join('\n')).toContain('engine exploded');
    const after = await driver.ask(NATO_QUESTION, 'U107');
    expect(after.text).toContain(US_DRAFT);
  });

  it('rate limit: past 3 asks a minute the same person is asked to slow down', async () => {
    for (const q of ['Who is Yuri Ushakov?', NATO_QUESTION, 'What is the ceasefire plan?'])
      expect((await driver.ask(q, 'U108')).text).not.toContain('You are asking quickly');
    const refused = await driver.ask('How much of Donbas does Russia hold?', 'U108');
    expect(refused.text).toMatch(/You are asking quickly; please wait \d+ seconds? and try again\./);
  });

  it('follow-up: a reply in the conversation inherits its context and says so', async () => {
    const [first, next] = await driver.converse(
      'What does the US draft say about territory?',
      'what about NATO?',
    );
    expect(first.text).not.toContain('Following on from');
    expect(next.text).toContain('Following on from: What does the US draft say about territory?');
    expect(next.text).toContain('NATO');
    expect(driver.pings(next)).toEqual([]);
  });

  it('find sources: per claim the verbatim passages, and "no article" where none bears on it', async () => {
    const reply = await driver.findSources(
      "The US draft would cap Ukraine's army at 800,000 troops. Bananas are yellow.",
    );
    expect(reply.text).toMatch(/1\. Claim:/);
    expect(reply.text).toContain('the article says 880,000 and 600,000, the message 800,000');
    expect(reply.text).toContain(NO_SOURCE_MESSAGE);
  });
});
