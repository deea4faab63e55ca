import { KeyedLock } from '../keyed-lock';
import { newPendingId } from './pending-id';
import { cutoff, pruneSql, RETENTION } from './retention';
import {
  type AlertRow,
  type AuditRow,
  alertFromRow,
  auditFromRow,
  FIRING_PATCH_COLUMNS,
  type FiringRow,
  firingFromRow,
  type JobRunRow,
  jobRunFromRow,
  type MessageRow,
  messageFromRow,
  type PendingRow,
  pendingLookup,
} from './rows';
import { openSqlite } from './sqlite';
import type { StoreLocks } from './thread-locks';
import type { AccountStore, Firing, FiringPatch, Store } from './types';

/**
 * One process on an embedded file: locks are in-process. A second thread on the same file takes them from the first
 * (`lent`, see thread-locks.ts), so a click and a scheduled rule action never hold one ad at once.
 */
export function openSqliteStore(path: string, lent?: StoreLocks): Store {
  const db = openSqlite(path);
  const { locks, messageLocks } = lent ?? { locks: new KeyedLock(), messageLocks: new KeyedLock() };
  const insertAudit = db.prepare(
    `INSERT INTO audit (account, at, user_id, action, entity_kind, entity_id, entity_title, before, after, channel, message_ts, outcome, reason, detail)
     VALUES (@account, @at, @user_id, @action, @entity_kind, @entity_id, @entity_title, @before, @after, @channel, @message_ts, @outcome, @reason, @detail)`,
  );
  const auditOf = db.prepare<[string, string], AuditRow>('SELECT * FROM audit WHERE account = ? AND entity_id = ? ORDER BY id');
  // `at` is ISO text in UTC throughout, so comparing it as text orders it as time.
  const doneSince = db.prepare<[string, string, string, number], AuditRow>(
    `SELECT * FROM audit WHERE account = ? AND entity_id IN (SELECT value FROM json_each(?)) AND at >= ? AND outcome = 'done' ORDER BY at DESC, id DESC LIMIT ?`,
  );
  const recentAudit = db.prepare<[string, number, number], AuditRow>('SELECT * FROM audit WHERE account = ? ORDER BY id DESC LIMIT ? OFFSET ?');
  const claim = db.prepare('INSERT OR IGNORE INTO clicks (key, at) VALUES (?, ?)');
  const saveRun = db.prepare(
    `INSERT INTO job_runs (account, job, started_at, finished_at, outcome, detail, message_ts) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (account, job) DO UPDATE SET started_at = excluded.started_at, finished_at = excluded.finished_at, outcome = excluded.outcome,
       detail = excluded.detail, message_ts = excluded.message_ts`,
  );
  const lastRuns = db.prepare<[string, string], JobRunRow>('SELECT * FROM job_runs WHERE account = ? AND job IN (SELECT value FROM json_each(?))');
  const claimFirst = db.prepare('INSERT OR IGNORE INTO first_times (key, at) VALUES (?, ?)');
  const getAlert = db.prepare<[string, string, string], AlertRow>('SELECT * FROM alerts WHERE account = ? AND channel = ? AND key = ?');
  const openAlerts = db.prepare<[string, string], AlertRow>("SELECT * FROM alerts WHERE account = ? AND channel = ? AND state = 'open' ORDER BY opened_at");
  const saveAlert = db.prepare(
    `INSERT INTO alerts (account, channel, key, ts, state, problem, fingerprint, opened_at, notified_at, resolved_at, snoozed_until, snoozed_by,
       snoozed_until_recovered, healthy_checks, group_ts)
     VALUES (@account, @channel, @key, @ts, @state, @problem, @fingerprint, @opened_at, @notified_at, @resolved_at, @snoozed_until, @snoozed_by,
       @snoozed_until_recovered, @healthy_checks, @group_ts)
     ON CONFLICT (account, channel, key) DO UPDATE SET ts = excluded.ts, state = excluded.state, problem = excluded.problem,
       fingerprint = excluded.fingerprint, opened_at = excluded.opened_at, notified_at = excluded.notified_at,
       resolved_at = excluded.resolved_at, snoozed_until = excluded.snoozed_until, snoozed_by = excluded.snoozed_by,
       snoozed_until_recovered = excluded.snoozed_until_recovered, healthy_checks = excluded.healthy_checks, group_ts = excluded.group_ts`,
  );
  const alertsInMessage = db.prepare<[string, string, string], AlertRow>('SELECT * FROM alerts WHERE account = ? AND channel = ? AND ts = ? ORDER BY opened_at, key');
  const countMention = db.prepare<[string, string, string], { count: number }>(
    `INSERT INTO alert_mentions (channel, day, count, first_at) VALUES (?, ?, 1, ?)
     ON CONFLICT (channel, day) DO UPDATE SET count = count + 1 RETURNING count`,
  );
  const removeAlert = db.prepare('DELETE FROM alerts WHERE account = ? AND channel = ? AND key = ?');
  const getMessage = db.prepare<[string, string], MessageRow>('SELECT blocks, written_at FROM messages WHERE channel = ? AND ts = ?');
  const saveMessage = db.prepare(
    `INSERT INTO messages (channel, ts, blocks, written_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (channel, ts) DO UPDATE SET blocks = excluded.blocks, written_at = excluded.written_at`,
  );
  const prunes = RETENTION.map((rule) => ({ rule, statement: db.prepare(pruneSql(rule, '?')) }));
  const takeLease = db.prepare('INSERT OR IGNORE INTO schedule_leases (key, taken_at) VALUES (?, ?)');
  const pruneLeases = db.prepare('DELETE FROM schedule_leases WHERE taken_at < ?');
  const health = db.prepare<[string, string], { failures: number; failing_since: string | null; notice_ts: string | null }>(
    'SELECT failures, failing_since, notice_ts FROM check_health WHERE account = ? AND channel = ?',
  );
  const saveHealth = db.prepare(
    `INSERT INTO check_health (account, channel, failures, failing_since, notice_ts) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account, channel) DO UPDATE SET failures = excluded.failures, failing_since = excluded.failing_since, notice_ts = excluded.notice_ts`,
  );
  const skips = db.prepare<[string, string], { checked_at: string; skipped: string }>('SELECT checked_at, skipped FROM alert_skips WHERE account = ? AND channel = ?');
  const saveSkips = db.prepare(
    `INSERT INTO alert_skips (account, channel, checked_at, skipped) VALUES (?, ?, ?, ?)
     ON CONFLICT (account, channel) DO UPDATE SET checked_at = excluded.checked_at, skipped = excluded.skipped`,
  );

  const insertPending = db.prepare(
    `INSERT INTO pending_changes (account, id, purpose, requester, team_id, plan, created_at, expires_at)
     VALUES (@account, @id, @purpose, @requester, @team_id, @plan, @created_at, @expires_at)`,
  );
  const pendingById = db.prepare<[string, string], PendingRow>('SELECT * FROM pending_changes WHERE account = ? AND id = ?');
  const usePending = db.prepare<[string, string, string, string], PendingRow>(
    'UPDATE pending_changes SET used_at = ? WHERE account = ? AND id = ? AND used_at IS NULL AND expires_at > ? RETURNING *',
  );

  const insertFiring = db.prepare(
    `INSERT OR IGNORE INTO rule_firings (account, id, channel, alert_key, rule, mode, entity_kind, entity_id, entity_title, plan, why, state, fired_at,
       expires_at, acted_at, acted_by, revert_at, message_ts, detail)
     VALUES (@account, @id, @channel, @alert_key, @rule, @mode, @entity_kind, @entity_id, @entity_title, @plan, @why, @state, @fired_at,
       @expires_at, @acted_at, @acted_by, @revert_at, @message_ts, @detail)`,
  );
  const firingById = db.prepare<[string, string], FiringRow>('SELECT * FROM rule_firings WHERE account = ? AND id = ?');
  const unfinishedFirings = db.prepare<[string, string], FiringRow>(
    `SELECT * FROM rule_firings WHERE account = ? AND channel = ? AND (state IN ('awaiting', 'acting') OR (state = 'done' AND message_ts IS NULL)) ORDER BY fired_at, id`,
  );
  const dueReverts = db.prepare<[string, string], FiringRow>("SELECT * FROM rule_firings WHERE account = ? AND state = 'done' AND revert_at <= ? ORDER BY revert_at, id");
  const actedSince = db.prepare<[{ account: string; since: string; rule: string | null; entity: string | null }], FiringRow>(
    'SELECT * FROM rule_firings WHERE account = @account AND acted_at >= @since AND (@rule IS NULL OR rule = @rule) AND (@entity IS NULL OR entity_id = @entity) ORDER BY acted_at, id',
  );
  const iso = (d: Date | null) => d?.toISOString() ?? null;

  const forAccount = (account: string): AccountStore => ({
    audit: {
      record: async (e) => {
        insertAudit.run({
          account,
          at: e.at.toISOString(),
          user_id: e.userId,
          action: e.action,
          entity_kind: e.entityKind,
          entity_id: e.entityId,
          entity_title: e.entityTitle,
          before: e.before,
          after: e.after,
          channel: e.channel,
          message_ts: e.messageTs,
          outcome: e.outcome,
          reason: e.reason,
          detail: e.detail,
        });
      },
      forEntity: async (entityId) => auditOf.all(account, entityId).map(auditFromRow),
      doneSince: async (entityIds, since, limit) => doneSince.all(account, JSON.stringify(entityIds), since.toISOString(), limit).map(auditFromRow),
      recent: async (limit, offset) => recentAudit.all(account, limit, offset).map(auditFromRow),
    },
    runs: {
      record: async (r) => {
        saveRun.run(account, r.job, r.startedAt.toISOString(), r.finishedAt.toISOString(), r.outcome, r.detail, r.messageTs);
      },
      last: async (jobs) => new Map(lastRuns.all(account, JSON.stringify(jobs)).map((row) => [row.job, jobRunFromRow(row)])),
    },
    alerts: {
      get: async (channel, key) => {
        const row = getAlert.get(account, channel, key);
        return row ? alertFromRow(row) : undefined;
      },
      open: async (channel) => openAlerts.all(account, channel).map(alertFromRow),
      save: async (r) => {
        saveAlert.run({
          account,
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
          snoozed_until_recovered: r.snoozedUntilRecovered ? 1 : 0,
          healthy_checks: r.healthyChecks,
          group_ts: r.groupTs,
        });
      },
      inMessage: async (channel, ts) => alertsInMessage.all(account, channel, ts).map(alertFromRow),
      // biome-ignore lint/style/noNonNullAssertion: an upsert with RETURNING always answers one row
      countMention: async (channel, day, at) => countMention.get(channel, day, at.toISOString())!.count,
      remove: async (channel, key) => {
        removeAlert.run(account, channel, key);
      },
      health: async (channel) => {
        const row = health.get(account, channel);
        return row
          ? { failures: row.failures, failingSince: row.failing_since === null ? null : new Date(row.failing_since), noticeTs: row.notice_ts }
          : { failures: 0, failingSince: null, noticeTs: null };
      },
      saveHealth: async (channel, h) => {
        saveHealth.run(account, channel, h.failures, h.failingSince?.toISOString() ?? null, h.noticeTs);
      },
      skips: async (channel) => {
        const row = skips.get(account, channel);
        return row ? { checkedAt: new Date(row.checked_at), skipped: JSON.parse(row.skipped) } : undefined;
      },
      saveSkips: async (channel, s) => {
        saveSkips.run(account, channel, s.checkedAt.toISOString(), JSON.stringify(s.skipped));
      },
    },
    firings: {
      claim: async (f: Firing) =>
        insertFiring.run({
          account,
          id: f.id,
          channel: f.channel,
          alert_key: f.alertKey,
          rule: f.rule,
          mode: f.mode,
          entity_kind: f.entityKind,
          entity_id: f.entityId,
          entity_title: f.entityTitle,
          plan: JSON.stringify(f.plan),
          why: f.why,
          state: f.state,
          fired_at: f.firedAt.toISOString(),
          expires_at: iso(f.expiresAt),
          acted_at: iso(f.actedAt),
          acted_by: f.actedBy,
          revert_at: iso(f.revertAt),
          message_ts: f.messageTs,
          detail: f.detail,
        }).changes === 1,
      get: async (id) => {
        const row = firingById.get(account, id);
        return row ? firingFromRow(row) : undefined;
      },
      move: async (id, from, to, patch: FiringPatch = {}) => {
        const entries = Object.entries(patch) as [keyof FiringPatch, unknown][];
        const sets = entries.map(([key]) => `${FIRING_PATCH_COLUMNS[key]} = ?`);
        const values = entries.map(([key, value]) => (key === 'plan' ? JSON.stringify(value) : value instanceof Date ? value.toISOString() : (value as string | null)));
        const row = db
          .prepare<unknown[], FiringRow>(
            `UPDATE rule_firings SET ${['state = ?', ...sets].join(', ')} WHERE account = ? AND id = ? AND state IN (SELECT value FROM json_each(?)) RETURNING *`,
          )
          .get(to, ...values, account, id, JSON.stringify(from));
        return row ? firingFromRow(row) : undefined;
      },
      unfinished: async (channel) => unfinishedFirings.all(account, channel).map(firingFromRow),
      dueReverts: async (now) => dueReverts.all(account, now.toISOString()).map(firingFromRow),
      actedSince: async (since, filter = {}) =>
        actedSince.all({ account, since: since.toISOString(), rule: filter.rule ?? null, entity: filter.entityId ?? null }).map(firingFromRow),
    },
    pending: {
      create: async (change) => {
        const stored = { ...change, id: newPendingId() };
        insertPending.run({
          account,
          id: stored.id,
          purpose: stored.purpose,
          requester: stored.requester,
          team_id: stored.teamId,
          plan: JSON.stringify(stored.plan),
          created_at: stored.createdAt.toISOString(),
          expires_at: stored.expiresAt.toISOString(),
        });
        return stored;
      },
      peek: async (id, now) => pendingLookup(pendingById.get(account, id), now),
      take: async (id, now) => {
        const at = now.toISOString();
        const used = usePending.get(at, account, id, at);
        return used ? pendingLookup({ ...used, used_at: null }, now) : pendingLookup(pendingById.get(account, id), now);
      },
    },
  });

  return {
    kind: 'sqlite',
    forAccount,
    clicks: { claim: async (key, at) => claim.run(key, at.toISOString()).changes === 1 },
    firsts: { claim: async (key, at) => claimFirst.run(key, at.toISOString()).changes === 1 },
    messages: {
      get: async (channel, ts) => {
        const row = getMessage.get(channel, ts);
        return row ? messageFromRow(row) : undefined;
      },
      save: async (channel, ts, copy) => {
        saveMessage.run(channel, ts, JSON.stringify(copy.blocks), copy.writtenAt.toISOString());
      },
    },
    prune: async (now) => Object.fromEntries(prunes.map(({ rule, statement }) => [rule.table, statement.run(cutoff(rule, now).toISOString()).changes])),
    locks,
    messageLocks,
    coordinator: {
      // The same record of fires as with PostgreSQL: a restarted process never runs a fire twice.
      shouldRun: async (key) => {
        const now = new Date();
        pruneLeases.run(new Date(now.getTime() - 86_400_000).toISOString());
        return takeLease.run(key, now.toISOString()).changes === 1;
      },
    },
    ping: async () => db.open,
    close: async () => {
      await Promise.all([locks.idle(), messageLocks.idle()]);
      db.close();
    },
  };
}
