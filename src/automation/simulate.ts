// `/ads rules simulate`: the alert check replayed hour by hour over Whop's hourly report, with the real rules
// judging each hour and the real `propose` and `holdOf` deciding what a rule that acts would have done. Pure: rows,
// settings and now in, what each rule would have done out; nothing is changed in Whop and no firing is stored.

import { addInto, anomalyDaysBefore, historyDays, historyOfRows, type Totals } from '../alerts/hourly-history';
import { type Observation, settledWindow } from '../alerts/observation';
import { findProblems } from '../alerts/problems';
import { marginRules } from '../alerts/recovery';
import type { AlertRules, AlertSettings, Settings } from '../config';
import { type Currency, currencyOf } from '../currency';
import type { EntityRef, Problem } from '../model';
import type { Firing, FiringPlan } from '../store/types';
import type { AdGroup, ReportRow } from '../whop/types';
import { addDays, type LocalDate, localDate, startOfLocalDay } from '../zoned-time';
import { type Hold, holdOf } from './guardrails';
import { type NotProposed, propose, targetOf } from './propose';
import { type ActingRule, type ActionMode, actingRule, RULE_KEY, type RuleAction } from './rule-action';

const HOUR = 3_600_000;

/** The rules that may carry an action, as ads-bot.yml names them. */
export const ACTING_RULE_KEYS = ['pacing', 'anomaly', 'cost_per_result_above', 'roas_below', 'no_delivery_hours', 'fatigue'] as const;
export type ActingRuleKey = (typeof ACTING_RULE_KEYS)[number];

/**
 * Rules the hourly report cannot replay: it has no purchase value by the hour (ROAS) and no reach by the hour
 * (Meta reports none, so no frequency for fatigue).
 */
export const NOT_REPLAYABLE: Partial<Record<ActingRuleKey, 'no_purchase_value' | 'no_reach'>> = { roas_below: 'no_purchase_value', fatigue: 'no_reach' };
export type NotReplayable = NonNullable<(typeof NOT_REPLAYABLE)[ActingRuleKey]>;

export type ReplaySettings = Pick<Settings, 'alerts' | 'actions' | 'budget' | 'timezone'>;

export interface ReplayInput {
  settings: ReplaySettings;
  /** Every ad group as Whop lists it now: titles, status, budgets. */
  groups: readonly AdGroup[];
  /** Hourly report rows broken down by ad group, covering `replayWindow(...).readFrom` up to now (rows of one id may repeat: one per range read). */
  rows: readonly ReportRow[];
  days: number;
  now: Date;
  /** A rule with an action but `mode: notify` is replayed as if `approve` (what it would have asked), instead of alerting only. */
  notifyAsApprove?: boolean;
}

/** What a rule did, or would have asked to do, at one firing; or what held it back. */
export interface ReplayEvent {
  at: Date;
  entity: { id: string; title: string | null };
  plan: FiringPlan;
  problem: Problem;
  /** `acted`: auto mode; `proposed`: approve mode (counted as approved at once); `held`: a guardrail said no. */
  outcome: 'acted' | 'proposed' | 'held';
  hold: Hold | null;
  /** A pause: the spend Whop reports from the pause until it was put back (or now), which would not have been spent. */
  savedSpend: number | null;
  /** When the replay put it back (pause_until, revert_after_hours, an unpause by a rule); null: not within the replay. */
  endedAt: Date | null;
}

export interface RuleReplay {
  channel: string;
  rule: ActingRuleKey;
  /** As configured. */
  mode: ActionMode;
  /** Replayed as `approve` though configured `notify` (notifyAsApprove). */
  asIf: boolean;
  action: RuleAction;
  /** Alerts opened (each opening is one firing). */
  alerts: number;
  events: ReplayEvent[];
  notProposed: Partial<Record<NotProposed, number>>;
}

export interface Replay {
  /** The first and the last check replayed. */
  from: Date;
  to: Date;
  checks: number;
  rules: RuleReplay[];
  /** Rules with an action that the hourly report cannot replay. */
  skipped: Array<{ channel: string; rule: ActingRuleKey; why: NotReplayable }>;
  currency: Currency | null;
}

type RuleConfig = { action?: RuleAction; mode?: ActionMode } & Parameters<typeof actingRule>[0];

const ruleOf = (rules: AlertRules, key: ActingRuleKey): RuleConfig | undefined => rules[key] as RuleConfig | undefined;

/** The rules of an alert that carry an action and can be replayed, alone: the others stay off in the replay. */
function replayedRules(rules: AlertRules): AlertRules {
  const on: Record<string, unknown> = { new_issues: false, rejected: false, delivery_status: [] };
  for (const key of ACTING_RULE_KEYS) if (ruleOf(rules, key)?.action && !NOT_REPLAYABLE[key]) on[key] = rules[key];
  return on as AlertRules;
}

/** Whether any alert has a rule with an action that the replay can judge: without one there is nothing to read. */
export const anyReplayable = (settings: Pick<ReplaySettings, 'alerts'>): boolean =>
  settings.alerts.some((alert) => ACTING_RULE_KEYS.some((key) => ruleOf(alert.rules, key)?.action && !NOT_REPLAYABLE[key]));

/** The checks replayed (every whole hour of the last `days` days) and how far back the rules read. */
export function replayWindow(settings: ReplaySettings, days: number, now: Date): { firstCheck: Date; readFrom: Date } {
  const tz = settings.timezone;
  const firstCheck = new Date((Math.floor(now.getTime() / HOUR) - days * 24 + 1) * HOUR);
  let readFrom = startOfLocalDay(localDate(firstCheck, tz), tz).getTime();
  for (const alert of settings.alerts) {
    const rules = replayedRules(alert.rules);
    const weeks = Math.max(rules.anomaly?.weeks ?? 0, rules.pacing?.forecast?.weeks ?? 0);
    if (weeks > 0) readFrom = Math.min(readFrom, startOfLocalDay(addDays(localDate(firstCheck, tz), -7 * weeks), tz).getTime());
    const silent = rules.no_delivery_hours;
    if (silent) readFrom = Math.min(readFrom, settledWindow(firstCheck, silent.hours, silent.settle_hours).from.getTime());
  }
  return { firstCheck, readFrom: new Date(readFrom) };
}

// ── The hourly data, indexed once ─────────────────────────────────────────────────────────────────────────────

const dayKey = (d: LocalDate) => `${d.year}-${d.month}-${d.day}`;
const zero = (): Totals => ({ spend: 0, impressions: 0, clicks: 0, results: 0 });
const count = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

interface Indexed {
  /** Each ad group's totals by the hour's start (ms). */
  hours: Map<string, Map<number, Totals>>;
  /** Each local day's rows, each row holding only that day's buckets. */
  dayRows: Map<string, ReportRow[]>;
  /** Each ad group's last hour with impressions. */
  lastDelivery: Map<string, number>;
  /** A day's rows with those of the days before it, as the anomaly rule's spans read them; built once per day and span. */
  spans: Map<string, ReportRow[]>;
}

/** The rows of `day` and of the `daysBefore` days before it: the same list for every check that asks (groupDays keeps what it made of it). */
function spanRows(data: Indexed, day: LocalDate, daysBefore: number): ReportRow[] {
  const key = `${dayKey(day)}|${daysBefore}`;
  let rows = data.spans.get(key);
  if (!rows) {
    rows = Array.from({ length: daysBefore + 1 }, (_, i) => data.dayRows.get(dayKey(addDays(day, i - daysBefore))) ?? []).flat();
    data.spans.set(key, rows);
  }
  return rows;
}

function index(rows: readonly ReportRow[], from: Date, now: Date, timeZone: string): Indexed {
  // Local day starts from `from` to past now, so a bucket finds its day without asking Intl for each.
  const days: { key: string; start: number }[] = [];
  for (let d = localDate(from, timeZone); ; d = addDays(d, 1)) {
    const start = startOfLocalDay(d, timeZone).getTime();
    if (start > now.getTime()) break;
    days.push({ key: dayKey(d), start });
  }
  const dayOf = (at: number): string | undefined => {
    let lo = 0;
    let hi = days.length - 1;
    if (hi < 0 || at < (days[0] as { start: number }).start) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((days[mid] as { start: number }).start <= at) lo = mid;
      else hi = mid - 1;
    }
    return days[lo]?.key;
  };
  const hours = new Map<string, Map<number, Totals>>();
  const split = new Map<string, Map<string, ReportRow>>();
  const lastDelivery = new Map<string, number>();
  for (const row of rows) {
    const byHour = hours.get(row.id) ?? new Map<number, Totals>();
    hours.set(row.id, byHour);
    for (const bucket of row.granularity ?? []) {
      const start = Date.parse(bucket.bucket_start);
      if (Number.isNaN(start)) continue;
      const hour = Math.floor(start / HOUR) * HOUR;
      const totals = byHour.get(hour) ?? zero();
      addInto(totals, {
        spend: count(bucket.spend),
        impressions: count(bucket.impressions),
        clicks: count(bucket.clicks),
        results: bucket.result_count === null ? null : count(bucket.result_count),
      });
      byHour.set(hour, totals);
      if (count(bucket.impressions) > 0) lastDelivery.set(row.id, Math.max(lastDelivery.get(row.id) ?? 0, hour));
      const key = dayOf(start);
      if (key === undefined) continue;
      const ofDay = split.get(key) ?? new Map<string, ReportRow>();
      split.set(key, ofDay);
      const part = ofDay.get(row.id) ?? { ...row, granularity: [] };
      part.granularity?.push(bucket);
      ofDay.set(row.id, part);
    }
  }
  return { hours, dayRows: new Map([...split].map(([key, byId]) => [key, [...byId.values()]])), lastDelivery, spans: new Map() };
}

function sumHours(byHour: Map<number, Totals> | undefined, from: number, to: number): Totals {
  const sum = zero();
  if (!byHour) return sum;
  for (let at = Math.ceil(from / HOUR) * HOUR; at < to; at += HOUR) {
    const part = byHour.get(at);
    if (part) addInto(sum, part);
  }
  return sum;
}

// ── The replayed state of each ad group ───────────────────────────────────────────────────────────────────────

interface GroupState {
  listed: AdGroup;
  /** Set by a rule's pause or unpause; null: as Whop had it. */
  status: 'active' | 'paused' | null;
  budget: number | null;
  /** The rule's pause or unpause that set `status`: a revert puts back only its own change, and a pause's saving ends with it. */
  statusBy: ReplayEvent | null;
}

/**
 * As Whop had it at `at`: an ad group active now was active all along; one not active now counted as running
 * until its last hour with impressions (someone stopped it then).
 */
function statusAt(state: GroupState, at: number, lastDelivery: number | undefined): string {
  if (state.status) return state.status;
  if (state.listed.status === 'active') return 'active';
  return lastDelivery !== undefined && at <= lastDelivery + HOUR ? 'active' : state.listed.status;
}

/** The ad group with the stats of [from, to) and its replayed status and budget, as a check would read it. */
function withStats(state: GroupState, status: string, t: Totals): AdGroup {
  const results = state.listed.result_event === null ? null : t.results;
  return {
    ...state.listed,
    status: status as AdGroup['status'],
    budget_amount: state.budget,
    spend: t.spend,
    impressions: t.impressions,
    clicks: t.clicks,
    results,
    cost_per_result: results ? t.spend / results : null,
    click_through_rate: t.impressions > 0 ? t.clicks / t.impressions : 0,
    cost_per_mille: t.impressions > 0 ? (t.spend * 1000) / t.impressions : 0,
  };
}

// ── The replay ────────────────────────────────────────────────────────────────────────────────────────────────

/** An alert as the replay tracks it: open (a firing was made when it opened) or resolved. */
interface AlertState {
  healthyChecks: number;
  open: boolean;
}

interface Revert {
  at: number;
  group: GroupState;
  firing: Firing;
  event: ReplayEvent;
}

/**
 * Replays each alert's rules that carry an action, hour by hour over the last `days` days. Mirrors the alert
 * check's openings: a problem opens when it is not open (new, or back after resolving), stays open while found,
 * and resolves after resolve_after_checks checks without it (or only within resolve_margin_pct); every opening is
 * one firing. Simplified: a check every hour whatever the alert's schedule, no snoozes, an approval given at once,
 * and the figures are Whop's as they happened (a paused ad group's later hours still count in its day).
 */
export function replayRules(input: ReplayInput): Replay {
  const { settings, now, days } = input;
  const tz = settings.timezone;
  const { firstCheck, readFrom } = replayWindow(settings, days, now);
  const data = index(input.rows, readFrom, now, tz);
  const states = new Map<string, GroupState>(input.groups.map((g) => [g.id, { listed: g, status: null, budget: g.budget_amount, statusBy: null }]));
  const currency = input.groups.map((g) => currencyOf(g.spend_currency)).find((c) => c !== null) ?? null;

  const results: RuleReplay[] = [];
  const skipped: Replay['skipped'] = [];
  const alerts = settings.alerts.map((alert) => {
    const byRule = new Map<ActingRuleKey, { result: RuleReplay; acting: ActingRule | null }>();
    for (const key of ACTING_RULE_KEYS) {
      const config = ruleOf(alert.rules, key);
      if (!config?.action) continue;
      const why = NOT_REPLAYABLE[key];
      if (why) {
        skipped.push({ channel: alert.channel, rule: key, why });
        continue;
      }
      const configured = actingRule(config);
      const asIf = configured === null && input.notifyAsApprove === true;
      const acting = configured ?? (asIf ? actingRule({ ...config, mode: 'approve' }) : null);
      const result: RuleReplay = { channel: alert.channel, rule: key, mode: config.mode ?? 'notify', asIf, action: config.action, alerts: 0, events: [], notProposed: {} };
      results.push(result);
      byRule.set(key, { result, acting });
    }
    return { alert, rules: replayedRules(alert.rules), byRule, records: new Map<string, AlertState>() };
  });

  const firings: Firing[] = [];
  const reverts: Revert[] = [];
  const putBack = (revert: Revert, at: number) => {
    const { group, firing, event } = revert;
    const plan = firing.plan;
    if (plan.kind === 'toggle') {
      // Only if it still is as the rule left it: someone (another rule) changing it since wins.
      if (group.statusBy !== event) return;
      group.status = null;
      group.statusBy = null;
    } else {
      if (group.budget !== plan.to) return;
      group.budget = plan.from;
    }
    event.endedAt = new Date(at);
    firing.state = 'reverted';
  };

  let checks = 0;
  for (let t = firstCheck.getTime(); t <= now.getTime(); t += HOUR) {
    checks++;
    const at = new Date(t);
    for (const revert of reverts.filter((r) => r.at <= t)) {
      putBack(revert, t);
      reverts.splice(reverts.indexOf(revert), 1);
    }
    const today = localDate(at, tz);
    const dayStart = startOfLocalDay(today, tz);
    for (const { alert, rules, byRule, records } of alerts) {
      if (byRule.size === 0) continue;
      const seen = observationAt(input, data, states, rules, at, dayStart);
      const openKeys = new Set([...records].filter(([, r]) => r.open).map(([key]) => key));
      const { problems } = findProblems(seen, rules, openKeys);
      const current = new Set(problems.map((p) => p.key));
      for (const problem of problems) {
        const record = records.get(problem.key);
        if (record?.open) {
          record.healthyChecks = 0;
          continue;
        }
        records.set(problem.key, { healthyChecks: 0, open: true });
        const rule = byRule.get(RULE_KEY[problem.rule] as ActingRuleKey);
        if (!rule) continue;
        rule.result.alerts++;
        if (rule.acting) fire({ alert, problem, rule: { ...rule, acting: rule.acting }, at, dayStart, states, firings, reverts, settings, data });
      }
      const gone = [...records].filter(([key, r]) => r.open && !current.has(key));
      if (gone.length === 0) continue;
      const lingering = new Set(findProblems(seen, marginRules(rules, alert.resolve_margin_pct), openKeys).problems.map((p) => p.key));
      for (const [key, record] of gone) {
        record.healthyChecks = lingering.has(key) ? 0 : record.healthyChecks + 1;
        if (record.healthyChecks >= alert.resolve_after_checks) record.open = false;
      }
    }
  }
  // A pause still holding at the end saved what its ad group went on spending up to now.
  for (const result of results) {
    for (const event of result.events) {
      if (event.outcome === 'held' || event.plan.kind !== 'toggle' || event.plan.verb !== 'pause') continue;
      const end = event.endedAt?.getTime() ?? now.getTime();
      event.savedSpend = sumHours(data.hours.get(event.entity.id), event.at.getTime(), end).spend;
    }
  }
  return { from: firstCheck, to: new Date(firstCheck.getTime() + (checks - 1) * HOUR), checks, rules: results, skipped, currency };
}

/** One check's view of Whop for one alert's rules, built from the hourly rows: today so far, the no-delivery window, the hourly history. */
function observationAt(input: ReplayInput, data: Indexed, states: Map<string, GroupState>, rules: AlertRules, at: Date, dayStart: Date): Observation {
  const t = at.getTime();
  const tz = input.settings.timezone;
  const silent = rules.no_delivery_hours ? settledWindow(at, rules.no_delivery_hours.hours, rules.no_delivery_hours.settle_hours) : null;
  const weeks = Math.max(rules.anomaly?.weeks ?? 0, rules.pacing?.forecast?.weeks ?? 0);
  const today: AdGroup[] = [];
  const recent: AdGroup[] = [];
  for (const [id, state] of states) {
    const status = statusAt(state, t, data.lastDelivery.get(id));
    today.push(withStats(state, status, sumHours(data.hours.get(id), dayStart.getTime(), t)));
    if (silent) recent.push(withStats(state, status, sumHours(data.hours.get(id), silent.from.getTime(), silent.to.getTime())));
  }
  const seen: Observation = {
    now: at,
    timeZone: tz,
    issues: [],
    entities: new Map(),
    campaigns: [],
    today,
    lastThreeDays: [],
    recent,
    rejectedAds: [],
    rejectedAdGroups: [],
    days: [],
  };
  if (weeks === 0) return seen;
  const daysBefore = anomalyDaysBefore(rules.anomaly);
  const past = historyDays(at, tz, weeks, daysBefore);
  const rows = past.days.map((day, i) => {
    const span = spanRows(data, day, daysBefore);
    // Today's rows stop at the check: the hours after it had not happened yet.
    return i > 0 ? span : span.map((row) => ({ ...row, granularity: (row.granularity ?? []).filter((b) => Date.parse(b.bucket_start) < t) }));
  });
  return { ...seen, history: { ...historyOfRows({ days: past.days, daysBefore, rows }, tz), campaigns: [] } };
}

interface FireInput {
  alert: AlertSettings;
  problem: Problem;
  rule: { result: RuleReplay; acting: ActingRule };
  at: Date;
  dayStart: Date;
  states: Map<string, GroupState>;
  firings: Firing[];
  reverts: Revert[];
  settings: ReplaySettings;
  data: Indexed;
}

/** One firing: propose from the replayed state of the ad group, hold back by what rules did before, else apply. */
function fire({ alert, problem, rule, at, dayStart, states, firings, reverts, settings, data }: FireInput): void {
  const { result, acting } = rule;
  const target = targetOf(problem);
  const state = target?.kind === 'ad_group' ? states.get(target.id) : undefined;
  if (!target || !state) {
    result.notProposed.not_actionable = (result.notProposed.not_actionable ?? 0) + 1;
    return;
  }
  const status = statusAt(state, at.getTime(), data.lastDelivery.get(target.id));
  const group = { ...state.listed, status: status as AdGroup['status'], budget_amount: state.budget };
  const proposal = propose(problem, acting, { kind: 'ad_group', id: group.id, title: group.title, status, group }, settings.budget, at, settings.timezone);
  if (!proposal.ok) {
    result.notProposed[proposal.why] = (result.notProposed[proposal.why] ?? 0) + 1;
    return;
  }
  const entity: EntityRef = proposal.entity;
  const firing: Firing = {
    id: `${alert.channel}:${problem.key}:${at.toISOString()}`,
    channel: alert.channel,
    alertKey: problem.key,
    rule: RULE_KEY[problem.rule],
    mode: acting.mode,
    entityKind: proposal.entity.kind,
    entityId: entity.id,
    entityTitle: entity.title,
    plan: proposal.plan,
    why: '',
    state: 'acting',
    firedAt: at,
    expiresAt: null,
    actedAt: null,
    actedBy: null,
    revertAt: null,
    messageTs: null,
    detail: null,
  };
  const hold = holdOf({ rule: firing.rule, acting, entityId: entity.id, plan: proposal.plan, now: at, dayStart, acted: firings, settings });
  const event: ReplayEvent = {
    at,
    entity: { id: entity.id, title: entity.title },
    plan: proposal.plan,
    problem,
    outcome: hold ? 'held' : acting.mode === 'auto' ? 'acted' : 'proposed',
    hold,
    savedSpend: null,
    endedAt: null,
  };
  result.events.push(event);
  if (hold) return;
  firings.push({ ...firing, state: 'done', actedAt: at });
  const done = firings.at(-1) as Firing;
  const plan = proposal.plan;
  if (plan.kind === 'toggle') {
    // A rule's unpause ends the pause that held it: its saving stops there.
    if (state.statusBy && plan.verb === 'unpause') state.statusBy.endedAt = at;
    state.status = plan.verb === 'pause' ? 'paused' : 'active';
    state.statusBy = event;
  } else {
    state.budget = plan.to;
  }
  const back = plan.kind === 'toggle' && plan.until ? Date.parse(plan.until) : acting.revert_after_hours !== null ? at.getTime() + acting.revert_after_hours * HOUR : null;
  if (back !== null) reverts.push({ at: back, group: state, firing: done, event });
}
