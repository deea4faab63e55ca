import type { AlertRules } from '../config';
import { issueEntities } from '../digest/build';
import { openIssues } from '../digest/issues';
import { statsWindow } from '../digest/window';
import type { EntityRef } from '../model';
import type { AdsGateway, StatsRange } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import type { AdGroup } from '../whop/types';
import { addDays, localDate, startOfLocalDay } from '../zoned-time';
import { type HistoryReader, localHistory } from './history-reader';
import { anomalyDaysBefore, type HourlyHistory } from './hourly-history';
import { type Observation, settledWindow } from './observation';

const none = () => Promise.resolve({ ok: true as const, value: [] as never[] });

/** The last `days` complete days in the team's time zone, oldest first: today is not over, so its frequency is not comparable yet. */
function completeDays(days: number, now: Date, timeZone: string): StatsRange[] {
  const today = localDate(now, timeZone);
  return Array.from({ length: days }, (_, i) => ({
    from: startOfLocalDay(addDays(today, i - days), timeZone),
    to: startOfLocalDay(addDays(today, i - days + 1), timeZone),
    timeZone,
  }));
}

/** Every ad group once per day, the days asked for all at once. */
async function perDay(gateway: AdsGateway, ranges: readonly StatsRange[]): Promise<WhopResult<AdGroup[][]>> {
  const results = await Promise.all(ranges.map((range) => gateway.adGroups(range, 'active')));
  const days: AdGroup[][] = [];
  for (const result of results) {
    if (!result.ok) return result;
    days.push(result.value);
  }
  return { ok: true, value: days };
}

/** Asks Whop only for what the rules that are on need, all at once; one failure fails the whole check. */
export async function observe(
  gateway: AdsGateway,
  rules: AlertRules,
  now: Date,
  timeZone: string,
  history: HistoryReader = localHistory(gateway),
): Promise<WhopResult<Observation>> {
  const today: StatsRange = { ...statsWindow('today', now, timeZone), timeZone };
  const last = (hours: number, settleHours: number): StatsRange => ({ ...settledWindow(now, hours, settleHours), timeZone });
  const delivery = new Set(rules.delivery_status);
  const campaignStates = delivery.has('payment_failed') || delivery.has('all_ads_rejected') || delivery.has('ad_groups_off');
  const adGroupStates = delivery.has('learning_limited') || delivery.has('all_ads_rejected');
  const forecast = rules.pacing?.forecast;
  const weeks = Math.max(rules.anomaly?.weeks ?? 0, forecast?.weeks ?? 0);
  const anomaly = rules.anomaly;
  const daysBefore = anomalyDaysBefore(anomaly);
  const [campaigns, todayGroups, threeDays, recent, rejectedAds, rejectedAdGroups, days, hourly] = await Promise.all([
    rules.new_issues || rules.rejected || campaignStates || forecast ? gateway.campaigns(today) : none(),
    rules.pacing || rules.cost_per_result_above || adGroupStates || rules.anomaly ? gateway.adGroups(today) : none(),
    rules.roas_below ? gateway.adGroups(last(72, rules.roas_below.settle_hours)) : none(),
    rules.no_delivery_hours ? gateway.adGroups(last(rules.no_delivery_hours.hours, rules.no_delivery_hours.settle_hours), 'active') : none(),
    rules.rejected ? gateway.adsWithStatus('rejected') : none(),
    rules.rejected ? gateway.adGroups(today, 'rejected') : none(),
    rules.fatigue ? perDay(gateway, completeDays(rules.fatigue.days, now, timeZone)) : none(),
    weeks > 0 ? history.read({ now, timeZone, weeks, daysBefore }) : Promise.resolve({ ok: true as const, value: undefined }),
  ]);
  for (const result of [campaigns, todayGroups, threeDays, recent, rejectedAds, rejectedAdGroups, days, hourly]) if (!result.ok) return result;
  const issues = openIssues(campaigns.ok ? campaigns.value : []);
  const known = new Map<string, EntityRef>((campaigns.ok ? campaigns.value : []).map((c) => [c.id, { kind: 'ad_campaign', id: c.id, title: c.title, status: c.status }]));
  const entities = rules.new_issues ? await issueEntities(gateway, issues, known) : ({ ok: true, value: known } as const);
  if (!entities.ok) return entities;
  const value = <T>(r: WhopResult<T[]> | { ok: true; value: never[] }): T[] => (r.ok ? r.value : []);
  const past: HourlyHistory | undefined = hourly.ok && hourly.value ? { ...hourly.value, campaigns: value(campaigns) } : undefined;
  return {
    ok: true,
    value: {
      now,
      timeZone,
      issues,
      entities: entities.value,
      campaigns: value(campaigns),
      today: value(todayGroups),
      lastThreeDays: value(threeDays),
      recent: value(recent),
      rejectedAds: value(rejectedAds),
      rejectedAdGroups: value(rejectedAdGroups),
      days: value(days),
      ...(past ? { history: past } : {}),
    },
  };
}
