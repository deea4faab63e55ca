import type { WebClient } from '@slack/web-api';
import { type HourlyChart, hourlyAltText, hourlyChartSvg } from '../../blocks/chart';
import type { ChartRenderer } from '../charts/renderer';
import type { Logger } from '../logger';
import type { Problem } from '../model';
import { uploadImage } from '../slack/upload-image';
import type { AlertStore } from '../store/types';
import { addDays, atLocalTime, type LocalDate, startOfLocalDay } from '../zoned-time';
import { between, delivered, type GroupDay, metricOf, weekdayOf } from './hourly-history';
import type { Observation } from './observation';
import { MIN_WEEKS } from './usual';

export interface AlertChartDeps {
  slack: WebClient;
  charts: ChartRenderer;
  store: Pick<AlertStore, 'get'>;
  timeZone: string;
  log: Logger;
}

type AnomalyProblem = Extract<Problem, { rule: 'anomaly' }>;

const METRIC_NAME: Record<AnomalyProblem['metric'], string> = { spend: 'Spend', cost_per_result: 'Cost per result', ctr: 'CTR', cpm: 'CPM' };
const WEEKDAY = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];

const hourStart = (day: LocalDate, hour: number, timeZone: string) => (hour >= 24 ? startOfLocalDay(addDays(day, 1), timeZone) : atLocalTime(day, hour, 0, timeZone));

/**
 * An anomaly's metric from the start of the span it judged, hour by hour through the day: today's line up to the
 * hour it was judged at, and the usual band, the lowest to highest of the past weeks' same hours, as the rule sees it.
 */
export function anomalyChart(problem: AnomalyProblem, seen: Observation): HourlyChart | null {
  const history = seen.history;
  const today = history?.days[0];
  const group = problem.entities[0];
  if (!history || !today || !group) return null;
  const [todayRows, ...pastRows] = history.spans.map((week) => week.get(group.id));
  if (!todayRows) return null;
  const weeks = pastRows.filter((week): week is GroupDay => delivered(week));
  // Hours are indexed over the days the history holds, today being the last 24: the span judged may begin before midnight.
  const midnight = history.daysBefore * 24;
  const end = (problem.at.weekday === weekdayOf(today) ? midnight : midnight - 24) + problem.at.hour;
  const start = Math.max(0, end - (problem.hours ?? problem.at.hour - problem.from));
  const points = Array.from({ length: midnight + 24 - start }, (_, i) => {
    const index = start + i + 1;
    const past = weeks.map((w) => metricOf(problem.metric, between(w, start, index))).filter((v): v is number => v !== null && Number.isFinite(v));
    const band = past.length >= MIN_WEEKS ? { low: Math.min(...past), high: Math.max(...past) } : {};
    const value = index <= end ? metricOf(problem.metric, between(todayRows, start, index)) : null;
    const dayIndex = Math.floor((index - 1) / 24);
    return { at: hourStart(addDays(today, dayIndex - history.daysBefore), index - dayIndex * 24, seen.timeZone), value, ...band };
  });
  return {
    title: `${METRIC_NAME[problem.metric]} of ${group.title ?? group.id}${start !== midnight ? ` since ${problem.from}:00` : ' today'}`,
    metric: problem.metric,
    currency: problem.currency,
    timeZone: seen.timeZone,
    points,
    bandLabel: `usual: ${weeks.length} past ${WEEKDAY[problem.at.weekday] ?? 'weeks'}`,
  };
}

/**
 * Each new anomaly's chart in its alert's thread. A chart is an extra: a failure is logged and the alert stands.
 */
export async function postAlertCharts(deps: AlertChartDeps, channel: string, problems: readonly Problem[], seen: Observation): Promise<void> {
  for (const problem of problems) {
    if (problem.rule !== 'anomaly') continue;
    const chart = anomalyChart(problem, seen);
    const record = await deps.store.get(channel, problem.key);
    const thread = record?.groupTs ?? record?.ts;
    if (!chart || !thread) continue;
    try {
      const png = await deps.charts.render(hourlyChartSvg(chart));
      await uploadImage(deps.slack, {
        png,
        filename: `${problem.metric}-${problem.entities[0]?.id ?? 'alert'}.png`,
        title: chart.title,
        altText: hourlyAltText(chart),
        channel,
        threadTs: thread,
      });
    } catch (err) {
      deps.log.warn({ err, channel, key: problem.key }, 'alert chart not posted');
    }
  }
}
