import { openPostgresStore, type PoolSizes } from './postgres';
import { openSqliteStore } from './sqlite-store';
import type { StoreLocks } from './thread-locks';
import type { Store } from './types';

export type { Store } from './types';

/**
 * PostgreSQL when DATABASE_URL is set (several replicas), else the embedded SQLite file. `lentLocks`: for SQLite, whose
 * locks are in-process, the locks of the thread that opened the file first; PostgreSQL's locks are already shared.
 * `pools`: PostgreSQL's connections per pool (FULL_POOLS unless given).
 */
export function openStore(options: { databaseUrl?: string; sqlitePath: string; onIdleError?: (err: Error) => void; lentLocks?: StoreLocks; pools?: PoolSizes }): Promise<Store> {
  if (!options.databaseUrl) return Promise.resolve(openSqliteStore(options.sqlitePath, options.lentLocks));
  return openPostgresStore(options.databaseUrl, options.onIdleError ?? (() => {}), options.pools);
}
