import type { PgContext } from './postgres-db.ts';
import type {
  GapClosure,
  InsightStore,
  Platform,
  RecordedCitation,
  StoredQuestion,
  StoredVote,
} from './types.ts';

interface QuestionRow {
  id: string;
  at: Date;
  platform: string;
  user_hash: string;
  question: string;
  question_key: string;
  answered: boolean;
  cited_doc_ids: unknown;
  latency_ms: number;
  answer_id: string | null;
  topic: string | null;
  related_doc_ids: unknown;
  citations: unknown;
  workspace_id: string | null;
}

/** A jsonb column written by this code; anything but an array reads as empty rather than failing a report. */
const array = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

const questionOf = (row: QuestionRow): StoredQuestion => ({
  id: Number(row.id),
  at: row.at,
  platform: row.platform as Platform,
  askerHash: row.user_hash,
  question: row.question,
  questionKey: row.question_key,
  answered: row.answered,
  citedDocIds: array<string>(row.cited_doc_ids),
  latencyMs: row.latency_ms,
  answerId: row.answer_id,
  topic: row.topic,
  relatedDocIds: array<string>(row.related_doc_ids),
  citations: array<RecordedCitation>(row.citations),
  workspaceId: row.workspace_id,
});

/** The question log and votes read back, and gap closures, in PostgreSQL (as SQLite's). */
export function createPostgresInsights({ pool }: PgContext): InsightStore {
  return {
    async questions(since, limit = 50_000) {
      // The newest `limit`, returned oldest first.
      const { rows } = await pool.query<QuestionRow>(
        `SELECT * FROM (SELECT * FROM questions WHERE at >= $1 ORDER BY id DESC LIMIT $2) q ORDER BY id`,
        [since, limit],
      );
      return rows.map(questionOf);
    },
    async votes(since) {
      const { rows } = await pool.query<{
        platform: string;
        answer_id: string;
        user_hash: string;
        value: string;
        question: string | null;
        comment: string | null;
        at: Date;
      }>('SELECT * FROM votes WHERE at >= $1 ORDER BY at, seq', [since]);
      return rows.map(
        (row): StoredVote => ({
          platform: row.platform as Platform,
          answerId: row.answer_id,
          voterHash: row.user_hash,
          value: row.value as StoredVote['value'],
          question: row.question,
          comment: row.comment,
          at: row.at,
        }),
      );
    },
    async closures() {
      const { rows } = await pool.query<{
        question_key: string;
        question: string;
        closed_at: Date;
        doc_id: string;
      }>('SELECT * FROM gap_closures ORDER BY closed_at, question_key COLLATE "C"');
      return rows.map(
        (row): GapClosure => ({
          questionKey: row.question_key,
          question: row.question,
          closedAt: row.closed_at,
          docId: row.doc_id,
        }),
      );
    },
    async recordClosure(closure) {
      await pool.query(
        `INSERT INTO gap_closures (question_key, question, closed_at, doc_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (question_key) DO NOTHING`,
        [closure.questionKey, closure.question, closure.closedAt, closure.docId],
      );
    },
    async removeClosure(questionKey) {
      await pool.query('DELETE FROM gap_closures WHERE question_key = $1', [questionKey]);
    },
  };
}
