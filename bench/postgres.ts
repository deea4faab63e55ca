// PostgreSQL for the bench's multi-replica figures: where it is, whether it answers, and a fresh database per
// measurement (created with CREATE DATABASE, dropped WITH (FORCE) afterwards, as the store tests do).
import pg from 'pg';
import { freshDatabase } from '../test/store/postgres-db';

/** The machine's own PostgreSQL, trust auth; DATABASE_URL overrides it. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export const postgresUrl = () => process.env.DATABASE_URL || DEFAULT_POSTGRES_URL;

/** A URL with any password replaced, fit to print and to keep in results.json. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/** What a section reports instead of figures when PostgreSQL cannot be used. */
export interface Skipped {
  skipped: true;
  reason: string;
}

export const isSkipped = (r: object): r is Skipped => (r as Partial<Skipped>).skipped === true;

/** Null when PostgreSQL answers at `url` and lets us create a database; else why not, in one line. */
export async function postgresProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {}); // a connection dropped after the answer must not crash the bench
  try {
    await client.connect();
    const { rows } = await client.query<{ may: boolean }>('SELECT rolcreatedb OR rolsuper AS may FROM pg_roles WHERE rolname = current_user');
    return rows[0]?.may ? null : 'the role may not CREATE DATABASE';
  } catch (error) {
    const e = error as Error & { code?: string };
    return `${e.code ? `${e.code}: ` : ''}${e.message || String(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `use` on a database of its own, dropped afterwards whatever happens. */
export async function withFreshDatabase<T>(baseUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const db = await freshDatabase(baseUrl);
  try {
    return await use(db.url);
  } finally {
    await db.drop();
  }
}

/** One query on its own connection. */
export async function queryOnce<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}
