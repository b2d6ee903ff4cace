/** Where a question or vote came from. */
export type Platform = 'slack' | 'discord' | 'terminal';

/** A 👍/👎 on one answer by one user; a later vote by the same user on the same answer replaces it. */
export interface VoteInput {
  platform: Platform;
  /** Id the adapter gave the answer message (kept in the buttons' value). */
  answerId: string;
  /** The platform's user id; stores keep only a salted hash of it. */
  userId: string;
  value: 'up' | 'down';
  /** The question answered, for reading feedback later. */
  question?: string;
}

/** Votes so far on one answer. */
export interface VoteTally {
  up: number;
  down: number;
}

/** Stores answer feedback. */
export interface FeedbackStore {
  /** Record (or change) a user's vote and return the answer's tally. */
  recordVote(vote: VoteInput): Promise<VoteTally>;
}

/** One question as the audit log keeps it. */
export interface QuestionRecord {
  at: Date;
  platform: Platform;
  /** The platform's user id; stores keep only a salted hash of it. */
  userId: string;
  question: string;
  answered: boolean;
  citedDocIds: string[];
  latencyMs: number;
}

/** The audit log of questions asked. */
export interface AuditLog {
  recordQuestion(record: QuestionRecord): Promise<void>;
  /** The most-asked questions (case- and space-folded) since a time, most first. */
  topQuestions(since: Date, limit: number): Promise<Array<{ question: string; count: number }>>;
}

/**
 * Remembers which deliveries were handled, so a platform's redelivery of the same event
 * (Slack's retries, a duplicate interaction) is answered once.
 */
export interface DeliveryLedger {
  /** True the first time `key` is claimed; false for every later claim of the same key. */
  claim(key: string): Promise<boolean>;
}

/** What the store remembers about one corpus article. */
export interface RegisteredDocument {
  docId: string;
  contentHash: string;
  firstSeenAt: Date;
  lastChangedAt: Date;
  /** Corpus revision at which the article was first seen. */
  addedRevision: number;
  /** Corpus revision at which its content last changed (equals `addedRevision` until then). */
  changedRevision: number;
}

/**
 * When each corpus article was first seen and last changed. Every sync that finds something new
 * or changed bumps a corpus revision, so "new since the last digest" is exact, not clock-based.
 */
export interface DocumentRegistry {
  /** Record the corpus as it is now; returns the revision it is at and what was new or changed. */
  sync(
    documents: ReadonlyArray<{ docId: string; contentHash: string }>,
  ): Promise<{ revision: number; added: string[]; changed: string[] }>;
  /** Every article ever seen (removed ones included). */
  list(): Promise<RegisteredDocument[]>;
  /** The current corpus revision (0 before the first sync). */
  revision(): Promise<number>;
}

/**
 * A digest run's state. `posting`: claimed, posting may or may not have happened; `posted`: the
 * platform returned a message id; `empty`: nothing new and the channel wants silence;
 * `failed`: the publisher threw; `unknown`: a `posting` run whose process died (never re-posted).
 */
export type DigestRunStatus = 'posting' | 'posted' | 'empty' | 'failed' | 'unknown';

/** One digest run for one channel and period. */
export interface DigestRun {
  platform: Platform;
  channelId: string;
  /** The scheduled time (ISO) for scheduled runs, `manual:<ISO time>` for `--now`. */
  period: string;
  status: DigestRunStatus;
  claimedAt: Date;
  finishedAt: Date | null;
  /** Corpus revision the digest covered up to. */
  corpusRevision: number;
  /** Which publisher delivered it ("slack", "discord" or "console"). */
  publisher: string;
  messageId: string | null;
  error: string | null;
}

/** The record of digest runs: claiming a period is what makes posting exactly-once per period. */
export interface DigestRunStore {
  /**
   * Atomically claim a channel's period (status `posting`). False when that period was already
   * claimed, by this process or any other, whatever its status: the period is never posted twice.
   */
  claim(run: {
    platform: Platform;
    channelId: string;
    period: string;
    corpusRevision: number;
    publisher: string;
    at: Date;
  }): Promise<boolean>;
  /** Finish a claimed run. */
  finish(
    key: { platform: Platform; channelId: string; period: string },
    outcome: { status: 'posted' | 'empty' | 'failed'; messageId?: string; error?: string; at: Date },
  ): Promise<void>;
  /** One run, if recorded. */
  get(platform: Platform, channelId: string, period: string): Promise<DigestRun | undefined>;
  /** The last run the channel certainly received (`posted` or `empty`): the next digest's baseline. */
  lastDelivered(platform: Platform, channelId: string): Promise<DigestRun | undefined>;
  /** A channel's runs, oldest first. */
  list(platform: Platform, channelId: string): Promise<DigestRun[]>;
  /** Mark `posting` runs claimed before `before` as `unknown` (their process died) and return them. */
  abandonStale(before: Date): Promise<DigestRun[]>;
}

/**
 * Named leases with a time-to-live, so one replica at a time does a job (the digest scheduler).
 * A holder that dies stops renewing, and another replica takes the lease once it has expired.
 */
export interface LeaseStore {
  /** Take `name` for `holder` until `now + ttlMs`, or renew it; false while another holder's lease is live. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Give up `name` if `holder` has it, so another replica may take it at once. */
  release(name: string, holder: string): Promise<void>;
}

/** One app installation in one workspace (Slack's OAuth install), kept as the platform gave it. */
export interface InstallationRecord {
  platform: Platform;
  /** The workspace (or enterprise org) the installation is for: `T…` for a team, `E…` for an org install. */
  workspaceId: string;
  /** The platform's installation object, JSON-serialisable (it holds the workspace's bot token). */
  data: unknown;
  installedAt: Date;
}

/** App installations per workspace, for serving many newsrooms from one deployment. */
export interface InstallationStore {
  /** Record (or replace, on a reinstall) a workspace's installation. */
  save(record: InstallationRecord): Promise<void>;
  /** A workspace's installation, if it is installed. */
  get(platform: Platform, workspaceId: string): Promise<InstallationRecord | undefined>;
  /** Forget a workspace's installation (uninstalled, tokens revoked); true if there was one. */
  remove(platform: Platform, workspaceId: string): Promise<boolean>;
  /** Every installed workspace of a platform, by id. */
  list(platform: Platform): Promise<InstallationRecord[]>;
}
