// A large account with trouble planted in it, and the list of what was planted: ground truth for measuring how
// well alert rules find incidents (a benchmark replays checks over its days and compares).
import type { SandboxAccount } from './account';
import { HOUR_MS, type Incident, type IncidentKind } from './hourly';
import { between, mulberry32, pick } from './random';
import { demoHourShape, scaledAccount } from './seed';

export const INCIDENT_KINDS: readonly IncidentKind[] = ['spend_spike', 'cost_per_result_jump', 'delivery_stall', 'slow_drift'];

export interface IncidentAccountOptions {
  /** Ad groups, spread over 20 campaigns as scaledAccount spreads them. */
  adGroups: number;
  /** Ads per ad group; default 2. */
  adsPerGroup?: number;
  /** Incidents start within the last `days` days before now; default 28. The account has 60 days of history. */
  days?: number;
  /** How many incidents to plant, each on an active ad group; default 0. */
  incidents?: number;
  /** The kinds to draw from; default all four. */
  kinds?: readonly IncidentKind[];
  seed?: number;
  now: Date;
  /** Reporting time zone of the hour-of-day rhythm; default America/New_York. */
  timeZone?: string;
}

/** How long each kind lasts and how strong it is, drawn within these bounds. */
const SHAPES: Record<IncidentKind, { hours: [number, number]; factor: [number, number] }> = {
  spend_spike: { hours: [2, 6], factor: [3, 5] },
  cost_per_result_jump: { hours: [6, 24], factor: [2, 3] },
  delivery_stall: { hours: [3, 12], factor: [0, 0] },
  slow_drift: { hours: [72, 168], factor: [1.5, 2.5] },
};

/**
 * Pure and seeded: the same options always give the same account and the same incidents. Incidents start on a
 * whole hour and never before the ad group existed; they may run past now (a spike still going on).
 */
export function incidentAccount(opts: IncidentAccountOptions): { account: SandboxAccount; incidents: Incident[] } {
  const seed = opts.seed ?? 11;
  const now = opts.now;
  const account = scaledAccount({
    adGroups: opts.adGroups,
    ads: opts.adGroups * (opts.adsPerGroup ?? 2),
    issues: 0,
    seed,
    now: () => now,
    hourShape: demoHourShape(opts.timeZone ?? 'America/New_York'),
  });
  const rng = mulberry32(seed ^ 0x5eed);
  const active = account.adGroups.filter((g) => g.status === 'active');
  const days = opts.days ?? 28;
  const kinds = opts.kinds ?? INCIDENT_KINDS;
  const incidents: Incident[] = [];
  for (let i = 0; i < (opts.incidents ?? 0) && active.length > 0; i++) {
    const group = pick(rng, active);
    const kind = pick(rng, kinds);
    const shape = SHAPES[kind];
    const earliest = Math.max(Date.parse(group.created_at), now.getTime() - days * 24 * HOUR_MS);
    const from = Math.ceil(between(rng, earliest, now.getTime()) / HOUR_MS) * HOUR_MS;
    const hours = Math.round(between(rng, ...shape.hours));
    incidents.push({ adGroupId: group.id, kind, from: new Date(from), to: new Date(from + hours * HOUR_MS), factor: between(rng, ...shape.factor) });
  }
  account.incidents = incidents;
  return { account, incidents };
}
