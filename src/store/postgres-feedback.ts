import { hashUserId } from './memory-store.ts';
import type { PgContext } from './postgres-db.ts';
import type { FeedbackStore } from './types.ts';

/** Answer feedback in PostgreSQL: one vote per user per answer, the same rules as SQLite. */
export function createPostgresFeedback({ pool, clock, salt }: PgContext): FeedbackStore {
  return {
    async recordVote(vote) {
      await pool.query(
        `INSERT INTO votes (platform, answer_id, user_hash, value, question, at, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (platform, answer_id, user_hash) DO UPDATE SET value = excluded.value, at = excluded.at,
           comment = COALESCE(excluded.comment, votes.comment)`,
        [
          vote.platform,
          vote.answerId,
          hashUserId(salt, vote.platform, vote.userId),
          vote.value,
          vote.question ?? null,
          clock.now(),
          vote.comment ?? null,
        ],
      );
      const { rows } = await pool.query<{ up: number; down: number }>(
        `SELECT count(*) FILTER (WHERE value = 'up')::int AS up, count(*) FILTER (WHERE value = 'down')::int AS down
         FROM votes WHERE platform = $1 AND answer_id = $2`,
        [vote.platform, vote.answerId],
      );
      return { up: rows[0]?.up ?? 0, down: rows[0]?.down ?? 0 };
    },
  };
}
