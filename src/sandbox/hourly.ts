// How a day's bucket spreads over its hours, and what incidents do to those hours. The daily buckets stay the
// store; an account with an hour shape reads every window through these hours, so range stats and hourly
// reports are one series. Everything here is a pure function of its inputs: the same ad, hour and shape always
// give the same share, which lets a window start anywhere without replaying a random stream.
import { BUCKET_METRICS, type BucketMetric, METRIC_INDEX } from './account';

export const HOUR_MS = 3_600_000;

/** An ad account's hour-of-day rhythm, in its reporting time zone. */
export interface HourShape {
  /** IANA zone whose wall clock the weights follow; also the zone of the reports' `stat_date` and `stat_hour`. */
  timeZone: string;
  /** 24 relative weights, by local hour 0–23. */
  weights: readonly number[];
  /** Each hour's weight is multiplied by a seeded factor in [1 − noise, 1 + noise]. */
  noise: number;
}

export type IncidentKind = 'spend_spike' | 'cost_per_result_jump' | 'delivery_stall' | 'slow_drift';

/**
 * Something going wrong with one ad group over [from, to):
 * - `spend_spike`: delivery × factor (spend, impressions, clicks and results alike; CPM, CTR, cost per result unchanged),
 * - `cost_per_result_jump`: results and their value ÷ factor, spend unchanged (cost per result × factor),
 * - `delivery_stall`: nothing delivers (factor unused),
 * - `slow_drift`: impressions, clicks and results ÷ k, spend unchanged, k growing linearly from 1 to factor (CPM and
 *   cost per result creep up).
 */
export interface Incident {
  adGroupId: string;
  kind: IncidentKind;
  from: Date;
  to: Date;
  factor: number;
}

/** Evenings and lunch breaks: the usual shape of a consumer account's day (share of spend per local hour). */
export const CONSUMER_DAY: readonly number[] = [1.6, 1.1, 0.8, 0.6, 0.6, 0.9, 1.8, 3.0, 3.9, 4.3, 4.6, 5.0, 5.4, 5.1, 4.8, 4.7, 4.9, 5.3, 6.0, 6.8, 7.2, 6.9, 5.6, 3.4];

const localHours = new Map<string, { format: Intl.DateTimeFormat; hours: Map<number, number> }>();

/** The wall-clock hour (0–23) in the zone at the start of a UTC hour; memoised, as Intl is slow. */
export function localHourAt(epochHour: number, timeZone: string): number {
  let zone = localHours.get(timeZone);
  if (!zone) {
    zone = { format: new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }), hours: new Map() };
    localHours.set(timeZone, zone);
  }
  let hour = zone.hours.get(epochHour);
  if (hour === undefined) {
    hour = Number(zone.format.format(new Date(epochHour * HOUR_MS))) % 24;
    zone.hours.set(epochHour, hour);
  }
  return hour;
}

/** FNV-1a of an id: each ad gets its own noise. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A uniform [0, 1) from two integers, without state. */
function unit(a: number, b: number): number {
  let t = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
  t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
  return ((t ^ (t >>> 16)) >>> 0) / 4_294_967_296;
}

/** The shares of a UTC day's bucket that each of its 24 hours holds, for one ad: they add up to 1. */
export function hourShares(shape: HourShape, adId: string, dayStart: number): Float64Array {
  const shares = new Float64Array(24);
  const seed = idHash(adId);
  const firstHour = Math.round(dayStart / HOUR_MS);
  let sum = 0;
  for (let h = 0; h < 24; h++) {
    const epochHour = firstHour + h;
    // biome-ignore lint/style/noNonNullAssertion: localHourAt answers 0–23 and weights has 24 entries
    const weight = shape.weights[localHourAt(epochHour, shape.timeZone)]! * (1 + shape.noise * (2 * unit(seed, epochHour) - 1));
    shares[h] = weight;
    sum += weight;
  }
  for (let h = 0; h < 24; h++) shares[h] = sum > 0 ? (shares[h] as number) / sum : 1 / 24;
  return shares;
}

const DELIVERY: readonly BucketMetric[] = BUCKET_METRICS;
const RESULTS: readonly BucketMetric[] = ['added_to_carts', 'added_to_cart_value', 'purchases', 'purchase_value', 'leads', 'lead_value'];
const REACHED: readonly BucketMetric[] = ['impressions', 'reach', 'clicks', 'unique_clicks', ...RESULTS];

function scaleMetrics(scale: Float64Array, metrics: readonly BucketMetric[], by: number): void {
  for (const metric of metrics) scale[METRIC_INDEX[metric]] = (scale[METRIC_INDEX[metric]] as number) * by;
}

/** What the incidents active at `at` multiply each metric by; null when none is. */
export function incidentScale(incidents: readonly Incident[], at: number): Float64Array | null {
  let scale: Float64Array | null = null;
  for (const incident of incidents) {
    const from = incident.from.getTime();
    const to = incident.to.getTime();
    if (at < from || at >= to) continue;
    scale ??= new Float64Array(BUCKET_METRICS.length).fill(1);
    if (incident.kind === 'spend_spike') scaleMetrics(scale, DELIVERY, incident.factor);
    else if (incident.kind === 'cost_per_result_jump') scaleMetrics(scale, RESULTS, 1 / incident.factor);
    else if (incident.kind === 'delivery_stall') scaleMetrics(scale, DELIVERY, 0);
    else scaleMetrics(scale, REACHED, 1 / (1 + (incident.factor - 1) * ((at - from) / (to - from))));
  }
  return scale;
}

/** Whether any incident overlaps [from, to). */
export const touches = (incidents: readonly Incident[], from: number, to: number): boolean =>
  incidents.some((incident) => incident.from.getTime() < to && incident.to.getTime() > from);
