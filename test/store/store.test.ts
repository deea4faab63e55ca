import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnownBlock } from '@slack/types';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currencyOf } from '../../src/currency';
import { digestHealthKey } from '../../src/digest/scheduled';
import { DEFAULT_ACCOUNT } from '../../src/model';
import { openStore } from '../../src/store';
import type { AlertRecord, AuditEntry, Firing, Store } from '../../src/store/types';
import { freshDatabase } from './postgres-db';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) console.warn('[store tests] DATABASE_URL is not set: the PostgreSQL store suite is SKIPPED (SQLite still runs).');

const alert = (over: Partial<AlertRecord> = {}): AlertRecord => ({
  channel: 'C1',
  key: 'issue:abc',
  ts: '1.1',
  state: 'open',
  problem: { key: 'issue:abc', rule: 'issue', message: 'M', entities: [{ kind: 'ad', id: 'ad_1', title: 'A', status: 'active' }] },
  fingerprint: 'ad_1',
  openedAt: new Date('2026-11-25T10:00:00Z'),
  notifiedAt: new Date('2026-11-25T10:00:00Z'),
  resolvedAt: null,
  snoozedUntil: null,
  snoozedBy: null,
  snoozedUntilRecovered: false,
  healthyChecks: 0,
  groupTs: null,
  ...over,
});

const firing = (over: Partial<Firing> = {}): Firing => ({
  id: 'C1:cost_per_result:adgrp_1:2026-11-25T10:00:00.000Z',
  channel: 'C1',
  alertKey: 'cost_per_result:adgrp_1',
  rule: 'cost_per_result_above',
  mode: 'auto',
  entityKind: 'ad_group',
  entityId: 'adgrp_1',
  entityTitle: 'Broad – US',
  plan: { kind: 'toggle', verb: 'pause', until: null },
  why: 'cost per result $61.00 over the $40.00 limit',
  state: 'acting',
  firedAt: new Date('2026-11-25T10:00:00Z'),
  expiresAt: null,
  actedAt: null,
  actedBy: null,
  revertAt: null,
  messageTs: null,
  detail: null,
  ...over,
});

const kinds: Array<['sqlite' | 'postgres', () => Promise<{ open: () => Promise<Store>; done: () => Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'store-')), 'state.sqlite');
      return { open: () => openStore({ sqlitePath: path }), done: async () => {} };
    },
  ],
  [
    'postgres',
    async () => {
      const db = await freshDatabase(DATABASE_URL!);
      return { open: () => openStore({ databaseUrl: db.url, sqlitePath: '' }), done: db.drop };
    },
  ],
];

describe.each(kinds)('%s store', (kind, setup) => {
  const skip = kind === 'postgres' && !DATABASE_URL;
  let env: Awaited<ReturnType<typeof setup>>;
  let store: Store;
  beforeAll(async () => {
    if (skip) return;
    env = await setup();
    store = await env.open();
  });
  afterAll(async () => {
    if (skip) return;
    await store.close();
    await env.done();
  });

  it.skipIf(skip)('keeps the last run of each job, and a first time once per key, across a reopen', async () => {
    const at = new Date('2026-11-25T14:00:00Z');
    const later = new Date('2026-11-25T14:00:03Z');
    await store.forAccount(DEFAULT_ACCOUNT).runs.record({ job: 'digest:C1:yesterday:0 9 * * *', startedAt: at, finishedAt: later, outcome: 'ok', detail: null, messageTs: '1.5' });
    await store
      .forAccount(DEFAULT_ACCOUNT)
      .runs.record({ job: 'alerts:C2:*/15 * * * *', startedAt: at, finishedAt: later, outcome: 'failed', detail: 'Slack refused', messageTs: null });
    await store
      .forAccount(DEFAULT_ACCOUNT)
      .runs.record({ job: 'alerts:C2:*/15 * * * *', startedAt: later, finishedAt: later, outcome: 'whop_failed', detail: 'Whop is down', messageTs: null });
    expect(await store.firsts.claim('channel:C1', at)).toBe(true);
    expect(await store.firsts.claim('channel:C1', later)).toBe(false);
    await store.close();
    store = await env.open();
    expect(await store.firsts.claim('channel:C1', later)).toBe(false);
    expect(await store.firsts.claim('home:U1', later)).toBe(true);
    const runs = await store.forAccount(DEFAULT_ACCOUNT).runs.last(['digest:C1:yesterday:0 9 * * *', 'alerts:C2:*/15 * * * *', 'never']);
    expect([...runs.keys()].sort()).toEqual(['alerts:C2:*/15 * * * *', 'digest:C1:yesterday:0 9 * * *']);
    expect(runs.get('alerts:C2:*/15 * * * *')).toEqual({
      job: 'alerts:C2:*/15 * * * *',
      startedAt: later,
      finishedAt: later,
      outcome: 'whop_failed',
      detail: 'Whop is down',
      messageTs: null,
    });
  });

  it.skipIf(skip)('keeps the audit log in order, failed attempts included, across a reopen', async () => {
    const at = new Date('2026-11-25T10:42:00Z');
    await store.forAccount(DEFAULT_ACCOUNT).audit.record({
      at,
      userId: 'U1',
      action: 'ad.pause',
      entityKind: 'ad',
      entityId: 'ad_1',
      entityTitle: 'A',
      before: 'active',
      after: 'paused',
      channel: 'C1',
      messageTs: '1.1',
      outcome: 'done',
      reason: null,
      detail: null,
    });
    await store.forAccount(DEFAULT_ACCOUNT).audit.record({
      at,
      userId: 'U2',
      action: 'ad.unpause',
      entityKind: 'ad',
      entityId: 'ad_1',
      entityTitle: 'A',
      before: 'paused',
      after: null,
      channel: 'C1',
      messageTs: '1.1',
      outcome: 'failed',
      reason: 'whop_failed',
      detail: 'Whop 500',
    });
    await store.close();
    store = await env.open();
    const rows = await store.forAccount(DEFAULT_ACCOUNT).audit.forEntity('ad_1');
    expect(rows.map((r) => [r.userId, r.outcome, r.detail])).toEqual([
      ['U1', 'done', null],
      ['U2', 'failed', 'Whop 500'],
    ]);
    expect(rows[0]!.at.toISOString()).toBe(at.toISOString());
    // The whole log's newest rows, paged: App Home's last actions and the page after them.
    expect((await store.forAccount(DEFAULT_ACCOUNT).audit.recent(1, 0)).map((r) => r.userId)).toEqual(['U2']);
    expect((await store.forAccount(DEFAULT_ACCOUNT).audit.recent(5, 1)).map((r) => r.userId)).toEqual(['U1']);
  });

  it.skipIf(skip)('lists what was done to some items since a moment, newest first and at most as many as asked', async () => {
    const entry = (entityId: string, at: string, outcome: AuditEntry['outcome'], userId = 'U1') => ({
      at: new Date(at),
      userId,
      action: 'ad_group.budget',
      entityKind: 'ad_group',
      entityId,
      entityTitle: 'G',
      before: '100',
      after: '130',
      channel: null,
      messageTs: null,
      outcome,
      reason: null,
      detail: null,
    });
    for (const e of [
      entry('adgrp_since', '2026-11-20T10:00:00Z', 'done', 'U_OLD'),
      entry('adgrp_since', '2026-11-24T10:00:00Z', 'done', 'U_A'),
      entry('adgrp_since', '2026-11-24T11:00:00Z', 'refused', 'U_REFUSED'),
      entry('adcamp_since', '2026-11-24T12:00:00Z', 'done', 'U_B'),
      entry('adgrp_other', '2026-11-24T13:00:00Z', 'done', 'U_OTHER'),
      entry('adgrp_since', '2026-11-24T14:00:00Z', 'done', 'U_C'),
    ]) {
      await store.forAccount(DEFAULT_ACCOUNT).audit.record(e);
    }
    const since = new Date('2026-11-23T00:00:00Z');
    const rows = await store.forAccount(DEFAULT_ACCOUNT).audit.doneSince(['adgrp_since', 'adcamp_since'], since, 10);
    expect(rows.map((r) => [r.userId, r.entityId])).toEqual([
      ['U_C', 'adgrp_since'],
      ['U_B', 'adcamp_since'],
      ['U_A', 'adgrp_since'],
    ]);
    expect(rows[0]!.at.toISOString()).toBe('2026-11-24T14:00:00.000Z');
    expect((await store.forAccount(DEFAULT_ACCOUNT).audit.doneSince(['adgrp_since', 'adcamp_since'], since, 2)).map((r) => r.userId)).toEqual(['U_C', 'U_B']);
    expect(await store.forAccount(DEFAULT_ACCOUNT).audit.doneSince([], since, 10)).toEqual([]);
  });

  it.skipIf(skip)('keeps each account apart: another account sees none of its rows, and its pending or firing ids are unknown there', async () => {
    const acme = store.forAccount('acme');
    const globex = store.forAccount('globex');
    const at = new Date('2026-11-25T10:00:00Z');
    await acme.audit.record({
      at,
      userId: 'U1',
      action: 'ad.pause',
      entityKind: 'ad',
      entityId: 'ad_apart',
      entityTitle: 'A',
      before: 'active',
      after: 'paused',
      channel: 'CA',
      messageTs: null,
      outcome: 'done',
      reason: null,
      detail: null,
    });
    await acme.alerts.save(alert({ channel: 'CSHARED', key: 'issue:apart' }));
    await acme.alerts.saveHealth('CSHARED', { failures: 2, failingSince: at, noticeTs: '9.9' });
    await acme.alerts.saveSkips('CSHARED', { checkedAt: at, skipped: { roas: { min_spend: 1 } } });
    await acme.runs.record({ job: 'digest:CSHARED', startedAt: at, finishedAt: at, outcome: 'ok', detail: null, messageTs: '5.5' });
    const change = await acme.pending.create({
      purpose: 'budget.confirm',
      requester: 'U1',
      teamId: 'T1',
      plan: { to: 1 },
      createdAt: at,
      // Far off: the prune in the pending-change test below counts every expired row.
      expiresAt: new Date('2027-01-01T00:00:00Z'),
    });
    const fired = firing({ id: 'CSHARED:apart', channel: 'CSHARED', state: 'done', actedAt: at, revertAt: at });
    expect(await acme.firings.claim(fired)).toBe(true);

    expect(await globex.audit.forEntity('ad_apart')).toEqual([]);
    expect(await globex.audit.recent(10, 0)).toEqual([]);
    expect(await globex.audit.doneSince(['ad_apart'], new Date(0), 10)).toEqual([]);
    expect(await globex.alerts.get('CSHARED', 'issue:apart')).toBeUndefined();
    expect(await globex.alerts.open('CSHARED')).toEqual([]);
    expect(await globex.alerts.inMessage('CSHARED', '1.1')).toEqual([]);
    expect(await globex.alerts.health('CSHARED')).toEqual({ failures: 0, failingSince: null, noticeTs: null });
    expect(await globex.alerts.skips('CSHARED')).toBeUndefined();
    expect((await globex.runs.last(['digest:CSHARED'])).size).toBe(0);
    expect(await globex.pending.peek(change.id, at)).toEqual({ ok: false, why: 'unknown' });
    expect(await globex.pending.take(change.id, at)).toEqual({ ok: false, why: 'unknown' });
    expect(await globex.firings.get(fired.id)).toBeUndefined();
    expect(await globex.firings.move(fired.id, ['done'], 'undone')).toBeUndefined();
    expect(await globex.firings.unfinished('CSHARED')).toEqual([]);
    expect(await globex.firings.dueReverts(at)).toEqual([]);
    expect(await globex.firings.actedSince(new Date(0))).toEqual([]);
    // The same channel and key in another account is another alert: saving it leaves the first one as it was.
    await globex.alerts.save(alert({ channel: 'CSHARED', key: 'issue:apart', ts: '2.2' }));
    await globex.alerts.remove('CSHARED', 'issue:apart');
    await globex.alerts.saveHealth('CSHARED', { failures: 0, failingSince: null, noticeTs: null });

    expect((await acme.alerts.get('CSHARED', 'issue:apart'))?.ts).toBe('1.1');
    expect((await acme.alerts.health('CSHARED')).failures).toBe(2);
    expect((await acme.runs.last(['digest:CSHARED'])).get('digest:CSHARED')?.messageTs).toBe('5.5');
    expect((await acme.pending.take(change.id, at)).ok).toBe(true);
    expect((await acme.firings.move(fired.id, ['done'], 'undone'))?.state).toBe('undone');
    expect((await acme.audit.forEntity('ad_apart')).map((r) => r.userId)).toEqual(['U1']);
  });

  it.skipIf(skip)('a click key is claimed once, even when claimed many times at once', async () => {
    const clickedAt = new Date('2026-11-24T15:42:00Z');
    const results = await Promise.all(Array.from({ length: 20 }, () => store.clicks.claim('click-1', clickedAt)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.clicks.claim('click-2', clickedAt)).toBe(true);
  });

  it.skipIf(skip)('stores alerts and their health, and lists the open ones', async () => {
    await store.forAccount(DEFAULT_ACCOUNT).alerts.save(alert());
    await store.forAccount(DEFAULT_ACCOUNT).alerts.save(alert({ key: 'issue:def', state: 'resolved', resolvedAt: new Date('2026-11-25T11:00:00Z') }));
    expect((await store.forAccount(DEFAULT_ACCOUNT).alerts.open('C1')).map((a) => a.key)).toEqual(['issue:abc']);
    const snoozed = alert({ snoozedUntil: new Date('2026-11-26T14:00:00Z'), snoozedBy: 'U9' });
    await store.forAccount(DEFAULT_ACCOUNT).alerts.save(snoozed);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.get('C1', 'issue:abc')).toEqual(snoozed);
    await store.forAccount(DEFAULT_ACCOUNT).alerts.remove('C1', 'issue:abc');
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.get('C1', 'issue:abc')).toBeUndefined();

    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.health('C1')).toEqual({ failures: 0, failingSince: null, noticeTs: null });
    const health = { failures: 3, failingSince: new Date('2026-11-25T10:00:00Z'), noticeTs: '2.2' };
    await store.forAccount(DEFAULT_ACCOUNT).alerts.saveHealth('C1', health);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.health('C1')).toEqual(health);
  });

  it.skipIf(skip)('keeps the last alert check’s tally of unjudged ad groups per channel, each check replacing the one before', async () => {
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.skips('C5')).toBeUndefined();
    const first = { checkedAt: new Date('2026-11-25T10:00:00Z'), skipped: { cost_per_result: { min_spend: 3, min_impressions: 1 }, no_delivery: { too_new: 2 } } };
    await store.forAccount(DEFAULT_ACCOUNT).alerts.saveSkips('C5', first);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.skips('C5')).toEqual(first);
    const next = { checkedAt: new Date('2026-11-25T10:15:00Z'), skipped: {} };
    await store.forAccount(DEFAULT_ACCOUNT).alerts.saveSkips('C5', next);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.skips('C5')).toEqual(next);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.skips('C6')).toBeUndefined();
  });

  it.skipIf(skip)('keeps an alert’s healthy-check count, its snooze until recovered and its grouped message, and lists a message’s alerts', async () => {
    const grouped = (key: string, over: Partial<AlertRecord> = {}) => alert({ channel: 'CG', key, ts: '5.5', groupTs: '5.5', ...over });
    const calm = grouped('cpr:adgrp_2', { healthyChecks: 1, snoozedUntilRecovered: true, snoozedBy: 'U9' });
    await store.forAccount(DEFAULT_ACCOUNT).alerts.save(calm);
    await store.forAccount(DEFAULT_ACCOUNT).alerts.save(grouped('cpr:adgrp_1', { state: 'resolved', resolvedAt: new Date('2026-11-25T11:00:00Z') }));
    await store.forAccount(DEFAULT_ACCOUNT).alerts.save(alert({ channel: 'CG', key: 'cpr:adgrp_3', ts: '6.6', groupTs: '5.5' }));
    await store.forAccount(DEFAULT_ACCOUNT).alerts.save(alert({ channel: 'CH', key: 'cpr:adgrp_4', ts: '5.5' }));
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.get('CG', 'cpr:adgrp_2')).toEqual(calm);
    expect((await store.forAccount(DEFAULT_ACCOUNT).alerts.inMessage('CG', '5.5')).map((a) => [a.key, a.state])).toEqual([
      ['cpr:adgrp_1', 'resolved'],
      ['cpr:adgrp_2', 'open'],
    ]);
    await store.forAccount(DEFAULT_ACCOUNT).alerts.save({ ...calm, healthyChecks: 0, snoozedUntilRecovered: false });
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.get('CG', 'cpr:adgrp_2')).toMatchObject({ healthyChecks: 0, snoozedUntilRecovered: false, groupTs: '5.5' });
  });

  it.skipIf(skip)('counts mentions per channel and local day, one count per caller even when many ask at once', async () => {
    const at = new Date('2026-11-25T10:00:00Z');
    const counts = await Promise.all(Array.from({ length: 12 }, () => store.forAccount(DEFAULT_ACCOUNT).alerts.countMention('CM', '2026-11-25', at)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.countMention('CM', '2026-11-26', at)).toBe(1);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.countMention('CN', '2026-11-25', at)).toBe(1);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.countMention('CM', '2026-11-25', at)).toBe(13);
  });

  it.skipIf(skip)('keeps each scheduled digest’s failure streak apart from its channel’s alert checks and from other digests there', async () => {
    const daily = digestHealthKey({ channel: 'C7', window: 'yesterday', schedule: '0 9 * * *' });
    const weekly = digestHealthKey({ channel: 'C7', window: 'last_7d', schedule: '0 9 * * 1' });
    const streak = { failures: 2, failingSince: new Date('2026-11-25T09:00:00Z'), noticeTs: '3.3' };
    await store.forAccount(DEFAULT_ACCOUNT).alerts.saveHealth(daily, streak);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.health(daily)).toEqual(streak);
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.health(weekly)).toEqual({ failures: 0, failingSince: null, noticeTs: null });
    expect(await store.forAccount(DEFAULT_ACCOUNT).alerts.health('C7')).toEqual({ failures: 0, failingSince: null, noticeTs: null });
  });

  it.skipIf(skip)('locks run tasks on one key one at a time, other keys side by side', async () => {
    const order: string[] = [];
    const task = (name: string, ms: number) => async () => {
      order.push(`${name}+`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name}-`);
    };
    await Promise.all([store.locks.run('ad_1', task('a', 50)), store.locks.run('ad_1', task('b', 10)), store.locks.run('ad_2', task('c', 10))]);
    expect(order.indexOf('a-')).toBeLessThan(order.indexOf('b+'));
    expect(order.indexOf('c+')).toBeLessThan(order.indexOf('a-'));
  });

  it.skipIf(skip)('keeps the latest copy of each message, apart per channel and ts, across a reopen', async () => {
    const row = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
    const first = { blocks: [row('*A* paused by <@U1>'), row('*B* & <b>')], writtenAt: new Date('2026-11-25T10:00:00.123Z') };
    const second = { blocks: [row('*A* paused by <@U1>'), row('*B* paused by <@U2>')], writtenAt: new Date('2026-11-25T10:00:01.456Z') };
    expect(await store.messages.get('C1', '100.1')).toBeUndefined();
    await store.messages.save('C1', '100.1', first);
    await store.messages.save('C1', '100.2', first);
    await store.messages.save('C1', '100.1', second);
    await store.close();
    store = await env.open();
    expect(await store.messages.get('C1', '100.1')).toEqual(second);
    expect(await store.messages.get('C1', '100.2')).toEqual(first);
    expect(await store.messages.get('C2', '100.1')).toBeUndefined();
  });

  it.skipIf(skip)('prunes exactly the rows past their retention at `now` and keeps the rest', async () => {
    // A store of its own, so the counts are this test's rows only.
    const apart = await setup();
    const fresh = await apart.open();
    try {
      const now = new Date('2026-12-10T12:00:00Z');
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const HOUR = 3_600_000;
      const DAY = 24 * HOUR;
      const blocks: KnownBlock[] = [{ type: 'divider' }];
      await fresh.clicks.claim('prune-old-click', ago(DAY + 1));
      await fresh.clicks.claim('prune-kept-click', ago(DAY - 1_000));
      await fresh.forAccount(DEFAULT_ACCOUNT).alerts.save(alert({ channel: 'CP', key: 'resolved-old', state: 'resolved', resolvedAt: ago(7 * DAY + 1) }));
      await fresh.forAccount(DEFAULT_ACCOUNT).alerts.save(alert({ channel: 'CP', key: 'resolved-recent', state: 'resolved', resolvedAt: ago(7 * DAY - 1_000) }));
      await fresh.forAccount(DEFAULT_ACCOUNT).alerts.save(alert({ channel: 'CP', key: 'open-ancient', openedAt: ago(90 * DAY), notifiedAt: ago(90 * DAY) }));
      await fresh.messages.save('CP', '1.1', { blocks, writtenAt: ago(DAY + 1) });
      await fresh.messages.save('CP', '1.2', { blocks, writtenAt: ago(DAY - 1_000) });
      await fresh.forAccount(DEFAULT_ACCOUNT).alerts.countMention('CP', '2026-12-08', ago(2 * DAY + 1));
      await fresh.forAccount(DEFAULT_ACCOUNT).alerts.countMention('CP', '2026-12-09', ago(2 * DAY - 1_000));
      await fresh.forAccount(DEFAULT_ACCOUNT).firings.claim(firing({ id: 'f-old', state: 'done', firedAt: ago(31 * DAY + 1), messageTs: '1.1' }));
      await fresh.forAccount(DEFAULT_ACCOUNT).firings.claim(firing({ id: 'f-old-awaiting', state: 'awaiting', firedAt: ago(31 * DAY + 1) }));
      await fresh.forAccount(DEFAULT_ACCOUNT).firings.claim(firing({ id: 'f-old-revert-due', state: 'done', firedAt: ago(31 * DAY + 1), revertAt: ago(DAY) }));
      await fresh.forAccount(DEFAULT_ACCOUNT).firings.claim(firing({ id: 'f-recent', state: 'failed', firedAt: ago(31 * DAY - 1_000) }));

      expect(await fresh.prune(now)).toEqual({ clicks: 1, alerts: 1, messages: 1, pending_changes: 0, alert_mentions: 1, rule_firings: 1 });
      expect(await fresh.forAccount(DEFAULT_ACCOUNT).firings.get('f-old')).toBeUndefined();
      for (const kept of ['f-old-awaiting', 'f-old-revert-due', 'f-recent']) expect(await fresh.forAccount(DEFAULT_ACCOUNT).firings.get(kept)).toBeDefined();

      // A pruned click key can be claimed again; a kept one is still a repeat.
      expect(await fresh.clicks.claim('prune-old-click', now)).toBe(true);
      expect(await fresh.clicks.claim('prune-kept-click', now)).toBe(false);
      expect(await fresh.forAccount(DEFAULT_ACCOUNT).alerts.get('CP', 'resolved-old')).toBeUndefined();
      expect(await fresh.forAccount(DEFAULT_ACCOUNT).alerts.get('CP', 'resolved-recent')).toBeDefined();
      expect(await fresh.forAccount(DEFAULT_ACCOUNT).alerts.get('CP', 'open-ancient')).toBeDefined();
      expect(await fresh.messages.get('CP', '1.1')).toBeUndefined();
      expect(await fresh.messages.get('CP', '1.2')).toBeDefined();
      // The pruned day counts from one again; the kept one goes on.
      expect(await fresh.forAccount(DEFAULT_ACCOUNT).alerts.countMention('CP', '2026-12-08', now)).toBe(1);
      expect(await fresh.forAccount(DEFAULT_ACCOUNT).alerts.countMention('CP', '2026-12-09', now)).toBe(2);
      expect(await fresh.prune(now)).toEqual({ clicks: 0, alerts: 0, messages: 0, pending_changes: 0, alert_mentions: 0, rule_firings: 0 });
    } finally {
      await fresh.close();
      await apart.done();
    }
  });

  it.skipIf(skip)('a pending change is used once, whoever asks at once; an expired or unknown one says why', async () => {
    const createdAt = new Date('2026-11-25T10:00:00Z');
    const expiresAt = new Date('2026-11-25T10:15:00Z');
    const plan = { id: 'adgrp_1', from: 100, to: 300, currency: 'usd' };
    const made = await store.forAccount(DEFAULT_ACCOUNT).pending.create({ purpose: 'budget.confirm', requester: 'U1', teamId: 'T1', plan, createdAt, expiresAt });
    expect(made.id).toMatch(/^pc_[A-Za-z0-9_-]{22}$/);
    const during = new Date('2026-11-25T10:05:00Z');
    expect(await store.forAccount(DEFAULT_ACCOUNT).pending.peek(made.id, during)).toEqual({ ok: true, change: made });

    const takes = await Promise.all(Array.from({ length: 10 }, () => store.forAccount(DEFAULT_ACCOUNT).pending.take(made.id, during)));
    expect(takes.filter((t) => t.ok)).toEqual([{ ok: true, change: made }]);
    expect(takes.filter((t) => !t.ok)).toEqual(Array.from({ length: 9 }, () => ({ ok: false, why: 'used', change: made })));
    expect(await store.forAccount(DEFAULT_ACCOUNT).pending.peek(made.id, during)).toEqual({ ok: false, why: 'used', change: made });

    const late = await store.forAccount(DEFAULT_ACCOUNT).pending.create({ purpose: 'budget.undo', requester: 'U1', teamId: null, plan, createdAt, expiresAt });
    expect(await store.forAccount(DEFAULT_ACCOUNT).pending.take(late.id, expiresAt)).toEqual({ ok: false, why: 'expired', change: late });
    expect(await store.forAccount(DEFAULT_ACCOUNT).pending.peek(late.id, expiresAt)).toEqual({ ok: false, why: 'expired', change: late });
    expect(await store.forAccount(DEFAULT_ACCOUNT).pending.take('pc_nosuchchange', during)).toEqual({ ok: false, why: 'unknown' });

    // Expired ids are still told apart from unknown ones for a day, then pruned.
    const fresh = await store
      .forAccount(DEFAULT_ACCOUNT)
      .pending.create({ purpose: 'budget.form', requester: 'U2', teamId: 'T1', plan, createdAt: expiresAt, expiresAt: new Date('2026-11-26T12:00:00Z') });
    const dayAfter = new Date('2026-11-26T10:16:00Z');
    expect((await store.prune(dayAfter)).pending_changes).toBe(2);
    expect(await store.forAccount(DEFAULT_ACCOUNT).pending.peek(made.id, during)).toEqual({ ok: false, why: 'unknown' });
    expect((await store.forAccount(DEFAULT_ACCOUNT).pending.peek(fresh.id, during)).ok).toBe(true);
  });

  it.skipIf(skip)('a firing is claimed and moved once, whoever asks at once; unfinished, due and acted ones are found', async () => {
    const at = new Date('2026-11-25T10:00:00Z');
    const first = firing({ id: 'move-1', channel: 'CF', firedAt: at });
    const claims = await Promise.all(Array.from({ length: 5 }, () => store.forAccount(DEFAULT_ACCOUNT).firings.claim(first)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.forAccount(DEFAULT_ACCOUNT).firings.get('move-1')).toEqual(first);

    const actedAt = new Date('2026-11-25T10:00:05Z');
    const moves = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.forAccount(DEFAULT_ACCOUNT).firings.move('move-1', ['acting'], 'done', { actedAt, actedBy: 'rule', revertAt: new Date('2026-11-25T16:00:00Z') }),
      ),
    );
    expect(moves.filter((m) => m !== undefined)).toEqual([{ ...first, state: 'done', actedAt, actedBy: 'rule', revertAt: new Date('2026-11-25T16:00:00Z') }]);
    // Done without its message: still to finish, until the message is stored.
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.unfinished('CF')).map((f) => f.id)).toEqual(['move-1']);
    await store
      .forAccount(DEFAULT_ACCOUNT)
      .firings.move('move-1', ['done'], 'done', { messageTs: '9.9', plan: { kind: 'budget', from: 100, to: 120, currency: currencyOf('usd') } });
    expect(await store.forAccount(DEFAULT_ACCOUNT).firings.unfinished('CF')).toEqual([]);
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.get('move-1'))?.plan).toEqual({ kind: 'budget', from: 100, to: 120, currency: currencyOf('usd') });

    await store
      .forAccount(DEFAULT_ACCOUNT)
      .firings.claim(firing({ id: 'await-1', channel: 'CF', state: 'awaiting', firedAt: new Date('2026-11-25T11:00:00Z'), expiresAt: new Date('2026-11-25T15:00:00Z') }));
    await store
      .forAccount(DEFAULT_ACCOUNT)
      .firings.claim(firing({ id: 'other-1', channel: 'CF', entityId: 'adgrp_2', rule: 'anomaly', state: 'done', messageTs: '1.2', actedAt: new Date('2026-11-25T12:00:00Z') }));
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.unfinished('CF')).map((f) => f.id)).toEqual(['await-1']);
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.dueReverts(new Date('2026-11-25T15:59:59Z'))).map((f) => f.id)).not.toContain('move-1');
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.dueReverts(new Date('2026-11-25T16:00:00Z'))).map((f) => f.id)).toContain('move-1');
    const since = new Date('2026-11-25T09:00:00Z');
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.actedSince(since)).map((f) => f.id)).toEqual(expect.arrayContaining(['move-1', 'other-1']));
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.actedSince(since, { rule: 'anomaly' })).map((f) => f.id)).toEqual(['other-1']);
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.actedSince(since, { entityId: 'adgrp_1' })).map((f) => f.id)).toContain('move-1');
    expect((await store.forAccount(DEFAULT_ACCOUNT).firings.actedSince(since, { entityId: 'adgrp_1' })).map((f) => f.id)).not.toContain('other-1');
    expect(await store.forAccount(DEFAULT_ACCOUNT).firings.actedSince(new Date('2026-11-25T12:00:01Z'), { rule: 'anomaly' })).toEqual([]);
  });

  it.skipIf(skip)('answers a ping', async () => {
    expect(await store.ping()).toBe(true);
  });
});

describe.skipIf(!DATABASE_URL)('postgres across replicas', () => {
  it('two stores starting at once migrate once; a fire is given to exactly one of three; locks hold across stores', async () => {
    const db = await freshDatabase(DATABASE_URL!);
    const stores = await Promise.all([0, 1, 2].map(() => openStore({ databaseUrl: db.url, sqlitePath: '' })));
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('SELECT count(*)::int AS n FROM schema_migrations');
      await client.end();
      expect(rows[0].n).toBe(10);

      const elected = await Promise.all(stores.map((s) => s.coordinator.shouldRun('digest-1:2026-11-25T14:00:00.000Z', 30_000)));
      expect(elected.filter(Boolean)).toHaveLength(1);
      expect(await stores[1]!.coordinator.shouldRun('digest-1:2026-11-25T14:00:01.000Z', 30_000)).toBe(true);

      let inside = 0;
      let most = 0;
      await Promise.all(
        stores.map((s) =>
          s.locks.run('ad_1', async () => {
            inside += 1;
            most = Math.max(most, inside);
            await new Promise((r) => setTimeout(r, 30));
            inside -= 1;
          }),
        ),
      );
      expect(most).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });
});
