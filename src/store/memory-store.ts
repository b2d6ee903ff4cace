import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type {
  AuditLog,
  DeliveryLedger,
  FeedbackStore,
  QuestionRecord,
  VoteInput,
  VoteTally,
} from './types.ts';

/** Salted SHA-256 of a user id: enough to count distinct users, not to recover them. */
export function hashUserId(salt: string, platform: string, userId: string): string {
  return createHash('sha256').update(`${salt}\u0000${platform}\u0000${userId}`).digest('hex').slice(0, 32);
}

/** Fold a question for counting: case, white space and trailing punctuation do not make it new. */
export function foldQuestion(question: string): string {
  return question
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.]+$/, '')
    .trim();
}

/** In-memory stores: the default for tests and for runs without a database. Lost on exit. */
export function createMemoryStores(options: { salt?: string; clock?: Clock; ledgerTtlMs?: number } = {}): {
  feedback: FeedbackStore;
  audit: AuditLog & { records: QuestionRecord[] };
  ledger: DeliveryLedger;
} {
  const salt = options.salt ?? randomBytes(16).toString('hex');
  const clock = options.clock ?? systemClock;
  const ttl = options.ledgerTtlMs ?? 24 * 60 * 60 * 1000;
  const votes = new Map<string, Map<string, VoteInput['value']>>();
  const records: QuestionRecord[] = [];
  const claimed = new Map<string, number>();

  return {
    feedback: {
      async recordVote(vote: VoteInput): Promise<VoteTally> {
        const key = `${vote.platform}\u0000${vote.answerId}`;
        const byUser = votes.get(key) ?? new Map<string, VoteInput['value']>();
        byUser.set(hashUserId(salt, vote.platform, vote.userId), vote.value);
        votes.set(key, byUser);
        const values = [...byUser.values()];
        return {
          up: values.filter((v) => v === 'up').length,
          down: values.filter((v) => v === 'down').length,
        };
      },
    },
    audit: {
      records,
      async recordQuestion(record) {
        records.push({ ...record, userId: hashUserId(salt, record.platform, record.userId) });
      },
      async topQuestions(since, limit) {
        const counts = new Map<string, { question: string; count: number }>();
        for (const r of records) {
          if (r.at < since) continue;
          const key = foldQuestion(r.question);
          const entry = counts.get(key) ?? { question: r.question, count: 0 };
          entry.count++;
          counts.set(key, entry);
        }
        return [...counts.values()].sort((a, b) => b.count - a.count).slice(0, limit);
      },
    },
    ledger: {
      async claim(key) {
        const now = clock.now().getTime();
        for (const [k, at] of claimed) if (now - at > ttl) claimed.delete(k);
        if (claimed.has(key)) return false;
        claimed.set(key, now);
        return true;
      },
    },
  };
}
