import type { AnomalyRule } from '../config';
// Whop's hourly report rows → each ad group's hours on one local day of the team, by wall-clock hour. Matching by
// the local hour (not by 168-hour offsets) keeps "10:00 on a Tuesday" the same hour of the day across a DST change:
// on the day clocks go back, the repeated hour adds into one, and on the day they go forward, the skipped one is empty.
import { type Currency, currencyOf } from '../currency';
import type { AnomalyMetric } from '../model';
import type { AdCampaign, ReportRow } from '../whop/types';
import { addDays, type LocalDate, localDate, localMinutes, startOfLocalDay } from '../zoned-time';

/** Counts by the hour, summed; `results` null once any hour had no count Whop attributes. */
export interface Totals {
  spend: number;
  impressions: number;
  clicks: number;
  results: number | null;
}

/**
 * One ad group on one local day, and on the `daysBefore` days before it when asked: 24 hours of totals a day,
 * oldest day first (the day itself is the last 24), and the currency its spend is in.
 */
export interface GroupDay {
  hours: Totals[];
  currency: Currency | null;
  /** The totals of hours [from, to) without making `hours`: a packed week's (packed-days.ts) sums its numbers in place. */
  sum?: (from: number, to: number) => Totals;
}

/** Each ad group's hours by its id: a Map made of report rows, or a week the history worker packed. */
export interface GroupDays {
  get(id: string): GroupDay | undefined;
}

/**
 * Today (index 0) and the same weekday 1…n weeks before, each ad group's hours by week, with the account's
 * campaigns. `spans` holds each week's day and the `daysBefore` days before it, so a span of hours can cross
 * midnight; `dayOnly` the day alone.
 */
export interface HourlyHistory extends HistoryWeeks {
  campaigns: AdCampaign[];
}

/** The hours of an HourlyHistory, as read from Whop: what the history worker answers. */
export interface HistoryWeeks {
  days: LocalDate[];
  daysBefore: number;
  spans: readonly GroupDays[];
  dayOnly: readonly GroupDays[];
}

const empty = (): Totals => ({ spend: 0, impressions: 0, clicks: 0, results: 0 });

/** Non-negative finite numbers only: anything else Whop could send counts as nothing. */
const count = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

export function addInto(into: Totals, part: Totals): void {
  into.spend += part.spend;
  into.impressions += part.impressions;
  into.clicks += part.clicks;
  into.results = into.results === null || part.results === null ? null : into.results + part.results;
}

const sameDay = (a: LocalDate, b: LocalDate) => a.year === b.year && a.month === b.month && a.day === b.day;

/** A calendar date as a count of days, so two dates subtract. */
const dayNumber = (day: LocalDate) => Math.round(Date.UTC(day.year, day.month - 1, day.day) / 86_400_000);

/**
 * What groupDays made of a list of rows, by day, days before and zone. A check builds its lists afresh, so this only
 * spares the replay of `/ads rules simulate`, which hands the same past days' lists to every hourly check of a day
 * (and the same lists again to the resolve-margin pass): there it is most of the work. Callers only read the result.
 */
const splitDays = new WeakMap<readonly ReportRow[], Map<string, ReadonlyMap<string, GroupDay>>>();

/** The rows' buckets that fall on `day` in the zone, or on one of the `daysBefore` days before it, by the ad group's id. */
export function groupDays(rows: readonly ReportRow[], day: LocalDate, timeZone: string, daysBefore = 0): ReadonlyMap<string, GroupDay> {
  const key = `${day.year}-${day.month}-${day.day}|${daysBefore}|${timeZone}`;
  const known = splitDays.get(rows) ?? new Map<string, ReadonlyMap<string, GroupDay>>();
  splitDays.set(rows, known);
  const cached = known.get(key);
  if (cached) return cached;
  const groups = groupDaysOf(rows, day, timeZone, daysBefore);
  known.set(key, groups);
  return groups;
}

/**
 * The history of the report rows of each week (today's first, each with its `daysBefore` days before), grouped
 * when first read: a rule that is off never pays for it.
 */
export function historyOfRows(input: { rows: readonly (readonly ReportRow[])[]; days: LocalDate[]; daysBefore: number }, timeZone: string): HistoryWeeks {
  const { rows, days, daysBefore } = input;
  const weeks = (before: number): GroupDays[] =>
    rows.map((week, i) => {
      let grouped: ReadonlyMap<string, GroupDay> | undefined;
      return {
        get: (id) => {
          const day = days[i] ?? days[0];
          if (!day) return undefined;
          grouped ??= groupDays(week, day, timeZone, before);
          return grouped.get(id);
        },
      };
    });
  return { days, daysBefore, spans: weeks(daysBefore), dayOnly: weeks(0) };
}

function groupDaysOf(rows: readonly ReportRow[], day: LocalDate, timeZone: string, daysBefore: number): Map<string, GroupDay> {
  const groups = new Map<string, GroupDay>();
  const last = dayNumber(day);
  // Every ad group's buckets start on the same few hours: the zone's clock is read once per start (Intl is slow).
  const slots = new Map<number, number | null>();
  const slotOf = (start: number) => {
    let slot = slots.get(start);
    if (slot === undefined) {
      const back = last - dayNumber(localDate(new Date(start), timeZone));
      slot = back < 0 || back > daysBefore ? null : (daysBefore - back) * 24 + Math.floor(localMinutes(new Date(start), timeZone) / 60);
      slots.set(start, slot);
    }
    return slot;
  };
  for (const row of rows) {
    const group: GroupDay = groups.get(row.id) ?? { hours: Array.from({ length: 24 * (daysBefore + 1) }, empty), currency: currencyOf(row.summary.spend_currency) };
    for (const bucket of row.granularity ?? []) {
      const start = Date.parse(bucket.bucket_start);
      const slot = Number.isNaN(start) ? null : slotOf(start);
      const hour = slot === null ? undefined : group.hours[slot];
      if (!hour) continue;
      addInto(hour, {
        spend: count(bucket.spend),
        impressions: count(bucket.impressions),
        clicks: count(bucket.clicks),
        results: bucket.result_count === null ? null : count(bucket.result_count),
      });
      group.currency ??= currencyOf(bucket.spend_currency);
    }
    groups.set(row.id, group);
  }
  return groups;
}

/** The totals of the hours from `from` up to before `to` (0–24 a day, the oldest day first), by wall-clock hour. */
export function between(day: GroupDay, from: number, to: number): Totals {
  if (day.sum) return day.sum(from, to);
  const sum = empty();
  for (const part of day.hours.slice(from, to)) addInto(sum, part);
  return sum;
}

/** The totals of the hours before `hour` (0–24). */
export const until = (day: GroupDay, hour: number): Totals => between(day, 0, hour);

/**
 * Whether anything delivered on the days that the hours [from, to) touch: days without impressions are a week the
 * ad group was not running. Without a span, the whole of what the GroupDay holds.
 */
export const delivered = (day: GroupDay | undefined, from = 0, to = day?.hours.length ?? 0): day is GroupDay =>
  day !== undefined && between(day, Math.floor(from / 24) * 24, Math.ceil(to / 24) * 24).impressions > 0;

/** The metric over the totals; null where it has no value (no impressions, no results). */
export function metricOf(metric: AnomalyMetric, t: Totals): number | null {
  switch (metric) {
    case 'spend':
      return t.spend;
    case 'cpm':
      return t.impressions > 0 ? (t.spend * 1000) / t.impressions : null;
    case 'ctr':
      return t.impressions > 0 ? t.clicks / t.impressions : null;
    case 'cost_per_result':
      return t.results ? t.spend / t.results : null;
  }
}

/**
 * The last hour whose data has settled: `now` less `settleHours`, as a whole local hour of today (10 means the
 * hours up to 10:00). null when that moment is still yesterday (just after midnight) or no full hour is done.
 */
export function settledHour(now: Date, timeZone: string, settleHours: number): number | null {
  const cutoff = new Date(now.getTime() - settleHours * 3_600_000);
  if (!sameDay(localDate(cutoff, timeZone), localDate(now, timeZone))) return null;
  const hour = Math.floor(localMinutes(cutoff, timeZone) / 60);
  return hour > 0 ? hour : null;
}

/**
 * The hour index, in a GroupDay of today with `daysBefore` days before it, up to which the hours have settled:
 * `now` less `settleHours`, as a whole local hour (an index of daysBefore × 24 + 10 means today's hours up to 10:00).
 * Just after midnight it lies in yesterday. null when it lies before the days held or no full hour is done.
 */
export function settledIndex(now: Date, timeZone: string, settleHours: number, daysBefore: number): number | null {
  const cutoff = new Date(now.getTime() - settleHours * 3_600_000);
  const back = dayNumber(localDate(now, timeZone)) - dayNumber(localDate(cutoff, timeZone));
  const index = (daysBefore - back) * 24 + Math.floor(localMinutes(cutoff, timeZone) / 60);
  return back <= daysBefore && index > 0 ? index : null;
}

/** How many days before a day a trailing span of `hours` up to `settleHours` before now can reach into. */
export const daysReached = (hours: number, settleHours: number): number => (hours > 0 ? Math.ceil((hours + settleHours) / 24) : 0);

/** The days before today the anomaly rule's window and trend reach into: what a check's history must hold. */
export const anomalyDaysBefore = (anomaly: Pick<AnomalyRule, 'window_hours' | 'trend_hours' | 'settle_hours'> | undefined): number =>
  anomaly ? daysReached(Math.max(anomaly.window_hours, anomaly.trend_hours), anomaly.settle_hours) : 0;

/**
 * Today and the same weekday of each of the `weeks` weeks before, each with the `daysBefore` days before it; `ranges`
 * holds, for each of those weeks, one [from, to) range per local day on the zone's clock, oldest first (today's up to
 * now): a past day is one report, which no longer changes once settled.
 */
export function historyDays(now: Date, timeZone: string, weeks: number, daysBefore = 0): { days: LocalDate[]; ranges: { from: Date; to: Date }[][] } {
  const today = localDate(now, timeZone);
  const days = Array.from({ length: weeks + 1 }, (_, w) => addDays(today, -7 * w));
  const ranges = days.map((day, w) =>
    Array.from({ length: daysBefore + 1 }, (_, i) => {
      const date = addDays(day, i - daysBefore);
      return { from: startOfLocalDay(date, timeZone), to: w === 0 && i === daysBefore ? now : startOfLocalDay(addDays(date, 1), timeZone) };
    }),
  );
  return { days, ranges };
}

/** Day of the week, 0 = Sunday, of a calendar date. */
export const weekdayOf = (day: LocalDate) => new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
