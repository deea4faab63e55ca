import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { type AlertView, alertMessage, backAgain, groupedAlert, problemLine, replaceLine, snoozeOver, stillOpen, whopUnreachable } from '../../blocks/alert';
import { type Fired, fire, shownProblem } from '../automation/act';
import { alertLock, patchFiring, type RuleDeps } from '../automation/rule-deps';
import { settleFirings } from '../automation/settle';
import type { ChartRenderer } from '../charts/renderer';
import { turnEvery } from '../concurrency';
import type { AlertSettings } from '../config';
import type { Logger } from '../logger';
import type { Problem } from '../model';
import type { MessageUpdates } from '../slack/message-updates';
import type { AlertRecord, AlertStore, AuditLog, FiringStore, Locks, PendingChanges, Store } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import { postAlertCharts } from './alert-chart';
import { viewOf as drawnAs, firingIdOf, type Shown } from './alert-view';
import type { HistoryReader } from './history-reader';
import { mentionFor } from './mentions';
import { observe } from './observe';
import { findProblemsInTurns } from './problems';
import { type ChangesOf, recentChanges } from './recent-changes';
import { marginRules } from './recovery';

export interface AlertDeps {
  gateway: AdsGateway;
  slack: WebClient;
  store: AlertStore;
  /** Grouped messages are rewritten one line at a time, in step with clicks on their other lines. */
  messages: Pick<MessageUpdates, 'update' | 'posted'>;
  /** What people changed through the bot, named on alerts; Undo buttons keep their pending changes here. */
  audit: AuditLog;
  pending: PendingChanges;
  /** Rules that act: their firings, the pipeline's rule path, and the guardrails of ads-bot.yml. */
  firings: FiringStore;
  actions: RuleDeps['actions'];
  settings: RuleDeps['settings'];
  locks: Locks;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
  /** Draws a new anomaly's chart into its thread; absent, alerts go without one. */
  charts?: ChartRenderer;
  /** Where the hourly history is read (the bot's: its worker thread); absent, in this process through `gateway`. */
  history?: HistoryReader;
}

/** The parts of one store an alert check of `account` works with: named once, for the bot, the tests' harness and the bench. */
export const alertStoreDeps = (store: Store, account: string, messages: AlertDeps['messages']) => {
  const scoped = store.forAccount(account);
  return { store: scoped.alerts, messages, audit: scoped.audit, pending: scoped.pending, firings: scoped.firings, locks: store.locks };
};

/** After this many failed checks in a row, the channel is told Whop cannot be reached. */
export const FAILURES_BEFORE_NOTICE = 3;

/** More new problems than this in one check are one message, with one ping, instead of one post each. */
export const GROUP_ABOVE = 3;

/** Problems a check's loops work through between two turns of the event loop (turnEvery). */
const TURN_EVERY = 20;

const HOUR = 3_600_000;

/** What the alert lists: a change here updates the message; numbers moving inside a problem do not. */
const fingerprint = (problem: Problem) =>
  problem.entities
    .map((e) => e.id)
    .sort()
    .join(',');

/** The thread a problem's replies go to: its grouped message's, or its own message's. */
const threadOf = (record: AlertRecord & { ts: string }) => record.groupTs ?? record.ts;

const viewOf = (deps: AlertDeps, record: Shown, extra: Partial<AlertView> = {}): AlertView => drawnAs(deps, record, extra);

const ruleDeps = (deps: AlertDeps): RuleDeps & { slack: WebClient } => ({ ...deps, alerts: deps.store });

/** The line of the rule that acted on this opening of the alert, if one did. */
async function ruleLineOf(deps: AlertDeps, record: AlertRecord): Promise<Pick<AlertView, 'rule'>> {
  const firing = await deps.firings.get(firingIdOf(record));
  return firing ? { rule: { firing } } : {};
}

/**
 * Redraws a problem where it is shown: its own message whole, or its line of a grouped message, under the
 * message's lock so a click on another line at the same moment is not lost, and kept as the message's newest
 * copy so a click sent from the copy before it does not draw that back.
 */
async function redraw(deps: AlertDeps, record: AlertRecord & { ts: string }, shown: AlertView): Promise<void> {
  const view = shown.rule ? shown : { ...shown, ...(await ruleLineOf(deps, record)) };
  if (record.groupTs === null) {
    const message = alertMessage(view);
    await deps.messages.update({ channel: record.channel, ts: record.ts, ...message, seenAt: new Date(0) }, () => message.blocks);
    return;
  }
  // Without a stored copy (none written for a day), the message is drawn again from the records it lists.
  const listed = await deps.store.inMessage(record.channel, record.ts);
  const fallback = listed.flatMap((r) => problemLine(viewOf(deps, r, r.state === 'resolved' && r.resolvedAt ? { resolvedAt: r.resolvedAt } : {})));
  const text = view.resolvedAt ? 'Alert: a problem resolved' : 'Alert: problems found';
  await deps.messages.update({ channel: record.channel, ts: record.ts, text, blocks: fallback, seenAt: new Date(0) }, (blocks: KnownBlock[]) =>
    replaceLine(blocks, record.key, problemLine(view)),
  );
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

/** A problem's alert record as it opens, before Slack has its message. */
export const freshAlert = (channel: string, problem: Problem, now: Date): AlertRecord => ({
  channel,
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
  snoozedUntilRecovered: false,
  healthyChecks: 0,
  groupTs: null,
});

interface NewProblem {
  problem: Problem;
  previous: AlertRecord | undefined;
}

/** Whether the rule changed something in Whop for this alert: then its record stays, posted or not (settle.ts tells it). */
const acted = (fired: Fired) => fired !== null && 'firing' in fired && (fired.firing.state === 'done' || fired.firing.state === 'acting');

/** The firing learns its message, so expiry, reverts and clicks from App Home can redraw it there. */
async function noteMessage(deps: AlertDeps, fired: Fired, ts: string): Promise<void> {
  if (fired && 'firing' in fired && fired.firing.state !== 'held') await patchFiring(deps.firings, fired.firing.id, { messageTs: ts });
}

const ruleView = (fired: Fired): Partial<AlertView> => (fired ? { rule: fired } : {});

/** Puts back what was stored before a reservation whose post Slack refused. */
async function rollBack(deps: AlertDeps, channel: string, items: NewProblem[]): Promise<void> {
  for (const { problem, previous } of items) {
    if (previous) await deps.store.save(previous);
    else await deps.store.remove(channel, problem.key);
  }
}

async function announce(deps: AlertDeps, alert: AlertSettings, { problem, previous }: NewProblem, changesOf: ChangesOf): Promise<void> {
  const reserved = freshAlert(alert.channel, problem, deps.now());
  const changes = await changesOf(problem, { move: true });
  // Saved before posting, so a failed post is rolled back below; if the process dies in between, the
  // next check finds no message for it and posts it then: nothing lost, at worst posted twice. A rule that acted
  // keeps its record: the next check posts it with what the rule did (src/automation/settle.ts), and acts no more.
  await deps.store.save(reserved);
  await deps.locks.run(alertLock(alert.channel, problem.key), async () => {
    const fired = await fire(ruleDeps(deps), alert, problem, reserved.openedAt);
    const record = { ...reserved, problem: shownProblem(problem, fired) };
    try {
      const ping = await mentionFor(deps.store, alert, deps.now(), deps.timeZone);
      const posted = await deps.slack.chat.postMessage({ channel: alert.channel, ...alertMessage(viewOf(deps, record, { ...ping, changes, ...ruleView(fired) })) });
      // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
      await deps.store.save({ ...record, ts: posted.ts! });
      // biome-ignore lint/style/noNonNullAssertion: as above
      await noteMessage(deps, fired, posted.ts!);
    } catch (err) {
      if (!acted(fired)) await rollBack(deps, alert.channel, [{ problem, previous }]);
      throw err;
    }
  });
}

/**
 * Many new problems at once: one message listing as many as fit, each with its own buttons, and one ping; the
 * rest in replies of its thread. Each problem keeps its own record, so it resolves and snoozes on its own.
 */
async function announceGroup(deps: AlertDeps, alert: AlertSettings, items: NewProblem[], changesOf: ChangesOf): Promise<void> {
  const now = deps.now();
  const reserved = items.map(({ problem }) => freshAlert(alert.channel, problem, now));
  const changes = new Map<string, Awaited<ReturnType<ChangesOf>>>();
  const turn = turnEvery(TURN_EVERY);
  for (const { problem } of items) {
    await turn();
    changes.set(problem.key, await changesOf(problem, { move: true }));
  }
  for (const record of reserved) {
    await turn();
    await deps.store.save(record);
  }
  const fired = new Map<string, Fired>();
  for (const record of reserved) {
    await turn();
    fired.set(record.key, await fire(ruleDeps(deps), alert, record.problem, record.openedAt));
  }
  const records = reserved.map((r) => ({ ...r, problem: shownProblem(r.problem, fired.get(r.key) ?? null) }));
  let root: string | undefined;
  let left = records;
  try {
    const ping = await mentionFor(deps.store, alert, now, deps.timeZone);
    for (let part = 0; left.length > 0; part++) {
      const message = groupedAlert({
        lines: left.map((r) => viewOf(deps, r, { changes: changes.get(r.key), ...ruleView(fired.get(r.key) ?? null) })),
        total: records.length,
        part,
        timeZone: deps.timeZone,
        sandbox: deps.sandbox,
        ...(part === 0 ? ping : {}),
      });
      const posted = await deps.slack.chat.postMessage({ channel: alert.channel, ...(root ? { thread_ts: root } : {}), ...message });
      // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
      const ts = posted.ts!;
      root ??= ts;
      // A check redrawing one line later starts from this copy: its heading, footer and other lines' changes stay.
      await deps.messages.posted(alert.channel, ts, message.blocks);
      for (const record of left.slice(0, message.shown)) {
        await turn();
        await deps.store.save({ ...record, ts, groupTs: root });
        await noteMessage(deps, fired.get(record.key) ?? null, ts);
      }
      left = left.slice(message.shown);
    }
  } catch (err) {
    // What was posted stays tracked; the rest are new problems again at the next check.
    const unposted = new Set(left.filter((r) => !acted(fired.get(r.key) ?? null)).map((r) => r.key));
    await rollBack(
      deps,
      alert.channel,
      items.filter((i) => unposted.has(i.problem.key)),
    );
    throw err;
  }
}

async function followUp(deps: AlertDeps, alert: AlertSettings, record: AlertRecord & { ts: string }, problem: Problem, changesOf: ChangesOf): Promise<void> {
  const now = deps.now();
  let next: AlertRecord & { ts: string } = { ...record, problem, healthyChecks: 0 };
  if (record.fingerprint !== fingerprint(problem)) {
    next = { ...next, fingerprint: fingerprint(problem) };
    await redraw(deps, next, viewOf(deps, next, { changes: await changesOf(problem) }));
  }
  // A Snooze clicked while this check talked to Slack must survive it: take the snooze as stored now.
  const stored = await deps.store.get(alert.channel, record.key);
  next = {
    ...next,
    snoozedUntil: stored?.snoozedUntil ?? null,
    snoozedBy: stored?.snoozedBy ?? null,
    snoozedUntilRecovered: stored?.snoozedUntilRecovered ?? false,
  };
  if (next.snoozedUntilRecovered || (next.snoozedUntil && next.snoozedUntil > now)) {
    await deps.store.save(next);
    return;
  }
  const snoozedUntil = next.snoozedUntil;
  const snoozeEnded = snoozedUntil !== null;
  const due = now.getTime() - record.notifiedAt.getTime() >= alert.renotify_hours * HOUR;
  if (snoozeEnded || due) {
    const text = snoozedUntil !== null ? snoozeOver(problem, deps.timeZone, snoozedUntil) : stillOpen(problem, record.openedAt, deps.timeZone);
    await deps.slack.chat.postMessage({ channel: alert.channel, thread_ts: threadOf(next), text });
    next = { ...next, notifiedAt: now, snoozedUntil: null, snoozedBy: null };
    if (snoozeEnded) await redraw(deps, next, viewOf(deps, next, { changes: await changesOf(problem) }));
  }
  await deps.store.save(next);
}

/**
 * A problem back within cooldown_hours of resolving: its message opens again in place, with a line in its thread and
 * no ping. An opening of its own, so a rule that acts fires again, bounded by its guardrails (its cooldown on the
 * ad group usually holds it, and the line says so).
 */
async function reopen(deps: AlertDeps, alert: AlertSettings, record: AlertRecord & { ts: string; resolvedAt: Date }, problem: Problem, changesOf: ChangesOf): Promise<void> {
  const now = deps.now();
  const snoozed = record.snoozedUntil !== null && record.snoozedUntil > now;
  // Opened afresh, in its old message and thread; a snooze still running holds.
  const reserved: AlertRecord & { ts: string } = {
    ...freshAlert(record.channel, problem, now),
    ts: record.ts,
    groupTs: record.groupTs,
    ...(snoozed ? { snoozedUntil: record.snoozedUntil, snoozedBy: record.snoozedBy } : {}),
  };
  const changes = await changesOf(problem, { move: true });
  await deps.store.save(reserved);
  await deps.locks.run(alertLock(alert.channel, problem.key), async () => {
    const fired = await fire(ruleDeps(deps), alert, problem, reserved.openedAt);
    const next = { ...reserved, problem: shownProblem(problem, fired) };
    await deps.store.save(next);
    await redraw(deps, next, viewOf(deps, next, { changes, ...ruleView(fired) }));
    await noteMessage(deps, fired, next.ts);
  });
  await deps.slack.chat.postMessage({ channel: record.channel, thread_ts: threadOf(reserved), text: backAgain(problem, record.resolvedAt, deps.timeZone) });
}

/**
 * A problem the rules no longer find, or no longer by more than resolve_margin_pct: it resolves, in place, after
 * resolve_after_checks healthy checks in a row; until then nothing changes in Slack.
 */
async function recovering(deps: AlertDeps, alert: AlertSettings, record: AlertRecord, healthy: boolean): Promise<void> {
  // Read again: a snooze clicked since the check began must survive.
  const stored = (await deps.store.get(record.channel, record.key)) ?? record;
  const healthyChecks = healthy ? stored.healthyChecks + 1 : 0;
  if (healthyChecks < alert.resolve_after_checks) {
    if (healthyChecks !== stored.healthyChecks) await deps.store.save({ ...stored, healthyChecks });
    return;
  }
  const now = deps.now();
  // No ts: reserved, but the process stopped before Slack took the post; there is no message to update.
  if (stored.ts) await redraw(deps, { ...stored, ts: stored.ts }, viewOf(deps, stored, { resolvedAt: now }));
  await deps.store.save({ ...stored, state: 'resolved', resolvedAt: now, healthyChecks: 0, snoozedUntilRecovered: false });
}

const withinCooldown = (record: AlertRecord, alert: AlertSettings, now: Date): record is AlertRecord & { ts: string; resolvedAt: Date } =>
  record.state === 'resolved' && record.ts !== null && record.resolvedAt !== null && now.getTime() - record.resolvedAt.getTime() < alert.cooldown_hours * HOUR;

/**
 * One alert check: each problem is announced once (many at once as one message), followed while it lasts (list
 * changes, a reminder after renotify_hours, the end of a snooze), resolved in place after enough healthy checks,
 * and reopened in place if it comes back within cooldown_hours. The ad groups left unjudged for too little data are
 * counted in the log and kept in the store, in Slack only on App Home: on an alert they would be noise about other ad groups.
 */
export async function runAlertCheck(deps: AlertDeps, alert: AlertSettings): Promise<void> {
  const untold = await settleFirings(ruleDeps(deps), alert);
  const openRecords = await deps.store.open(alert.channel);
  const seen = await observe(deps.gateway, alert.rules, deps.now(), deps.timeZone, deps.history);
  if (!seen.ok) {
    deps.log.warn({ channel: alert.channel, whop: seen.error }, 'alert check: Whop failed');
    await trackHealth(deps, alert.channel, seen.error.message);
    return;
  }
  await trackHealth(deps, alert.channel, null);

  const openKeys = new Set(openRecords.map((r) => r.key));
  const { problems, skipped } = await findProblemsInTurns(seen.value, alert.rules, openKeys);
  const lingering = new Set((await findProblemsInTurns(seen.value, marginRules(alert.rules, alert.resolve_margin_pct), openKeys)).problems.map((p) => p.key));
  const current = new Set(problems.map((p) => p.key));
  const now = deps.now();
  const news: NewProblem[] = [];
  const changesOf = recentChanges(deps, seen.value, alert);
  const turn = turnEvery(TURN_EVERY);
  for (const problem of problems) {
    await turn();
    if (untold.has(problem.key)) continue;
    const record = await deps.store.get(alert.channel, problem.key);
    if (record?.state === 'open' && record.ts) await followUp(deps, alert, { ...record, ts: record.ts }, problem, changesOf);
    else if (record && withinCooldown(record, alert, now)) await reopen(deps, alert, record, problem, changesOf);
    else if (!record?.snoozedUntil || record.snoozedUntil <= now) news.push({ problem, previous: record });
  }
  if (news.length > GROUP_ABOVE) await announceGroup(deps, alert, news, changesOf);
  else for (const item of news) await announce(deps, alert, item, changesOf);
  if (deps.charts)
    await postAlertCharts(
      { ...deps, charts: deps.charts },
      alert.channel,
      news.map((n) => n.problem),
      seen.value,
    );
  for (const record of openRecords) {
    await turn();
    if (!current.has(record.key)) await recovering(deps, alert, record, !lingering.has(record.key));
  }
  await deps.store.saveSkips(alert.channel, { checkedAt: seen.value.now, skipped });
  deps.log.info({ channel: alert.channel, problems: problems.length, new: news.length, skipped }, 'alert check done');
}
