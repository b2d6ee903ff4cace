import { type PgContext, REPLICA_DEAD_AFTER_MS } from './postgres-db.ts';
import type { DeliveryLedger } from './types.ts';

/** A claim whose owner died within this long of making it was probably not answered yet. */
export const UNFINISHED_CLAIM_MS = 30_000;

/**
 * The delivery ledger in PostgreSQL, shared by every replica: one upsert claims a key that is new
 * or expired, atomically, so a redelivery reaching another replica is refused there too.
 *
 * One exception makes a replica's crash lose nothing: a claim whose owner died (no heartbeat for
 * 20 s) within 30 s of claiming, i.e. most likely before it answered, may be taken over by a
 * redelivery. Slack redelivers what was never acknowledged, and with PostgreSQL the Slack adapter
 * acknowledges only after answering, so such a redelivery is exactly the question the dead
 * replica was still working on. A replica that lived on after a claim, or stopped cleanly, keeps it.
 */
export function createPostgresLedger({ pool, clock, replicaId }: PgContext, ttlMs: number): DeliveryLedger {
  let claims = 0;
  return {
    async claim(key) {
      const now = clock.now().getTime();
      // Claiming also refreshes this replica's heartbeat: a busy replica is visibly alive.
      const { rowCount } = await pool.query(
        `WITH beat AS (UPDATE replicas SET seen_at = $2 WHERE id = $4)
         INSERT INTO deliveries (key, claimed_at, owner) VALUES ($1, $2, $4)
         ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at, owner = excluded.owner
         WHERE deliveries.claimed_at < $3
            OR EXISTS (SELECT 1 FROM replicas r WHERE r.id = deliveries.owner AND r.id <> excluded.owner
                       AND r.seen_at < $5 AND r.seen_at < deliveries.claimed_at + $6)`,
        [key, now, now - ttlMs, replicaId, now - REPLICA_DEAD_AFTER_MS, UNFINISHED_CLAIM_MS],
      );
      // Expired keys are refused by the WHERE above; deleting them now and then only keeps the table small.
      if (++claims % 100 === 1)
        await pool.query('DELETE FROM deliveries WHERE claimed_at < $1', [now - ttlMs]);
      return rowCount === 1;
    },
  };
}
