const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * One kind of row that is kept only for a while: rows whose `column` lies more than `keepMs` before now
 * are deleted by the hourly prune job, on both stores. A table whose rows carry their own expiry (say,
 * pending confirmations with `expires_at`) joins with `keepMs: 0`, or with a grace period during which an
 * expired id can still be told apart from an unknown one.
 */
export interface Retention {
  table: string;
  /** A timestamp column: ISO text in SQLite, TIMESTAMPTZ in PostgreSQL. */
  column: string;
  keepMs: number;
  /** Only rows that also match this condition, written in SQL both databases read alike. */
  only?: string;
}

export const RETENTION: readonly Retention[] = [
  // A click key is only ever presented again by Slack's redeliveries (the last about 5 minutes after the first
  // attempt) or by a replay, which request verification refuses once the signed timestamp is 5 minutes old.
  // Ten minutes after a key was claimed nothing valid can repeat it; a day leaves a wide margin for clock skew
  // and slow queues, and keeps the table at one day of clicks.
  { table: 'clicks', column: 'at', keepMs: DAY },
  // A resolved alert's record matters while a snooze set before it resolved runs (at most until 9:00 the next
  // day) and while its problem may come back and reopen it (cooldown_hours, at most a week, which this keeps).
  { table: 'alerts', column: 'resolved_at', keepMs: 7 * DAY, only: "state = 'resolved'" },
  // A copy decides an update only against a click Slack showed after it was written (src/slack/message-updates.ts);
  // clicks are handled within minutes, so a copy not rewritten for a day never decides anything again.
  { table: 'messages', column: 'written_at', keepMs: DAY },
  // A pending change is usable until it expires; for a day after, its id is still answered "expired" rather
  // than "unknown", which tells the person what happened.
  { table: 'pending_changes', column: 'expires_at', keepMs: DAY },
  // A channel's mention count only decides mentions on its own local day; two days cover every time zone's.
  { table: 'alert_mentions', column: 'first_at', keepMs: 2 * DAY },
  // A firing decides caps (a day), cooldowns (action_cooldown_hours, at most 30 days) and reverts (at most a week
  // after acting); one still awaiting or acting is never dropped, whatever its age.
  { table: 'rule_firings', column: 'fired_at', keepMs: 31 * DAY, only: "state NOT IN ('awaiting', 'acting') AND (revert_at IS NULL OR state <> 'done')" },
];

/** The moment before which a rule's rows go. */
export const cutoff = (rule: Retention, now: Date): Date => new Date(now.getTime() - rule.keepMs);

export const pruneSql = (rule: Retention, placeholder: string): string =>
  `DELETE FROM ${rule.table} WHERE ${rule.column} < ${placeholder}${rule.only ? ` AND (${rule.only})` : ''}`;
