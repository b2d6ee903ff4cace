import { advisoryXactLock, inTransaction, type PgContext } from './postgres-db.ts';
import type { DocumentRegistry, RegisteredDocument } from './types.ts';

const revisionSql = `SELECT value FROM meta WHERE key = 'corpus_revision'`;

/** The document registry in PostgreSQL; a sync is serialised by an advisory lock across replicas. */
export function createPostgresDocuments({ pool, clock, schema }: PgContext): DocumentRegistry {
  return {
    async sync(docs) {
      const at = clock.now();
      return inTransaction(pool, async (client) => {
        await advisoryXactLock(client, schema, 'documents');
        const known = new Map(
          (
            await client.query<{ doc_id: string; content_hash: string }>(
              'SELECT doc_id, content_hash FROM documents',
            )
          ).rows.map((row) => [row.doc_id, row.content_hash]),
        );
        const added = docs.filter((d) => !known.has(d.docId)).map((d) => d.docId);
        const changed = docs
          .filter((d) => known.has(d.docId) && known.get(d.docId) !== d.contentHash)
          .map((d) => d.docId);
        let revision = Number((await client.query<{ value: string }>(revisionSql)).rows[0]?.value ?? 0);
        if (added.length === 0 && changed.length === 0) return { revision, added, changed };
        revision++;
        await client.query(
          `INSERT INTO meta (key, value) VALUES ('corpus_revision', $1)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [String(revision)],
        );
        const hashOf = new Map(docs.map((d) => [d.docId, d.contentHash]));
        if (added.length) {
          await client.query(
            `INSERT INTO documents (doc_id, content_hash, first_seen_at, last_changed_at, added_revision, changed_revision)
             SELECT id, hash, $3, $3, $4, $4 FROM unnest($1::text[], $2::text[]) AS t(id, hash)`,
            [added, added.map((id) => hashOf.get(id)), at, revision],
          );
        }
        if (changed.length) {
          await client.query(
            `UPDATE documents d SET content_hash = t.hash, last_changed_at = $3, changed_revision = $4
             FROM unnest($1::text[], $2::text[]) AS t(id, hash) WHERE d.doc_id = t.id`,
            [changed, changed.map((id) => hashOf.get(id)), at, revision],
          );
        }
        return { revision, added, changed };
      });
    },
    async list() {
      const { rows } = await pool.query<{
        doc_id: string;
        content_hash: string;
        first_seen_at: Date;
        last_changed_at: Date;
        added_revision: number;
        changed_revision: number;
      }>('SELECT * FROM documents ORDER BY doc_id COLLATE "C"');
      return rows.map(
        (row): RegisteredDocument => ({
          docId: row.doc_id,
          contentHash: row.content_hash,
          firstSeenAt: row.first_seen_at,
          lastChangedAt: row.last_changed_at,
          addedRevision: row.added_revision,
          changedRevision: row.changed_revision,
        }),
      );
    },
    async revision() {
      return Number((await pool.query<{ value: string }>(revisionSql)).rows[0]?.value ?? 0);
    },
  };
}
