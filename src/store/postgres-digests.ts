import type { PgContext } from './postgres-db.ts';
import type { DigestRun, DigestRunStatus, DigestRunStore, Platform } from './types.ts';

interface RunRow {
  platform: string;
  channel_id: string;
  period: string;
  status: string;
  claimed_at: Date;
  finished_at: Date | null;
  corpus_revision: number;
  publisher: string;
  message_id: string | null;
  error: string | null;
}

const columns =
  'platform, channel_id, period, status, claimed_at, finished_at, corpus_revision, publisher, message_id, error';

const runOf = (row: RunRow): DigestRun => ({
  platform: row.platform as Platform,
  channelId: row.channel_id,
  period: row.period,
  status: row.status as DigestRunStatus,
  claimedAt: row.claimed_at,
  finishedAt: row.finished_at,
  corpusRevision: row.corpus_revision,
  publisher: row.publisher,
  messageId: row.message_id,
  error: row.error,
});

/** Digest runs in PostgreSQL: the claim is one insert on the primary key, exactly once across replicas. */
export function createPostgresDigests({ pool }: PgContext): DigestRunStore {
  return {
    async claim(run) {
      const { rowCount } = await pool.query(
        `INSERT INTO digest_runs (platform, channel_id, period, status, claimed_at, corpus_revision, publisher)
         VALUES ($1, $2, $3, 'posting', $4, $5, $6) ON CONFLICT DO NOTHING`,
        [run.platform, run.channelId, run.period, run.at, run.corpusRevision, run.publisher],
      );
      return rowCount === 1;
    },
    async finish(key, outcome) {
      await pool.query(
        `UPDATE digest_runs SET status = $1, finished_at = $2, message_id = $3, error = $4
         WHERE platform = $5 AND channel_id = $6 AND period = $7`,
        [
          outcome.status,
          outcome.at,
          outcome.messageId ?? null,
          outcome.error ?? null,
          key.platform,
          key.channelId,
          key.period,
        ],
      );
    },
    async get(platform, channelId, period) {
      const { rows } = await pool.query<RunRow>(
        `SELECT ${columns} FROM digest_runs WHERE platform = $1 AND channel_id = $2 AND period = $3`,
        [platform, channelId, period],
      );
      return rows[0] ? runOf(rows[0]) : undefined;
    },
    async lastDelivered(platform, channelId) {
      const { rows } = await pool.query<RunRow>(
        `SELECT ${columns} FROM digest_runs WHERE platform = $1 AND channel_id = $2 AND status IN ('posted', 'empty')
         ORDER BY claimed_at DESC, seq DESC LIMIT 1`,
        [platform, channelId],
      );
      return rows[0] ? runOf(rows[0]) : undefined;
    },
    async list(platform, channelId) {
      const { rows } = await pool.query<RunRow>(
        `SELECT ${columns} FROM digest_runs WHERE platform = $1 AND channel_id = $2 ORDER BY claimed_at, seq`,
        [platform, channelId],
      );
      return rows.map(runOf);
    },
    async abandonStale(before) {
      // One UPDATE ... RETURNING: two replicas abandoning at once each get their own rows, never both.
      const { rows } = await pool.query<RunRow>(
        `WITH gone AS (
           UPDATE digest_runs SET status = 'unknown' WHERE status = 'posting' AND claimed_at < $1
           RETURNING seq, ${columns})
         SELECT ${columns} FROM gone ORDER BY claimed_at, seq`,
        [before],
      );
      return rows.map(runOf);
    },
  };
}
