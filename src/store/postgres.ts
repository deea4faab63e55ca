import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { KeyedLock } from '../keyed-lock';
import type { Skipped } from '../model';
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
import type { AccountStore, AuditEntry, Firing, FiringPatch, Locks, Store } from './types';

/** Versioned migrations; a transaction-scoped advisory lock makes replicas starting together apply each once. */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE audit (
     id BIGSERIAL PRIMARY KEY,
     at TIMESTAMPTZ NOT NULL,
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
   CREATE TABLE clicks (key TEXT PRIMARY KEY, at TIMESTAMPTZ NOT NULL);`,
  `CREATE TABLE alerts (
     channel TEXT NOT NULL,
     key TEXT NOT NULL,
     ts TEXT,
     state TEXT NOT NULL,
     problem JSONB NOT NULL,
     fingerprint TEXT NOT NULL,
     opened_at TIMESTAMPTZ NOT NULL,
     notified_at TIMESTAMPTZ NOT NULL,
     resolved_at TIMESTAMPTZ,
     snoozed_until TIMESTAMPTZ,
     snoozed_by TEXT,
     PRIMARY KEY (channel, key)
   );
   CREATE TABLE check_health (
     channel TEXT PRIMARY KEY,
     failures INTEGER NOT NULL,
     failing_since TIMESTAMPTZ,
     notice_ts TEXT
   );`,
  `CREATE TABLE schedule_leases (
     key TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     taken_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     expires_at TIMESTAMPTZ NOT NULL
   );`,
  `CREATE TABLE messages (
     channel TEXT NOT NULL,
     ts TEXT NOT NULL,
     blocks JSONB NOT NULL,
     written_at TIMESTAMPTZ NOT NULL,
     PRIMARY KEY (channel, ts)
   );
   CREATE INDEX messages_written_at ON messages (written_at);
   CREATE INDEX clicks_at ON clicks (at);`,
  `CREATE TABLE pending_changes (
     id TEXT PRIMARY KEY,
     purpose TEXT NOT NULL,
     requester TEXT NOT NULL,
     team_id TEXT,
     plan JSONB NOT NULL,
     created_at TIMESTAMPTZ NOT NULL,
     expires_at TIMESTAMPTZ NOT NULL,
     used_at TIMESTAMPTZ
   );
   CREATE INDEX pending_changes_expiry ON pending_changes (expires_at);
   ALTER TABLE audit ADD COLUMN reason TEXT;`,
  // v6 (alert floors): the last check's tally of ad groups its rules left unjudged, one row per alert channel.
  `CREATE TABLE alert_skips (
     channel TEXT PRIMARY KEY,
     checked_at TIMESTAMPTZ NOT NULL,
     skipped JSONB NOT NULL
   );`,
  // v7, alert calm (issue 12: no flapping, no shouting).
  `ALTER TABLE alerts ADD COLUMN snoozed_until_recovered BOOLEAN NOT NULL DEFAULT false;
   ALTER TABLE alerts ADD COLUMN healthy_checks INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE alerts ADD COLUMN group_ts TEXT;
   CREATE INDEX alerts_message ON alerts (channel, ts);
   CREATE TABLE alert_mentions (
     channel TEXT NOT NULL,
     day TEXT NOT NULL,
     count INTEGER NOT NULL,
     first_at TIMESTAMPTZ NOT NULL,
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
     plan JSONB NOT NULL,
     why TEXT NOT NULL,
     state TEXT NOT NULL,
     fired_at TIMESTAMPTZ NOT NULL,
     expires_at TIMESTAMPTZ,
     acted_at TIMESTAMPTZ,
     acted_by TEXT,
     revert_at TIMESTAMPTZ,
     message_ts TEXT,
     detail TEXT
   );
   CREATE INDEX rule_firings_channel_state ON rule_firings (channel, state);
   CREATE INDEX rule_firings_acted ON rule_firings (acted_at);
   CREATE INDEX rule_firings_revert ON rule_firings (revert_at);`,
  // v9, App Home (issue 14): each scheduled job's last run, and what happens once ever (onboarding, a guided start).
  `CREATE TABLE job_runs (
     job TEXT PRIMARY KEY,
     started_at TIMESTAMPTZ NOT NULL,
     finished_at TIMESTAMPTZ NOT NULL,
     outcome TEXT NOT NULL,
     detail TEXT
   );
   CREATE TABLE first_times (
     key TEXT PRIMARY KEY,
     at TIMESTAMPTZ NOT NULL
   );`,
  // v10, many Whop accounts (issue 16): the rows of one account apart from another's; every existing row is the one
  // account there was, `default`. Tables keyed by channel or job are keyed by account first.
  `ALTER TABLE audit ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
   CREATE INDEX audit_account ON audit (account, id);
   ALTER TABLE pending_changes ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE rule_firings ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
   DROP INDEX rule_firings_channel_state;
   CREATE INDEX rule_firings_channel_state ON rule_firings (account, channel, state);
   ALTER TABLE alerts ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE alerts DROP CONSTRAINT alerts_pkey, ADD PRIMARY KEY (account, channel, key);
   DROP INDEX alerts_message;
   CREATE INDEX alerts_message ON alerts (account, channel, ts);
   ALTER TABLE check_health ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE check_health DROP CONSTRAINT check_health_pkey, ADD PRIMARY KEY (account, channel);
   ALTER TABLE alert_skips ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE alert_skips DROP CONSTRAINT alert_skips_pkey, ADD PRIMARY KEY (account, channel);
   ALTER TABLE job_runs ADD COLUMN account TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE job_runs ADD COLUMN message_ts TEXT;
   ALTER TABLE job_runs DROP CONSTRAINT job_runs_pkey, ADD PRIMARY KEY (account, job);`,
];

const MIGRATION_LOCK = 7_220_417;

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    for (let version = rows[0]?.version ?? 0; version < POSTGRES_MIGRATIONS.length; version++) {
      // biome-ignore lint/style/noNonNullAssertion: version < POSTGRES_MIGRATIONS.length, checked by the loop
      await client.query(POSTGRES_MIGRATIONS[version]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/** In-process first (no pool connection held while queueing), then a session advisory lock across replicas. */
function advisoryLocks(pool: pg.Pool): Locks {
  const local = new KeyedLock();
  return {
    run: (key, task) =>
      local.run(key, async () => {
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
          try {
            return await task();
          } finally {
            await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
          }
        } finally {
          client.release();
        }
      }),
    idle: () => local.idle(),
  };
}

/** At most this many connections per pool: queries, ad locks, message locks. */
export interface PoolSizes {
  queries: number;
  locks: number;
  messageLocks: number;
}

/** The bot's main thread, which serves every click at once. */
export const FULL_POOLS: PoolSizes = { queries: 10, locks: 15, messageLocks: 5 };

export async function openPostgresStore(url: string, onIdleError: (err: Error) => void, sizes: PoolSizes = FULL_POOLS): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: sizes.queries });
  // Advisory locks are held for a whole Whop round trip: on their own pool, so queries are never starved by them.
  const lockPool = new pg.Pool({ connectionString: url, max: sizes.locks });
  // Message locks are taken while ad locks are held: with one pool, ad locks holding every connection would
  // wait forever for a message lock's. One round of chat.update each, so a few connections suffice.
  const messageLockPool = new pg.Pool({ connectionString: url, max: sizes.messageLocks });
  // An idle connection the server drops (restart, failover) must not crash the process: the pool reconnects.
  for (const p of [pool, lockPool, messageLockPool]) p.on('error', onIdleError);
  await migrate(pool);
  const holder = randomUUID();
  const locks = advisoryLocks(lockPool);
  const messageLocks = advisoryLocks(messageLockPool);

  const forAccount = (account: string): AccountStore => ({
    audit: {
      record: async (e: AuditEntry) => {
        await pool.query(
          `INSERT INTO audit (account, at, user_id, action, entity_kind, entity_id, entity_title, before, after, channel, message_ts, outcome, reason, detail)
             VALUES ($14, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [e.at, e.userId, e.action, e.entityKind, e.entityId, e.entityTitle, e.before, e.after, e.channel, e.messageTs, e.outcome, e.reason, e.detail, account],
        );
      },
      forEntity: async (entityId) => {
        const { rows } = await pool.query<AuditRow>('SELECT * FROM audit WHERE account = $2 AND entity_id = $1 ORDER BY id', [entityId, account]);
        return rows.map(auditFromRow);
      },
      doneSince: async (entityIds, since, limit) => {
        const { rows } = await pool.query<AuditRow>(
          `SELECT * FROM audit WHERE account = $4 AND entity_id = ANY($1::text[]) AND at >= $2 AND outcome = 'done' ORDER BY at DESC, id DESC LIMIT $3`,
          [entityIds, since, limit, account],
        );
        return rows.map(auditFromRow);
      },
      recent: async (limit, offset) => {
        const { rows } = await pool.query<AuditRow>('SELECT * FROM audit WHERE account = $3 ORDER BY id DESC LIMIT $1 OFFSET $2', [limit, offset, account]);
        return rows.map(auditFromRow);
      },
    },
    runs: {
      record: async (r) => {
        await pool.query(
          `INSERT INTO job_runs (account, job, started_at, finished_at, outcome, detail, message_ts) VALUES ($7, $1, $2, $3, $4, $5, $6)
             ON CONFLICT (account, job) DO UPDATE SET started_at = $2, finished_at = $3, outcome = $4, detail = $5, message_ts = $6`,
          [r.job, r.startedAt, r.finishedAt, r.outcome, r.detail, r.messageTs, account],
        );
      },
      last: async (jobs) => {
        const { rows } = await pool.query<JobRunRow>('SELECT * FROM job_runs WHERE account = $2 AND job = ANY($1::text[])', [jobs, account]);
        return new Map(rows.map((row) => [row.job, jobRunFromRow(row)]));
      },
    },
    alerts: {
      get: async (channel, key) => {
        const { rows } = await pool.query<AlertRow>('SELECT * FROM alerts WHERE account = $3 AND channel = $1 AND key = $2', [channel, key, account]);
        return rows[0] ? alertFromRow(rows[0]) : undefined;
      },
      open: async (channel) => {
        const { rows } = await pool.query<AlertRow>("SELECT * FROM alerts WHERE account = $2 AND channel = $1 AND state = 'open' ORDER BY opened_at", [channel, account]);
        return rows.map(alertFromRow);
      },
      save: async (r) => {
        await pool.query(
          `INSERT INTO alerts (account, channel, key, ts, state, problem, fingerprint, opened_at, notified_at, resolved_at, snoozed_until, snoozed_by,
               snoozed_until_recovered, healthy_checks, group_ts)
             VALUES ($15, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
             ON CONFLICT (account, channel, key) DO UPDATE SET ts = $3, state = $4, problem = $5, fingerprint = $6, opened_at = $7,
               notified_at = $8, resolved_at = $9, snoozed_until = $10, snoozed_by = $11, snoozed_until_recovered = $12,
               healthy_checks = $13, group_ts = $14`,
          [
            r.channel,
            r.key,
            r.ts,
            r.state,
            JSON.stringify(r.problem),
            r.fingerprint,
            r.openedAt,
            r.notifiedAt,
            r.resolvedAt,
            r.snoozedUntil,
            r.snoozedBy,
            r.snoozedUntilRecovered,
            r.healthyChecks,
            r.groupTs,
            account,
          ],
        );
      },
      inMessage: async (channel, ts) => {
        const { rows } = await pool.query<AlertRow>('SELECT * FROM alerts WHERE account = $3 AND channel = $1 AND ts = $2 ORDER BY opened_at, key', [channel, ts, account]);
        return rows.map(alertFromRow);
      },
      countMention: async (channel, day, at) => {
        const { rows } = await pool.query<{ count: number }>(
          `INSERT INTO alert_mentions (channel, day, count, first_at) VALUES ($1, $2, 1, $3)
             ON CONFLICT (channel, day) DO UPDATE SET count = alert_mentions.count + 1 RETURNING count`,
          [channel, day, at],
        );
        // biome-ignore lint/style/noNonNullAssertion: an upsert with RETURNING always answers one row
        return rows[0]!.count;
      },
      remove: async (channel, key) => {
        await pool.query('DELETE FROM alerts WHERE account = $3 AND channel = $1 AND key = $2', [channel, key, account]);
      },
      health: async (channel) => {
        const { rows } = await pool.query('SELECT failures, failing_since, notice_ts FROM check_health WHERE account = $2 AND channel = $1', [channel, account]);
        const row = rows[0];
        return row ? { failures: row.failures, failingSince: row.failing_since, noticeTs: row.notice_ts } : { failures: 0, failingSince: null, noticeTs: null };
      },
      saveHealth: async (channel, h) => {
        await pool.query(
          `INSERT INTO check_health (account, channel, failures, failing_since, notice_ts) VALUES ($5, $1, $2, $3, $4)
             ON CONFLICT (account, channel) DO UPDATE SET failures = $2, failing_since = $3, notice_ts = $4`,
          [channel, h.failures, h.failingSince, h.noticeTs, account],
        );
      },
      skips: async (channel) => {
        const { rows } = await pool.query<{ checked_at: Date; skipped: Skipped }>('SELECT checked_at, skipped FROM alert_skips WHERE account = $2 AND channel = $1', [
          channel,
          account,
        ]);
        return rows[0] ? { checkedAt: rows[0].checked_at, skipped: rows[0].skipped } : undefined;
      },
      saveSkips: async (channel, s) => {
        await pool.query(
          `INSERT INTO alert_skips (account, channel, checked_at, skipped) VALUES ($4, $1, $2, $3)
             ON CONFLICT (account, channel) DO UPDATE SET checked_at = $2, skipped = $3`,
          [channel, s.checkedAt, JSON.stringify(s.skipped), account],
        );
      },
    },
    pending: {
      create: async (change) => {
        const stored = { ...change, id: newPendingId() };
        await pool.query('INSERT INTO pending_changes (account, id, purpose, requester, team_id, plan, created_at, expires_at) VALUES ($8, $1, $2, $3, $4, $5, $6, $7)', [
          stored.id,
          stored.purpose,
          stored.requester,
          stored.teamId,
          JSON.stringify(stored.plan),
          stored.createdAt,
          stored.expiresAt,
          account,
        ]);
        return stored;
      },
      peek: async (id, now) => {
        const { rows } = await pool.query<PendingRow>('SELECT * FROM pending_changes WHERE account = $2 AND id = $1', [id, account]);
        return pendingLookup(rows[0], now);
      },
      take: async (id, now) => {
        const { rows } = await pool.query<PendingRow>(
          'UPDATE pending_changes SET used_at = $2 WHERE account = $3 AND id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING *',
          [id, now, account],
        );
        if (rows[0]) return pendingLookup({ ...rows[0], used_at: null }, now);
        const { rows: seen } = await pool.query<PendingRow>('SELECT * FROM pending_changes WHERE account = $2 AND id = $1', [id, account]);
        return pendingLookup(seen[0], now);
      },
    },
    firings: {
      claim: async (f: Firing) => {
        const { rowCount } = await pool.query(
          `INSERT INTO rule_firings (account, id, channel, alert_key, rule, mode, entity_kind, entity_id, entity_title, plan, why, state, fired_at, expires_at,
               acted_at, acted_by, revert_at, message_ts, detail)
             VALUES ($19, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (id) DO NOTHING`,
          [
            f.id,
            f.channel,
            f.alertKey,
            f.rule,
            f.mode,
            f.entityKind,
            f.entityId,
            f.entityTitle,
            JSON.stringify(f.plan),
            f.why,
            f.state,
            f.firedAt,
            f.expiresAt,
            f.actedAt,
            f.actedBy,
            f.revertAt,
            f.messageTs,
            f.detail,
            account,
          ],
        );
        return rowCount === 1;
      },
      get: async (id) => {
        const { rows } = await pool.query<FiringRow>('SELECT * FROM rule_firings WHERE account = $2 AND id = $1', [id, account]);
        return rows[0] ? firingFromRow(rows[0]) : undefined;
      },
      move: async (id, from, to, patch: FiringPatch = {}) => {
        const entries = Object.entries(patch) as [keyof FiringPatch, unknown][];
        const sets = entries.map(([key], i) => `${FIRING_PATCH_COLUMNS[key]} = $${i + 5}`);
        const values = entries.map(([key, value]) => (key === 'plan' ? JSON.stringify(value) : value));
        const { rows } = await pool.query<FiringRow>(
          `UPDATE rule_firings SET ${['state = $3', ...sets].join(', ')} WHERE account = $4 AND id = $1 AND state = ANY($2::text[]) RETURNING *`,
          [id, from, to, account, ...values],
        );
        return rows[0] ? firingFromRow(rows[0]) : undefined;
      },
      unfinished: async (channel) => {
        const { rows } = await pool.query<FiringRow>(
          `SELECT * FROM rule_firings WHERE account = $2 AND channel = $1 AND (state IN ('awaiting', 'acting') OR (state = 'done' AND message_ts IS NULL)) ORDER BY fired_at, id`,
          [channel, account],
        );
        return rows.map(firingFromRow);
      },
      dueReverts: async (now) => {
        const { rows } = await pool.query<FiringRow>("SELECT * FROM rule_firings WHERE account = $2 AND state = 'done' AND revert_at <= $1 ORDER BY revert_at, id", [now, account]);
        return rows.map(firingFromRow);
      },
      actedSince: async (since, filter = {}) => {
        const { rows } = await pool.query<FiringRow>(
          `SELECT * FROM rule_firings WHERE account = $4 AND acted_at >= $1 AND ($2::text IS NULL OR rule = $2) AND ($3::text IS NULL OR entity_id = $3) ORDER BY acted_at, id`,
          [since, filter.rule ?? null, filter.entityId ?? null, account],
        );
        return rows.map(firingFromRow);
      },
    },
  });

  return {
    kind: 'postgres',
    forAccount,
    clicks: {
      claim: async (key, at) => (await pool.query('INSERT INTO clicks (key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, at])).rowCount === 1,
    },
    firsts: {
      claim: async (key, at) => (await pool.query('INSERT INTO first_times (key, at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [key, at])).rowCount === 1,
    },
    messages: {
      get: async (channel, ts) => {
        const { rows } = await pool.query<MessageRow>('SELECT blocks, written_at FROM messages WHERE channel = $1 AND ts = $2', [channel, ts]);
        return rows[0] ? messageFromRow(rows[0]) : undefined;
      },
      save: async (channel, ts, copy) => {
        await pool.query(
          `INSERT INTO messages (channel, ts, blocks, written_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (channel, ts) DO UPDATE SET blocks = $3, written_at = $4`,
          [channel, ts, JSON.stringify(copy.blocks), copy.writtenAt],
        );
      },
    },
    prune: async (now) => {
      const pruned: Record<string, number> = {};
      for (const rule of RETENTION) pruned[rule.table] = (await pool.query(pruneSql(rule, '$1'), [cutoff(rule, now)])).rowCount ?? 0;
      return pruned;
    },
    locks,
    messageLocks,
    coordinator: {
      // One row per task and fire time: the first replica to insert it runs that fire, the others skip it.
      shouldRun: async (key, ttlMs) => {
        const { rowCount } = await pool.query(
          `INSERT INTO schedule_leases (key, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
           ON CONFLICT (key) DO NOTHING`,
          [key, holder, ttlMs],
        );
        // Housekeeping only: its failure (say, the pool closing at shutdown) must not undo the claim.
        pool.query("DELETE FROM schedule_leases WHERE expires_at < now() - interval '1 day'").catch(() => undefined);
        return rowCount === 1;
      },
    },
    ping: async () => {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await Promise.all([locks.idle(), messageLocks.idle()]);
      await Promise.all([pool.end(), lockPool.end(), messageLockPool.end()]);
    },
  };
}
