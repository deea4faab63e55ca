import type { Problem } from '../../blocks/alert';
import type { SqliteDatabase } from './sqlite';

export interface AlertRecord {
  channel: string;
  key: string;
  /** The alert message; null only between reserving the alert and Slack accepting the post. */
  ts: string | null;
  state: 'open' | 'resolved';
  problem: Problem;
  fingerprint: string;
  openedAt: Date;
  notifiedAt: Date;
  resolvedAt: Date | null;
  snoozedUntil: Date | null;
  snoozedBy: string | null;
}

export interface CheckHealth {
  failures: number;
  failingSince: Date | null;
  noticeTs: string | null;
}

/** What each alert channel has been told, so nothing is posted twice, even across restarts. */
export interface AlertStore {
  get(channel: string, key: string): AlertRecord | undefined;
  open(channel: string): AlertRecord[];
  save(record: AlertRecord): void;
  remove(channel: string, key: string): void;
  health(channel: string): CheckHealth;
  saveHealth(channel: string, health: CheckHealth): void;
}

interface AlertRow {
  channel: string;
  key: string;
  ts: string | null;
  state: 'open' | 'resolved';
  problem: string;
  fingerprint: string;
  opened_at: string;
  notified_at: string;
  resolved_at: string | null;
  snoozed_until: string | null;
  snoozed_by: string | null;
}

const date = (text: string | null) => (text === null ? null : new Date(text));

const fromRow = (r: AlertRow): AlertRecord => ({
  channel: r.channel,
  key: r.key,
  ts: r.ts,
  state: r.state,
  problem: JSON.parse(r.problem) as Problem,
  fingerprint: r.fingerprint,
  openedAt: new Date(r.opened_at),
  notifiedAt: new Date(r.notified_at),
  resolvedAt: date(r.resolved_at),
  snoozedUntil: date(r.snoozed_until),
  snoozedBy: r.snoozed_by,
});

export function sqliteAlertStore(db: SqliteDatabase): AlertStore {
  const get = db.prepare<[string, string], AlertRow>('SELECT * FROM alerts WHERE channel = ? AND key = ?');
  const open = db.prepare<[string], AlertRow>("SELECT * FROM alerts WHERE channel = ? AND state = 'open' ORDER BY opened_at");
  const save = db.prepare(
    `INSERT INTO alerts (channel, key, ts, state, problem, fingerprint, opened_at, notified_at, resolved_at, snoozed_until, snoozed_by)
     VALUES (@channel, @key, @ts, @state, @problem, @fingerprint, @opened_at, @notified_at, @resolved_at, @snoozed_until, @snoozed_by)
     ON CONFLICT (channel, key) DO UPDATE SET ts = excluded.ts, state = excluded.state, problem = excluded.problem,
       fingerprint = excluded.fingerprint, opened_at = excluded.opened_at, notified_at = excluded.notified_at,
       resolved_at = excluded.resolved_at, snoozed_until = excluded.snoozed_until, snoozed_by = excluded.snoozed_by`,
  );
  const remove = db.prepare('DELETE FROM alerts WHERE channel = ? AND key = ?');
  const health = db.prepare<[string], { failures: number; failing_since: string | null; notice_ts: string | null }>(
    'SELECT failures, failing_since, notice_ts FROM check_health WHERE channel = ?',
  );
  const saveHealth = db.prepare(
    `INSERT INTO check_health (channel, failures, failing_since, notice_ts) VALUES (?, ?, ?, ?)
     ON CONFLICT (channel) DO UPDATE SET failures = excluded.failures, failing_since = excluded.failing_since, notice_ts = excluded.notice_ts`,
  );
  return {
    get: (channel, key) => {
      const row = get.get(channel, key);
      return row ? fromRow(row) : undefined;
    },
    open: (channel) => open.all(channel).map(fromRow),
    save: (r) =>
      save.run({
        channel: r.channel,
        key: r.key,
        ts: r.ts,
        state: r.state,
        problem: JSON.stringify(r.problem),
        fingerprint: r.fingerprint,
        opened_at: r.openedAt.toISOString(),
        notified_at: r.notifiedAt.toISOString(),
        resolved_at: r.resolvedAt?.toISOString() ?? null,
        snoozed_until: r.snoozedUntil?.toISOString() ?? null,
        snoozed_by: r.snoozedBy,
      }),
    remove: (channel, key) => void remove.run(channel, key),
    health: (channel) => {
      const row = health.get(channel);
      return row
        ? { failures: row.failures, failingSince: date(row.failing_since), noticeTs: row.notice_ts }
        : { failures: 0, failingSince: null, noticeTs: null };
    },
    saveHealth: (channel, h) => void saveHealth.run(channel, h.failures, h.failingSince?.toISOString() ?? null, h.noticeTs),
  };
}
