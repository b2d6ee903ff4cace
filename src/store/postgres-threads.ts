import type { PgContext } from './postgres-db.ts';
import type { ThreadStore } from './types.ts';

/** The threads the bot answered in, in PostgreSQL: a follow-up reaching any replica finds its thread. */
export function createPostgresThreads({ pool }: PgContext): ThreadStore {
  return {
    async get(platform, threadId) {
      const { rows } = await pool.query<{ context: string; updated_at: Date }>(
        'SELECT context, updated_at FROM threads WHERE platform = $1 AND thread_id = $2',
        [platform, threadId],
      );
      const row = rows[0];
      return row && { platform, threadId, context: row.context, updatedAt: row.updated_at };
    },
    async save(thread) {
      await pool.query(
        `INSERT INTO threads (platform, thread_id, context, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (platform, thread_id) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at`,
        [thread.platform, thread.threadId, thread.context, thread.updatedAt],
      );
    },
  };
}
