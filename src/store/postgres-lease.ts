import type { PgContext } from './postgres-db.ts';
import type { LeaseStore } from './types.ts';

/**
 * Leases in PostgreSQL. One upsert takes a lease that is free, expired or already ours, so two
 * replicas asking at once never both get it. Time is the injected clock's (replicas' clocks are
 * assumed to agree to well within a lease's time-to-live).
 */
export function createPostgresLeases({ pool, clock }: PgContext): LeaseStore {
  return {
    async acquire(name, holder, ttlMs) {
      const now = clock.now();
      const { rowCount } = await pool.query(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= $4`,
        [name, holder, new Date(now.getTime() + ttlMs), now],
      );
      return rowCount === 1;
    },
    async release(name, holder) {
      await pool.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder]);
    },
  };
}
