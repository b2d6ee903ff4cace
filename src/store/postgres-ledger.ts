import type { PgContext } from './postgres-db.ts';
import type { DeliveryLedger } from './types.ts';

/**
 * The delivery ledger in PostgreSQL, shared by every replica: one upsert claims a key that is new
 * or expired, atomically, so a redelivery reaching another replica is refused there too.
 */
export function createPostgresLedger({ pool, clock }: PgContext, ttlMs: number): DeliveryLedger {
  let claims = 0;
  return {
    async claim(key) {
      const now = clock.now().getTime();
      const { rowCount } = await pool.query(
        `INSERT INTO deliveries (key, claimed_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at WHERE deliveries.claimed_at < $3`,
        [key, now, now - ttlMs],
      );
      // Expired keys are refused by the WHERE above; deleting them now and then only keeps the table small.
      if (++claims % 100 === 1)
        await pool.query('DELETE FROM deliveries WHERE claimed_at < $1', [now - ttlMs]);
      return rowCount === 1;
    },
  };
}
