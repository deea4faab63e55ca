import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/model';
import { openStore } from '../../src/store';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite';
import type { Store } from '../../src/store/types';
import { freshDatabase } from './postgres-db';

const DATABASE_URL = process.env.DATABASE_URL;

/** The schema every release before accounts (issue 16) left behind. */
const V9 = 9;

const AT = '2026-11-20T10:00:00.000Z';
const LATER = '2026-11-20T10:05:00.000Z';
const EXPIRES = '2026-11-20T11:00:00.000Z';
const PROBLEM = JSON.stringify({ key: 'issue:old', rule: 'issue', message: 'Rejected', entities: [{ kind: 'ad', id: 'ad_old', title: 'Old ad', status: 'rejected' }] });
const PLAN = JSON.stringify({ kind: 'toggle', verb: 'pause', until: null });

/** A single-account database's history as v9 kept it, one statement per row, `?` placeholders (SQLite's; PostgreSQL's are numbered below). */
const HISTORY: Array<[string, unknown[]]> = [
  [
    'INSERT INTO audit (at, user_id, action, entity_kind, entity_id, entity_title, before, after, channel, message_ts, outcome, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [AT, 'U0MARIA', 'ad.pause', 'ad', 'ad_old', 'Old ad', 'active', 'paused', 'C0OLD', '1.1', 'done', null, null],
  ],
  [
    'INSERT INTO alerts (channel, key, ts, state, problem, fingerprint, opened_at, notified_at, resolved_at, snoozed_until, snoozed_by, snoozed_until_recovered, healthy_checks, group_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ['C0OLD', 'issue:old', '2.2', 'open', PROBLEM, 'ad_old', AT, AT, null, null, null, 0, 1, null],
  ],
  ['INSERT INTO check_health (channel, failures, failing_since, notice_ts) VALUES (?, ?, ?, ?)', ['C0OLD', 2, AT, '3.3']],
  ['INSERT INTO alert_skips (channel, checked_at, skipped) VALUES (?, ?, ?)', ['C0OLD', AT, JSON.stringify({ roas: { min_spend: 4 } })]],
  [
    'INSERT INTO pending_changes (id, purpose, requester, team_id, plan, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ['pend_old', 'budget.undo', 'U0MARIA', 'T0TEAM', JSON.stringify({ to: 100 }), AT, EXPIRES],
  ],
  [
    'INSERT INTO rule_firings (id, channel, alert_key, rule, mode, entity_kind, entity_id, entity_title, plan, why, state, fired_at, expires_at, acted_at, acted_by, revert_at, message_ts, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      'C0OLD:cpr:adgrp_old:x',
      'C0OLD',
      'cpr:adgrp_old',
      'cost_per_result_above',
      'approve',
      'ad_group',
      'adgrp_old',
      'Old group',
      PLAN,
      'too dear',
      'awaiting',
      AT,
      EXPIRES,
      null,
      null,
      null,
      '4.4',
      null,
    ],
  ],
  ['INSERT INTO job_runs (job, started_at, finished_at, outcome, detail) VALUES (?, ?, ?, ?, ?)', ['digest:C0OLD:yesterday:0 9 * * *', AT, LATER, 'ok', null]],
];

const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** Everything the history holds, read through the default account as the upgraded bot reads it. */
async function expectHistoryKept(store: Store): Promise<void> {
  const now = new Date(LATER);
  const old = store.forAccount(DEFAULT_ACCOUNT);
  expect((await old.audit.forEntity('ad_old')).map((r) => [r.userId, r.action, r.outcome])).toEqual([['U0MARIA', 'ad.pause', 'done']]);
  expect((await old.audit.recent(5, 0)).length).toBe(1);
  const open = await old.alerts.open('C0OLD');
  expect(open.map((a) => [a.key, a.ts, a.healthyChecks, a.problem.entities[0]?.id])).toEqual([['issue:old', '2.2', 1, 'ad_old']]);
  expect(await old.alerts.health('C0OLD')).toEqual({ failures: 2, failingSince: new Date(AT), noticeTs: '3.3' });
  expect((await old.alerts.skips('C0OLD'))?.skipped).toEqual({ roas: { min_spend: 4 } });
  expect(await old.pending.peek('pend_old', now)).toMatchObject({ ok: true, change: { requester: 'U0MARIA', plan: { to: 100 } } });
  expect((await old.firings.unfinished('C0OLD')).map((f) => [f.id, f.state, f.messageTs])).toEqual([['C0OLD:cpr:adgrp_old:x', 'awaiting', '4.4']]);
  expect((await old.runs.last(['digest:C0OLD:yesterday:0 9 * * *'])).get('digest:C0OLD:yesterday:0 9 * * *')).toMatchObject({ outcome: 'ok', messageTs: null });
  // None of it belongs to an account added later; and the upgraded tables take that account's rows beside the old ones.
  const added = store.forAccount('acme');
  expect(await added.alerts.open('C0OLD')).toEqual([]);
  expect(await added.pending.peek('pend_old', now)).toEqual({ ok: false, why: 'unknown' });
  await added.runs.record({ job: 'digest:C0OLD:yesterday:0 9 * * *', startedAt: now, finishedAt: now, outcome: 'failed', detail: 'x', messageTs: null });
  expect((await old.runs.last(['digest:C0OLD:yesterday:0 9 * * *'])).get('digest:C0OLD:yesterday:0 9 * * *')?.outcome).toBe('ok');
}

describe('upgrading a single-account database (v9) to accounts', () => {
  it('SQLite: every audit row, open alert, health and skips record, pending change, firing and job run reads through the default account', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'migrate-')), 'state.sqlite');
    const db = new Database(path);
    for (const migration of SQLITE_MIGRATIONS.slice(0, V9)) db.exec(migration);
    db.pragma(`user_version = ${V9}`);
    for (const [sql, values] of HISTORY) db.prepare(sql).run(...values);
    db.close();

    const store = await openStore({ sqlitePath: path });
    try {
      await expectHistoryKept(store);
    } finally {
      await store.close();
    }
  });

  it.skipIf(!DATABASE_URL)('PostgreSQL: the same history, kept the same', async () => {
    const fresh = await freshDatabase(DATABASE_URL!);
    try {
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      for (const [i, migration] of POSTGRES_MIGRATIONS.slice(0, V9).entries()) {
        await client.query(migration);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [i + 1]);
      }
      // PostgreSQL keeps snoozed_until_recovered as a boolean.
      for (const [sql, values] of HISTORY)
        await client.query(
          numbered(sql),
          values.map((v, i) => (sql.startsWith('INSERT INTO alerts') && i === 11 ? false : v)),
        );
      await client.end();

      const store = await openStore({ databaseUrl: fresh.url, sqlitePath: '' });
      try {
        await expectHistoryKept(store);
      } finally {
        await store.close();
      }
    } finally {
      await fresh.drop();
    }
  });
});
