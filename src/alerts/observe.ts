import type { AlertRules } from '../config';
import { issueEntities } from '../digest/build';
import { openIssues } from '../digest/issues';
import { statsWindow } from '../digest/window';
import type { EntityRef } from '../model';
import type { AdsGateway, StatsRange } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import { type HourlyHistory, historyDays } from './hourly-history';
import type { Observation } from './observation';

const HOUR = 3_600_000;
const none = () => Promise.resolve({ ok: true as const, value: [] as never[] });

/** Asks Whop only for what the rules that are on need, all at once; one failure fails the whole check. */
export async function observe(gateway: AdsGateway, rules: AlertRules, now: Date, timeZone: string): Promise<WhopResult<Observation>> {
  const today: StatsRange = { ...statsWindow('today', now, timeZone), timeZone };
  const last = (hours: number): StatsRange => ({ from: new Date(now.getTime() - hours * HOUR), to: now, timeZone });
  const forecast = rules.pacing?.forecast;
  const weeks = Math.max(rules.anomaly?.weeks ?? 0, forecast?.weeks ?? 0);
  const past = weeks > 0 ? historyDays(now, timeZone, weeks) : null;
  const [campaigns, todayGroups, threeDays, recent, rejectedAds, rejectedAdGroups, hourly] = await Promise.all([
    rules.new_issues || rules.rejected || forecast ? gateway.campaigns(today) : none(),
    rules.pacing || rules.cost_per_result_above !== undefined || rules.anomaly ? gateway.adGroups(today) : none(),
    rules.roas_below !== undefined ? gateway.adGroups(last(72)) : none(),
    rules.no_delivery_hours !== undefined ? gateway.adGroups(last(rules.no_delivery_hours), 'active') : none(),
    rules.rejected ? gateway.adsWithStatus('rejected') : none(),
    rules.rejected ? gateway.adGroups(today, 'rejected') : none(),
    past ? gateway.hourlyReport(past.ranges) : none(),
  ]);
  for (const result of [campaigns, todayGroups, threeDays, recent, rejectedAds, rejectedAdGroups, hourly]) if (!result.ok) return result;
  const issues = openIssues(campaigns.ok ? campaigns.value : []);
  const known = new Map<string, EntityRef>((campaigns.ok ? campaigns.value : []).map((c) => [c.id, { kind: 'ad_campaign', id: c.id, title: c.title, status: c.status }]));
  const entities = rules.new_issues ? await issueEntities(gateway, issues, known) : ({ ok: true, value: known } as const);
  if (!entities.ok) return entities;
  const value = <T>(r: WhopResult<T[]> | { ok: true; value: never[] }): T[] => (r.ok ? r.value : []);
  const history: HourlyHistory | undefined = past ? { days: past.days, rows: value(hourly), campaigns: value(campaigns) } : undefined;
  return {
    ok: true,
    value: {
      now,
      timeZone,
      issues,
      entities: entities.value,
      today: value(todayGroups),
      lastThreeDays: value(threeDays),
      recent: value(recent),
      rejectedAds: value(rejectedAds),
      rejectedAdGroups: value(rejectedAdGroups),
      ...(history ? { history } : {}),
    },
  };
}
