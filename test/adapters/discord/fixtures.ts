import { createManualClock } from '../../../src/clock.ts';
import type { Digest, DigestPreviewer } from '../../../src/digest/types.ts';
import { createEngine, type Engine } from '../../../src/engine/engine.ts';
import { createMemoryStores } from '../../../src/store/memory-store.ts';
import { makeDocument } from '../../helpers.ts';

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
    text: 'Digest: 1 new article since 2025-11-19.\n...',
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
