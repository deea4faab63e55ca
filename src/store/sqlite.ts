import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Versioned migrations, applied in order once each; the schema version lives in SQLite's user_version. */
const MIGRATIONS: string[] = [
  `CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     user_id TEXT NOT NULL,
     action TEXT NOT NULL,
     entity_kind TEXT NOT NULL,
     entity_id TEXT NOT NULL,
     entity_title TEXT,
     before TEXT,
     after TEXT,
     channel TEXT,
     message_ts TEXT,
     outcome TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX audit_entity ON audit (entity_id, at);
   CREATE TABLE clicks (
     key TEXT PRIMARY KEY,
     at TEXT NOT NULL
   );`,
  `CREATE TABLE alerts (
     channel TEXT NOT NULL,
     key TEXT NOT NULL,
     ts TEXT,
     state TEXT NOT NULL,
     problem TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     opened_at TEXT NOT NULL,
     notified_at TEXT NOT NULL,
     resolved_at TEXT,
     snoozed_until TEXT,
     snoozed_by TEXT,
     PRIMARY KEY (channel, key)
   );
   CREATE TABLE check_health (
     channel TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     failing_since TEXT,
     notice_ts TEXT
   );`,
  `CREATE TABLE schedule_leases (
     key TEXT PRIMARY KEY,
     taken_at TEXT NOT NULL
   );`,
  `CREATE TABLE messages (
     channel TEXT NOT NULL,
     ts TEXT NOT NULL,
     blocks TEXT NOT NULL,
     written_at TEXT NOT NULL,
     PRIMARY KEY (channel, ts)
   );
   CREATE INDEX messages_written_at ON messages (written_at);
   CREATE INDEX clicks_at ON clicks (at);`,
  `CREATE TABLE pending_changes (
     id TEXT PRIMARY KEY,
     purpose TEXT NOT NULL,
     requester TEXT NOT NULL,
     team_id TEXT,
     plan TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     used_at TEXT
   );
   CREATE INDEX pending_changes_expiry ON pending_changes (expires_at);
   ALTER TABLE audit ADD COLUMN reason TEXT;`,
  // v6 (alert floors): the last check's tally of ad groups its rules left unjudged, one row per alert channel.
  `CREATE TABLE alert_skips (
     channel TEXT PRIMARY KEY,
     checked_at TEXT NOT NULL,
     skipped TEXT NOT NULL
   );`,
  // v7, alert calm (issue 12: no flapping, no shouting).
  `ALTER TABLE alerts ADD COLUMN snoozed_until_recovered INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE alerts ADD COLUMN healthy_checks INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE alerts ADD COLUMN group_ts TEXT;
   CREATE INDEX alerts_message ON alerts (channel, ts);
   CREATE TABLE alert_mentions (
     channel TEXT NOT NULL,
     day TEXT NOT NULL,
     count INTEGER NOT NULL,
     first_at TEXT NOT NULL,
     PRIMARY KEY (channel, day)
   );`,
  // v8, rules that act (issue 13): one row per firing of a rule with an action.
  `CREATE TABLE rule_firings (
     id TEXT PRIMARY KEY,
     channel TEXT NOT NULL,
     alert_key TEXT NOT NULL,
     rule TEXT NOT NULL,
     mode TEXT NOT NULL,
     entity_kind TEXT NOT NULL,
     entity_id TEXT NOT NULL,
     entity_title TEXT,
     plan TEXT NOT NULL,
     why TEXT NOT NULL,
     state TEXT NOT NULL,
     fired_at TEXT NOT NULL,
     expires_at TEXT,
     acted_at TEXT,
     acted_by TEXT,
     revert_at TEXT,
     message_ts TEXT,
     detail TEXT
   );
   CREATE INDEX rule_firings_channel_state ON rule_firings (channel, state);
   CREATE INDEX rule_firings_acted ON rule_firings (acted_at);
   CREATE INDEX rule_firings_revert ON rule_firings (revert_at);`,
  // v9, App Home (issue 14): each scheduled job's last run, and what happens once ever (onboarding, a guided start).
  `CREATE TABLE job_runs (
     job TEXT PRIMARY KEY,
     started_at TEXT NOT NULL,
     finished_at TEXT NOT NULL,
     outcome TEXT NOT NULL,
     detail TEXT
   );
   CREATE TABLE first_times (
     key TEXT PRIMARY KEY,
     at TEXT NOT NULL
   );`,
  // v10, the morning summary (issue 16): each channel's newest digest, which the summary links to.
  `CREATE TABLE digest_posts (
     channel TEXT PRIMARY KEY,
     ts TEXT NOT NULL,
     posted_at TEXT NOT NULL
   );`,
];

export type SqliteDatabase = Database.Database;

export function openSqlite(path: string): SqliteDatabase {
  if (path !== ':memory:' && path !== '') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // The audit log names people and ads: a new file is the owner's alone, and SQLite gives the -wal and -shm
    // files it creates the database file's mode. An existing file keeps the mode its owner gave it.
    closeSync(openSync(path, 'a', 0o600));
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) {
      // biome-ignore lint/style/noNonNullAssertion: version < MIGRATIONS.length, checked by the loop
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
  })();
  return db;
}
