import { foldQuestion, hashUserId } from './memory-store.ts';
import type { PgContext } from './postgres-db.ts';
import type { AuditLog } from './types.ts';

/** The question audit log in PostgreSQL (user ids salted and hashed, as in SQLite). */
export function createPostgresAudit({ pool, salt }: PgContext): AuditLog {
  return {
    async recordQuestion(record) {
      await pool.query(
        `INSERT INTO questions (at, platform, user_hash, question, question_key, answered, cited_doc_ids, latency_ms,
           answer_id, topic, related_doc_ids, citations, workspace_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          record.at,
          record.platform,
          hashUserId(salt, record.platform, record.userId),
          record.question,
          foldQuestion(record.question),
          record.answered,
          JSON.stringify(record.citedDocIds),
          Math.round(record.latencyMs),
          record.answerId ?? null,
          record.topic ?? null,
          JSON.stringify(record.relatedDocIds ?? []),
          JSON.stringify(record.citations ?? []),
          record.workspaceId ?? null,
        ],
      );
    },
    async topQuestions(since, limit, workspaceId) {
      // The wording shown is the first one asked; ties go to the question asked most recently.
      const { rows } = await pool.query<{ question: string; count: number }>(
        // With a workspace ($3), both count only its questions.
        `SELECT (SELECT q2.question FROM questions q2 WHERE q2.question_key = q.question_key
                   AND ($3::text IS NULL OR q2.workspace_id = $3) ORDER BY q2.id LIMIT 1) AS question,
                count(*)::int AS count
         FROM questions q WHERE q.at >= $1 AND ($3::text IS NULL OR q.workspace_id = $3)
         GROUP BY q.question_key ORDER BY count(*) DESC, max(q.id) DESC LIMIT $2`,
        [since, limit, workspaceId ?? null],
      );
      return rows.map((row) => ({ question: row.question, count: row.count }));
    },
  };
}
