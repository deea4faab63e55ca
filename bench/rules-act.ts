// Rules that act: a month of hourly checks replayed over an account with planted incidents, the same rules in each
// mode (notify, approve, auto), through `/ads rules simulate`'s own replay over the sandbox's hourly report. What each
// mode does, how many incidents an auto rule stopped (paused their ad group while they lasted) and how fast, and
// what it did to ad groups that had no incident.

import { type Replay, replayRules, replayWindow } from '../src/automation/simulate';
import { readReplayData } from '../src/automation/simulate-data';
import { parseSettings } from '../src/config';
import { INCIDENT_KINDS, type Incident, type IncidentKind, incidentAccount, startSandbox } from '../src/sandbox';
import { createAdsGateway, createWhopClient } from '../src/whop/gateway';
import { median, TIME_ZONE, WHOP_KEY } from './setup';

const HOUR = 3_600_000;
const AD_GROUPS = 120;
const PER_KIND = 5;
/** The month replayed ends here: a Monday midnight in New York, no DST change in the 8 weeks read. */
const END = new Date('2026-10-26T04:00:00Z');
const DAYS = 28;
/** An incident starts at least this long before the replay ends, so that it can be seen; it may run past the end. */
const LEAD_HOURS = 24;
const MODES = ['notify', 'approve', 'auto'] as const;
type Mode = (typeof MODES)[number];

/**
 * A rule set a team might trust to act: pause on anomalies and on a cost per result far above the account's usual,
 * and raise the budget of an ad group spending fast in the morning (a winner, or a spike).
 */
const rulesYaml = (mode: Mode, costLimit: number) => `
timezone: ${TIME_ZONE}
alerts:
  - channel: C0ALERTS
    schedule: "0 * * * *"
    rules:
      anomaly: { action: { pause_until: "tomorrow 00:00" }, mode: ${mode} }
      cost_per_result_above: { limit: ${costLimit}, action: { pause_until: "tomorrow 00:00" }, mode: ${mode} }
      pacing: { pct_of_daily_budget: 60, before: "14:00", action: { scale_budget: { by_pct: 20 } }, mode: ${mode} }
`;

export interface ModeResult {
  mode: Mode;
  alerts: number;
  /** Auto: done; approve: asked for (counted as approved at once); notify: none. */
  actions: number;
  pauses: number;
  budgetChanges: number;
  held: Record<string, number>;
  /** Incidents whose ad group a pause hit while they lasted; hours from the incident's start. */
  stopped: number;
  medianHoursToStop: number;
  maxHoursToStop: number;
  byKind: Record<IncidentKind, { stopped: number; planted: number; maxHours: number }>;
  /** Actions on ad groups that had no incident in the month. */
  falseActions: number;
  /** Actions on an incident's ad group outside the incident. */
  offIncident: number;
  /** Budget raises on an ad group during its incident (a spike is not a winner). */
  raisedDuringIncident: number;
  notSpent: number;
}

export interface RulesActResult {
  adGroups: number;
  days: number;
  checks: number;
  incidents: Incident[];
  costLimit: number;
  /** How long the planted incidents last, median: a stop later than this is mostly after the harm. */
  medianIncidentHours: number;
  modes: ModeResult[];
  /** Whop requests the replay's read took (every mode replays the same read). */
  requests: number;
  readMs: number;
  replayMs: number;
  wallMs: number;
}

/** The generator's incidents in the order drawn: the first PER_KIND of each kind on an ad group of its own that delivered before. */
function plant(candidates: readonly Incident[], delivering: ReadonlySet<string>, firstCheck: number): Incident[] {
  const used = new Set<string>();
  const chosen: Incident[] = [];
  for (const incident of candidates) {
    const fits = incident.from.getTime() >= firstCheck && incident.from.getTime() + LEAD_HOURS * HOUR <= END.getTime();
    if (!fits || used.has(incident.adGroupId) || !delivering.has(incident.adGroupId)) continue;
    if (chosen.filter((c) => c.kind === incident.kind).length >= PER_KIND) continue;
    used.add(incident.adGroupId);
    chosen.push(incident);
  }
  return chosen;
}

const during = (incident: Incident, id: string, at: number) => id === incident.adGroupId && at >= incident.from.getTime() && at <= incident.to.getTime();

function score(mode: Mode, replay: Replay, incidents: readonly Incident[]): ModeResult {
  const events = replay.rules.flatMap((r) => r.events);
  const done = events.filter((e) => e.outcome !== 'held');
  const held: Record<string, number> = {};
  for (const e of events) if (e.hold) held[e.hold] = (held[e.hold] ?? 0) + 1;
  const pauses = done.filter((e) => e.plan.kind === 'toggle' && e.plan.verb === 'pause');
  const hours: number[] = [];
  const byKind = Object.fromEntries(INCIDENT_KINDS.map((k) => [k, { stopped: 0, planted: 0, maxHours: 0 }])) as ModeResult['byKind'];
  for (const incident of incidents) {
    const kind = byKind[incident.kind];
    kind.planted++;
    const first = pauses.filter((e) => during(incident, e.entity.id, e.at.getTime())).reduce((t, e) => Math.min(t, e.at.getTime()), Infinity);
    if (first === Infinity) continue;
    const h = (first - incident.from.getTime()) / HOUR;
    hours.push(h);
    kind.stopped++;
    kind.maxHours = Math.max(kind.maxHours, h);
  }
  const planted = new Set(incidents.map((i) => i.adGroupId));
  const inIncident = (id: string, at: number) => incidents.some((i) => during(i, id, at));
  return {
    mode,
    alerts: replay.rules.reduce((n, r) => n + r.alerts, 0),
    actions: done.length,
    pauses: pauses.length,
    budgetChanges: done.length - pauses.length,
    held,
    stopped: hours.length,
    medianHoursToStop: hours.length ? median(hours) : NaN,
    maxHoursToStop: hours.length ? Math.max(...hours) : NaN,
    byKind,
    falseActions: done.filter((e) => !planted.has(e.entity.id)).length,
    offIncident: done.filter((e) => planted.has(e.entity.id) && !inIncident(e.entity.id, e.at.getTime())).length,
    raisedDuringIncident: done.filter((e) => e.plan.kind === 'budget' && inIncident(e.entity.id, e.at.getTime())).length,
    notSpent: pauses.reduce((sum, e) => sum + (e.savedSpend ?? 0), 0),
  };
}

export async function rulesAct(log: (line: string) => void): Promise<RulesActResult> {
  const started = performance.now();
  const { account, incidents: drawn } = incidentAccount({ adGroups: AD_GROUPS, days: DAYS, incidents: 400, now: END, timeZone: TIME_ZONE });
  account.now = () => END;
  const probe = parseSettings(rulesYaml('auto', 1));
  const { firstCheck, readFrom } = replayWindow(probe, DAYS, END);
  const sandbox = await startSandbox({ apiKey: WHOP_KEY, account });
  try {
    const gateway = createAdsGateway(createWhopClient({ apiKey: WHOP_KEY, baseURL: sandbox.url, maxRetries: 2, timeoutMs: 120_000 }));
    // Reads only, so retried: a keep-alive connection the sandbox closes while idle must not fail the section.
    // Incidents go only where the ad group delivered in the weeks before, and the cost limit is set from those weeks.
    account.incidents = [];
    const before = await gateway.adGroups({ from: readFrom, to: firstCheck, timeZone: TIME_ZONE }, 'active');
    if (!before.ok) throw new Error(`sandbox: ${before.error.message}`);
    const incidents = plant(drawn, new Set(before.value.filter((g) => g.impressions > 0).map((g) => g.id)), firstCheck.getTime());
    account.incidents = incidents;
    const costs = before.value.flatMap((g) => (g.cost_per_result !== null && g.results ? [g.cost_per_result] : []));
    const costLimit = Math.round(3 * median(costs));
    log(`   ${AD_GROUPS} ad groups, ${incidents.length} incidents planted, ${DAYS} days of hourly checks; cost limit $${costLimit} (3× the median ad group's)`);

    const requestsBefore = sandbox.requests.length;
    const readStarted = performance.now();
    const data = await readReplayData(gateway, probe, DAYS, END);
    if (!data.ok) throw new Error(`sandbox: ${data.error.message}`);
    const readMs = performance.now() - readStarted;
    const requests = sandbox.requests.length - requestsBefore;

    const replayStarted = performance.now();
    const replays = MODES.map((mode) => replayRules({ settings: parseSettings(rulesYaml(mode, costLimit)), ...data.value, days: DAYS, now: END }));
    const replayMs = performance.now() - replayStarted;
    const [notify] = replays as [Replay];
    return {
      adGroups: AD_GROUPS,
      days: DAYS,
      checks: notify.checks,
      incidents,
      costLimit,
      medianIncidentHours: median(incidents.map((i) => (i.to.getTime() - i.from.getTime()) / HOUR)),
      modes: MODES.map((mode, i) => score(mode, replays[i] as Replay, incidents)),
      requests,
      readMs,
      replayMs,
      wallMs: performance.now() - started,
    };
  } finally {
    await sandbox.close();
  }
}
