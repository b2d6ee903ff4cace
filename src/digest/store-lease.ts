import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseStore } from '../store/types.ts';
import type { SchedulerLease } from './scheduler.ts';

/** Options of {@link createStoreLease}. */
export interface StoreLeaseOptions {
  leases: LeaseStore;
  /** Lease name; one per job. Default `digest-scheduler`. */
  name?: string;
  /** This process's name in the lease table. Default host, pid and a random suffix. */
  holder?: string;
  /** How long a lease lasts without renewal: how long a dead holder delays the others. Default 60 s. */
  ttlMs?: number;
}

/** A {@link SchedulerLease} kept in the shared database, renewed at a third of its time-to-live. */
export function createStoreLease(options: StoreLeaseOptions): SchedulerLease & { readonly holder: string } {
  const name = options.name ?? 'digest-scheduler';
  const ttl = options.ttlMs ?? 60_000;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  return {
    holder,
    renewEveryMs: Math.max(1, Math.floor(ttl / 3)),
    acquire: () => options.leases.acquire(name, holder, ttl),
    release: () => options.leases.release(name, holder),
  };
}
