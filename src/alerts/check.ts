import type { WebClient } from '@slack/web-api';
import { type AlertView, alertMessage, snoozeOver, stillOpen, whopUnreachable } from '../../blocks/alert';
import type { AlertSettings } from '../config';
import type { Logger } from '../logger';
import type { Problem } from '../model';
import type { AlertRecord, AlertStore, AuditLog, PendingChanges } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import { observe } from './observe';
import { findProblems } from './problems';
import { type ChangesOf, recentChanges } from './recent-changes';

export interface AlertDeps {
  gateway: AdsGateway;
  slack: WebClient;
  store: AlertStore;
  /** What people changed through the bot, named on alerts; Undo buttons keep their pending changes here. */
  audit: AuditLog;
  pending: PendingChanges;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}

/** After this many failed checks in a row, the channel is told Whop cannot be reached. */
export const FAILURES_BEFORE_NOTICE = 3;

/** What the alert lists: a change here updates the message; numbers moving inside a problem do not. */
const fingerprint = (problem: Problem) =>
  problem.entities
    .map((e) => e.id)
    .sort()
    .join(',');

function view(
  deps: AlertDeps,
  record: Pick<AlertRecord, 'problem' | 'openedAt' | 'snoozedUntil' | 'snoozedBy'>,
  extra: Pick<AlertView, 'mention' | 'resolvedAt' | 'changes'> = {},
) {
  return alertMessage({
    problem: record.problem,
    openedAt: record.openedAt,
    timeZone: deps.timeZone,
    sandbox: deps.sandbox,
    ...(record.snoozedUntil && record.snoozedBy && !extra.resolvedAt ? { snooze: { by: record.snoozedBy, until: record.snoozedUntil } } : {}),
    ...extra,
  });
}

/** Keeps the channel's "cannot reach Whop" notice in step with the last checks. */
async function trackHealth(deps: AlertDeps, channel: string, failure: string | null): Promise<void> {
  const now = deps.now();
  const health = await deps.store.health(channel);
  if (failure === null) {
    if (health.noticeTs && health.failingSince) {
      const message = whopUnreachable(health.failingSince, health.failures, '', deps.timeZone, now);
      await deps.slack.chat.update({ channel, ts: health.noticeTs, ...message });
    }
    if (health.failures > 0) await deps.store.saveHealth(channel, { failures: 0, failingSince: null, noticeTs: null });
    return;
  }
  const next = { ...health, failures: health.failures + 1, failingSince: health.failingSince ?? now };
  await deps.store.saveHealth(channel, next);
  if (next.failures >= FAILURES_BEFORE_NOTICE && !next.noticeTs) {
    const posted = await deps.slack.chat.postMessage({ channel, ...whopUnreachable(next.failingSince, next.failures, failure, deps.timeZone) });
    // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
    await deps.store.saveHealth(channel, { ...next, noticeTs: posted.ts! });
  }
}

async function announce(deps: AlertDeps, alert: AlertSettings, problem: Problem, previous: AlertRecord | undefined, changesOf: ChangesOf): Promise<void> {
  const now = deps.now();
  const record: AlertRecord = {
    channel: alert.channel,
    key: problem.key,
    ts: null,
    state: 'open',
    problem,
    fingerprint: fingerprint(problem),
    openedAt: now,
    notifiedAt: now,
    resolvedAt: null,
    snoozedUntil: null,
    snoozedBy: null,
  };
  // Saved before posting, so a failed post is rolled back below; if the process dies in between, the
  // next check finds no message for it and posts it then: nothing lost, at worst posted twice.
  const changes = await changesOf(problem);
  await deps.store.save(record);
  try {
    const posted = await deps.slack.chat.postMessage({ channel: alert.channel, ...view(deps, record, { changes, ...(alert.mention ? { mention: alert.mention } : {}) }) });
    // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
    await deps.store.save({ ...record, ts: posted.ts! });
  } catch (err) {
    if (previous) await deps.store.save(previous);
    else await deps.store.remove(alert.channel, problem.key);
    throw err;
  }
}

async function followUp(deps: AlertDeps, alert: AlertSettings, record: AlertRecord, problem: Problem, changesOf: ChangesOf): Promise<void> {
  const now = deps.now();
  let next: AlertRecord = { ...record, problem };
  if (record.fingerprint !== fingerprint(problem) && record.ts) {
    next = { ...next, fingerprint: fingerprint(problem) };
    await deps.slack.chat.update({ channel: alert.channel, ts: record.ts, ...view(deps, next, { changes: await changesOf(problem) }) });
  }
  // A Snooze clicked while this check talked to Slack must survive it: take the snooze as stored now.
  const stored = await deps.store.get(alert.channel, record.key);
  next = { ...next, snoozedUntil: stored?.snoozedUntil ?? null, snoozedBy: stored?.snoozedBy ?? null };
  if (next.snoozedUntil && next.snoozedUntil > now) {
    await deps.store.save(next);
    return;
  }
  const snoozedUntil = next.snoozedUntil;
  const snoozeEnded = snoozedUntil !== null;
  const due = now.getTime() - record.notifiedAt.getTime() >= alert.renotify_hours * 3_600_000;
  if ((snoozeEnded || due) && record.ts) {
    const text = snoozedUntil !== null ? snoozeOver(problem, deps.timeZone, snoozedUntil) : stillOpen(problem, record.openedAt, deps.timeZone);
    await deps.slack.chat.postMessage({ channel: alert.channel, thread_ts: record.ts, text });
    next = { ...next, notifiedAt: now, snoozedUntil: null, snoozedBy: null };
    if (snoozeEnded) await deps.slack.chat.update({ channel: alert.channel, ts: record.ts, ...view(deps, next, { changes: await changesOf(problem) }) });
  }
  await deps.store.save(next);
}

async function resolve(deps: AlertDeps, record: AlertRecord): Promise<void> {
  const now = deps.now();
  if (record.ts) await deps.slack.chat.update({ channel: record.channel, ts: record.ts, ...view(deps, record, { resolvedAt: now }) });
  await deps.store.save({ ...record, state: 'resolved', resolvedAt: now });
}

/**
 * One alert check: each problem is announced once, followed while it lasts (list changes, a reminder
 * after renotify_hours, the end of a snooze), and marked resolved in place when it is gone.
 */
export async function runAlertCheck(deps: AlertDeps, alert: AlertSettings): Promise<void> {
  const openRecords = await deps.store.open(alert.channel);
  const seen = await observe(deps.gateway, alert.rules, deps.now(), deps.timeZone);
  if (!seen.ok) {
    deps.log.warn({ channel: alert.channel, whop: seen.error }, 'alert check: Whop failed');
    await trackHealth(deps, alert.channel, seen.error.message);
    return;
  }
  await trackHealth(deps, alert.channel, null);

  const problems = findProblems(seen.value, alert.rules, new Set(openRecords.map((r) => r.key)));
  const current = new Set(problems.map((p) => p.key));
  const changesOf = recentChanges(deps, seen.value, alert.changes_hours);
  for (const problem of problems) {
    const record = await deps.store.get(alert.channel, problem.key);
    if (record?.state === 'open' && record.ts) await followUp(deps, alert, record, problem, changesOf);
    else if (!record?.snoozedUntil || record.snoozedUntil <= deps.now()) await announce(deps, alert, problem, record, changesOf);
  }
  for (const record of openRecords) if (!current.has(record.key)) await resolve(deps, record);
  deps.log.info({ channel: alert.channel, problems: problems.length }, 'alert check done');
}
