/** One numbered step of the PostgreSQL schema. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema, step by step; the `schema_migrations` table records which ran. Append
 * only: never edit a shipped step, add the next one. Tables mirror the SQLite store's, with native
 * types (timestamptz, jsonb, bigint) and a `seq` column where SQLite orders by rowid.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE documents (
        doc_id text PRIMARY KEY,
        content_hash text NOT NULL,
        first_seen_at timestamptz NOT NULL,
        last_changed_at timestamptz NOT NULL,
        added_revision integer NOT NULL,
        changed_revision integer NOT NULL
      );
      CREATE TABLE digest_runs (
        seq bigserial UNIQUE,
        platform text NOT NULL,
        channel_id text NOT NULL,
        period text NOT NULL,
        status text NOT NULL CHECK (status IN ('posting', 'posted', 'empty', 'failed', 'unknown')),
        claimed_at timestamptz NOT NULL,
        finished_at timestamptz,
        corpus_revision integer NOT NULL,
        publisher text NOT NULL,
        message_id text,
        error text,
        PRIMARY KEY (platform, channel_id, period)
      );
      CREATE INDEX digest_runs_posting ON digest_runs (claimed_at) WHERE status = 'posting';
      CREATE TABLE questions (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        platform text NOT NULL,
        user_hash text NOT NULL,
        question text NOT NULL,
        question_key text NOT NULL,
        answered boolean NOT NULL,
        cited_doc_ids jsonb NOT NULL,
        latency_ms integer NOT NULL
      );
      CREATE INDEX questions_at ON questions (at);
      CREATE INDEX questions_key ON questions (question_key, id);
      CREATE TABLE votes (
        platform text NOT NULL,
        answer_id text NOT NULL,
        user_hash text NOT NULL,
        value text NOT NULL CHECK (value IN ('up', 'down')),
        question text,
        at timestamptz NOT NULL,
        PRIMARY KEY (platform, answer_id, user_hash)
      );
      CREATE TABLE deliveries (key text PRIMARY KEY, claimed_at bigint NOT NULL);
      CREATE INDEX deliveries_claimed_at ON deliveries (claimed_at);`,
  },
  {
    version: 2,
    name: 'leases',
    sql: `
      CREATE TABLE leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL
      );`,
  },
  {
    version: 3,
    name: 'corpus-files',
    sql: `
      CREATE TABLE corpus_files (
        doc_id text PRIMARY KEY,
        content text NOT NULL,
        content_hash text NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      );`,
  },
  {
    version: 4,
    name: 'installations',
    sql: `
      CREATE TABLE installations (
        platform text NOT NULL,
        workspace_id text NOT NULL,
        data jsonb NOT NULL,
        installed_at timestamptz NOT NULL,
        PRIMARY KEY (platform, workspace_id)
      );`,
  },
  {
    version: 5,
    name: 'delivery-owners',
    sql: `
      CREATE TABLE replicas (id text PRIMARY KEY, seen_at bigint NOT NULL);
      ALTER TABLE deliveries ADD COLUMN owner text;`,
  },
  {
    version: 6,
    name: 'insights',
    // What an answer showed and what it was about, vote comments, and which gaps closed.
    sql: `
      ALTER TABLE questions ADD COLUMN answer_id text;
      ALTER TABLE questions ADD COLUMN topic text;
      ALTER TABLE questions ADD COLUMN related_doc_ids jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE questions ADD COLUMN citations jsonb NOT NULL DEFAULT '[]';
      CREATE INDEX questions_answer ON questions (platform, answer_id);
      ALTER TABLE votes ADD COLUMN comment text;
      ALTER TABLE votes ADD COLUMN seq bigserial;
      CREATE INDEX votes_at ON votes (at, seq);
      CREATE TABLE gap_closures (
        question_key text PRIMARY KEY,
        question text NOT NULL,
        closed_at timestamptz NOT NULL,
        doc_id text NOT NULL
      );`,
  },
  {
    version: 7,
    name: 'live-corpus',
    // Copies, corrections, feed state and seen feed items; seq lets replicas fetch new copies only.
    sql: `
      CREATE TABLE article_copies (
        seq bigserial UNIQUE,
        url text PRIMARY KEY,
        doc_id text NOT NULL,
        source text NOT NULL,
        title text NOT NULL,
        published text NOT NULL,
        similarity double precision NOT NULL,
        recorded_at timestamptz NOT NULL
      );
      CREATE INDEX article_copies_doc ON article_copies (doc_id);
      CREATE TABLE corrections (
        id bigserial PRIMARY KEY,
        doc_id text NOT NULL,
        at timestamptz NOT NULL,
        previous_title text NOT NULL,
        title text NOT NULL,
        source text NOT NULL,
        changes jsonb NOT NULL,
        added jsonb NOT NULL,
        previous_sentences jsonb NOT NULL
      );
      CREATE INDEX corrections_doc ON corrections (doc_id);
      CREATE INDEX corrections_at ON corrections (at);
      CREATE TABLE feed_state (
        url text PRIMARY KEY,
        etag text,
        last_modified text,
        failures integer NOT NULL,
        retry_at timestamptz,
        last_polled_at timestamptz,
        last_error text
      );
      CREATE TABLE feed_items (
        feed_url text NOT NULL,
        item_key text NOT NULL,
        link text NOT NULL,
        outcome text NOT NULL,
        detail text NOT NULL,
        doc_id text,
        stamp text,
        attempts integer NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (feed_url, item_key)
      );`,
  },
  {
    version: 8,
    name: 'threads',
    sql: `
      CREATE TABLE threads (
        platform text NOT NULL,
        thread_id text NOT NULL,
        context text NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (platform, thread_id)
      );`,
  },
  {
    version: 9,
    name: 'question-workspaces',
    // The Slack workspace each question came from, for digests and gaps per workspace.
    sql: `
      ALTER TABLE questions ADD COLUMN workspace_id text;
      CREATE INDEX questions_workspace ON questions (workspace_id, at);`,
  },
];
