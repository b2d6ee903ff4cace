import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type {
  AuditLog,
  DeliveryLedger,
  FeedbackStore,
  GapClosure,
  InsightStore,
  QuestionRecord,
  StoredQuestion,
  StoredThread,
  StoredVote,
  ThreadStore,
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
  insights: InsightStore;
  threads: ThreadStore;
} {
  const salt = options.salt ?? randomBytes(16).toString('hex');
  const clock = options.clock ?? systemClock;
  const ttl = options.ledgerTtlMs ?? 24 * 60 * 60 * 1000;
  const votes = new Map<string, Map<string, VoteInput['value']>>();
  const records: QuestionRecord[] = [];
  const claimed = new Map<string, number>();
  const stored: StoredQuestion[] = [];
  const storedVotes = new Map<string, StoredVote>();
  const closures = new Map<string, GapClosure>();
  const threads = new Map<string, StoredThread>();

  return {
    feedback: {
      async recordVote(vote: VoteInput): Promise<VoteTally> {
        const key = `${vote.platform}\u0000${vote.answerId}`;
        const byUser = votes.get(key) ?? new Map<string, VoteInput['value']>();
        const voterHash = hashUserId(salt, vote.platform, vote.userId);
        byUser.set(voterHash, vote.value);
        votes.set(key, byUser);
        const earlier = storedVotes.get(`${key}\u0000${voterHash}`);
        // Like the database: a changed vote keeps the question first recorded.
        storedVotes.set(`${key}\u0000${voterHash}`, {
          platform: vote.platform,
          answerId: vote.answerId,
          voterHash,
          value: vote.value,
          question: earlier?.question ?? vote.question ?? null,
          comment: vote.comment ?? earlier?.comment ?? null,
          at: clock.now(),
        });
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
        const askerHash = hashUserId(salt, record.platform, record.userId);
        records.push({ ...record, userId: askerHash });
        stored.push({
          id: stored.length + 1,
          at: record.at,
          platform: record.platform,
          askerHash,
          question: record.question,
          questionKey: foldQuestion(record.question),
          answered: record.answered,
          citedDocIds: [...record.citedDocIds],
          latencyMs: Math.round(record.latencyMs),
          answerId: record.answerId ?? null,
          topic: record.topic ?? null,
          relatedDocIds: [...(record.relatedDocIds ?? [])],
          citations: (record.citations ?? []).map((c) => ({ ...c })),
          workspaceId: record.workspaceId ?? null,
        });
      },
      async topQuestions(since, limit, workspaceId) {
        const counts = new Map<string, { question: string; count: number }>();
        for (const r of records) {
          if (r.at < since) continue;
          if (workspaceId !== undefined && r.workspaceId !== workspaceId) continue;
          const key = foldQuestion(r.question);
          const entry = counts.get(key) ?? { question: r.question, count: 0 };
          entry.count++;
          counts.set(key, entry);
        }
        return [...counts.values()].sort((a, b) => b.count - a.count).slice(0, limit);
      },
    },
    insights: {
      async questions(since, limit = 50_000) {
        return stored.filter((q) => q.at >= since).slice(-limit);
      },
      async votes(since) {
        return [...storedVotes.values()].filter((v) => v.at >= since).sort((a, b) => +a.at - +b.at);
      },
      async closures() {
        return [...closures.values()].sort(
          (a, b) => +a.closedAt - +b.closedAt || a.questionKey.localeCompare(b.questionKey),
        );
      },
      async recordClosure(closure) {
        if (!closures.has(closure.questionKey)) closures.set(closure.questionKey, { ...closure });
      },
      async removeClosure(questionKey) {
        closures.delete(questionKey);
      },
    },
    threads: {
      async get(platform, threadId) {
        const thread = threads.get(`${platform}\u0000${threadId}`);
        return thread && { ...thread };
      },
      async save(thread) {
        threads.set(`${thread.platform}\u0000${thread.threadId}`, { ...thread });
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
