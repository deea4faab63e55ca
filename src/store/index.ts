import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite-store';
import type { Store } from './types';

export type { Store } from './types';

/** PostgreSQL when DATABASE_URL is set (several replicas), else the embedded SQLite file. */
export function openStore(options: { databaseUrl?: string; sqlitePath: string; onIdleError?: (err: Error) => void }): Promise<Store> {
  if (!options.databaseUrl) return Promise.resolve(openSqliteStore(options.sqlitePath));
  return openPostgresStore(options.databaseUrl, options.onIdleError ?? (() => {}));
}
