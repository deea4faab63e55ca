import type { SqliteDatabase } from './sqlite';

/** Remembers every click handled, so a click Slack delivers twice is acted on once. */
export interface ClickLedger {
  /** True the first time a key is claimed, false for every repeat. */
  claim(key: string, at: Date): boolean;
}

export function sqliteClickLedger(db: SqliteDatabase): ClickLedger {
  const insert = db.prepare('INSERT OR IGNORE INTO clicks (key, at) VALUES (?, ?)');
  return { claim: (key, at) => insert.run(key, at.toISOString()).changes === 1 };
}
