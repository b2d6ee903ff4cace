import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStores } from '../../src/store/open-stores.ts';
import { tempFolder } from '../helpers.ts';
import { testDatabaseUrl } from './backends.ts';

const url = testDatabaseUrl();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('openStores', () => {
  it('opens the SQLite file when DATABASE_URL is not set', async () => {
    const { dir, cleanup } = await tempFolder({});
    cleanups.push(cleanup);
    const path = join(dir, 'x.db');
    const stores = await openStores({ databasePath: path, databaseUrl: undefined, auditSalt: undefined });
    cleanups.push(() => stores.close());
    expect(stores).toMatchObject({ kind: 'sqlite', where: path, leases: undefined });
    expect(await stores.ledger.claim('k')).toBe(true);
  });

  it.runIf(url)(
    'opens PostgreSQL when DATABASE_URL is set, showing the URL without its password',
    async () => {
      // The public schema of the throwaway test server, where a real deployment's tables go; no
      // other test uses it.
      const stores = await openStores({ databasePath: 'unused.db', databaseUrl: url, auditSalt: 's' });
      cleanups.push(() => stores.close());
      expect(stores.kind).toBe('postgres');
      expect(stores.where).not.toContain(new URL(url!).password);
      expect(await stores.leases!.acquire('job', 'me', 1000)).toBe(true);
    },
  );
});
