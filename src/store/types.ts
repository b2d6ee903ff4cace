/** Where a request came from: an adapter's registry name (`slack`, `discord`, `terminal`) or `cli`. */
export type Platform = string;

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
  /**
   * The most-asked questions (case- and space-folded) since a time, most first; with
   * `workspaceId`, only those asked in that Slack workspace.
   */
  topQuestions(
    since: Date,
    limit: number,
    workspaceId?: string,
  ): Promise<Array<{ question: string; count: number }>>;
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

// Declaration merging keeps VoteInput's original fields untouched above.
export interface VoteInput {
  /** What the voter wrote about the answer (e.g. after 👎); a later vote without one keeps it. */
  comment?: string;
}

/** A cited snippet as an answer showed it, kept with the question for reading feedback later. */
export interface RecordedCitation {
  docId: string;
  /** The verbatim snippet shown. */
  snippet: string;
}

/**
 * What the audit log may also keep about an answer (all optional, so older callers still record):
 * what votes refer to, what the question was about, and what was shown.
 */
export interface QuestionRecordDetails {
  /** Id the adapter gave the answer message (what its votes carry). */
  answerId?: string;
  /** The topic (src/topics id) the question is about, or null. */
  topic?: string | null;
  /** The closest articles the engine named (for a declined question, where to look). */
  relatedDocIds?: string[];
  /** The citations as shown, in order. */
  citations?: RecordedCitation[];
}

// Declaration merging keeps QuestionRecord's original fields untouched above.
export interface QuestionRecord extends QuestionRecordDetails {}

/** A question read back from the audit log: the asker only as a salted hash, never shown. */
export interface StoredQuestion {
  id: number;
  at: Date;
  platform: Platform;
  /** Salted hash of the platform's user id: counts distinct askers, identifies nobody. */
  askerHash: string;
  question: string;
  /** The question folded for counting (see foldQuestion). */
  questionKey: string;
  answered: boolean;
  citedDocIds: string[];
  latencyMs: number;
  answerId: string | null;
  topic: string | null;
  relatedDocIds: string[];
  citations: RecordedCitation[];
}

/** A vote read back: the voter only as a salted hash. */
export interface StoredVote {
  platform: Platform;
  answerId: string;
  voterHash: string;
  value: 'up' | 'down';
  question: string | null;
  /** What the voter wrote about the answer, if anything. */
  comment: string | null;
  at: Date;
}

/** A declined question that the current corpus answers, and the article that answers it. */
export interface GapClosure {
  questionKey: string;
  /** The wording re-asked. */
  question: string;
  closedAt: Date;
  /** The top cited article of the answer it now gets. */
  docId: string;
}

/** Reads the audit log and votes back for coverage reports, and keeps which gaps closed. */
export interface InsightStore {
  /** Questions asked at or after `since`, oldest first (at most `limit`, the newest kept). */
  questions(since: Date, limit?: number): Promise<StoredQuestion[]>;
  /** Votes cast (or last changed) at or after `since`, oldest first. */
  votes(since: Date): Promise<StoredVote[]>;
  /** Every recorded closure. */
  closures(): Promise<GapClosure[]>;
  /** Record that a question key is now answered; an existing closure of the key is kept. */
  recordClosure(closure: GapClosure): Promise<void>;
  /** Forget a closure (the question is declined again, e.g. its article was removed). */
  removeClosure(questionKey: string): Promise<void>;
}

/** Another outlet's (or URL's) publication of an article already in the corpus: a syndicated copy. */
export interface ArticleCopy {
  /** The canonical article in the corpus. */
  docId: string;
  /** Where the copy was found (its canonical URL). */
  url: string;
  source: string;
  title: string;
  /** YYYY-MM-DD. */
  published: string;
  /** Estimated word-shingle resemblance to the canonical article, 0–1. */
  similarity: number;
  recordedAt: Date;
}

/** One sentence of an earlier version and what it became: `after` null when it was removed. */
export interface SentenceChange {
  before: string;
  after: string | null;
}

/** A change to an article's text, recorded when a newer version was ingested over it. */
export interface Correction {
  id: number;
  docId: string;
  /** When the newer version was ingested. */
  at: Date;
  /** The article's title before and after (equal when only the text changed). */
  previousTitle: string;
  title: string;
  source: string;
  /** Sentences that were reworded or removed. */
  changes: SentenceChange[];
  /** Sentences that are new in the later version. */
  added: string[];
  /** Every sentence of the earlier version, kept so the history can be read back. */
  previousSentences: string[];
}

/** A configured feed's polling state: conditional-GET validators and error backoff. */
export interface FeedState {
  url: string;
  etag: string | null;
  lastModified: string | null;
  /** Consecutive failed polls (0 after a success). */
  failures: number;
  /** Not polled again before this time (backoff); null to poll at the next scheduled run. */
  retryAt: Date | null;
  lastPolledAt: Date | null;
  lastError: string | null;
}

/** What became of one feed item (kept so a restart neither misses nor repeats it). */
export interface FeedItemRecord {
  feedUrl: string;
  /** The item's guid/id, or its link when it has none. */
  key: string;
  link: string;
  outcome: 'added' | 'updated' | 'unchanged' | 'copy' | 'skipped' | 'failed';
  detail: string;
  docId: string | null;
  /** The item's date as the feed gave it when handled; a different one later means it was republished. */
  stamp: string | null;
  /** Times it was tried; a failed item is tried again on later polls up to a limit. */
  attempts: number;
  at: Date;
}

/** Copies, corrections and feed state: what keeps a live corpus honest about its sources. */
export interface LiveCorpusStore {
  /** Record a copy; false when that URL was already recorded as a copy. */
  recordCopy(copy: ArticleCopy): Promise<boolean>;
  /** The copy recorded at `url`, if any. */
  copyAt(url: string): Promise<ArticleCopy | undefined>;
  /** Record a correction and return it with its id. */
  recordCorrection(correction: Omit<Correction, 'id'>): Promise<Correction>;
  /** Remove a correction whose new version could not be written after all. */
  deleteCorrection(id: number): Promise<void>;
  /** An article's corrections, oldest first. */
  corrections(docId: string): Promise<Correction[]>;
  /** Corrections recorded at or after `since`, oldest first. */
  correctionsSince(since: Date): Promise<Correction[]>;
  /**
   * Copies and corrections of some articles, read synchronously: answers are built synchronously
   * and these notes are attached to them on the way out.
   */
  notesFor(docIds: readonly string[]): { copies: ArticleCopy[]; corrections: Correction[] };
  feedState(url: string): Promise<FeedState | undefined>;
  saveFeedState(state: FeedState): Promise<void>;
  /** The record of a feed item, if it was handled before. */
  feedItem(feedUrl: string, key: string): Promise<FeedItemRecord | undefined>;
  /** Record (or replace) what became of a feed item. */
  recordFeedItem(record: FeedItemRecord): Promise<void>;
}

/** A thread (or DM conversation) the bot answered in, with what its follow-ups build on. */
export interface StoredThread {
  platform: Platform;
  /** The platform's thread id ("C123:1700000000.000100" on Slack, the thread channel id on Discord). */
  threadId: string;
  /** The conversation context as JSON (src/threads/context.ts); opaque to the store. */
  context: string;
  updatedAt: Date;
}

/** Which threads are the bot's, durably, so replies in them are answered without a mention. */
export interface ThreadStore {
  /** The thread, if the bot answered in it. */
  get(platform: Platform, threadId: string): Promise<StoredThread | undefined>;
  /** Record (or update) a thread's context. */
  save(thread: StoredThread): Promise<void>;
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

// Declaration merging: which Slack workspace asked, so digests and gaps can be per workspace.
export interface QuestionRecordDetails {
  /** The Slack workspace (team id) the question was asked in; null or absent elsewhere. */
  workspaceId?: string | null;
}

// Declaration merging keeps StoredQuestion's original fields untouched above.
export interface StoredQuestion {
  /** The Slack workspace it was asked in, or null (other platforms, or recorded before). */
  workspaceId: string | null;
}
