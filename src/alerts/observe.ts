import type { AlertRules } from '../config';
import { issueEntities } from '../digest/build';
import { openIssues } from '../digest/issues';
import { statsWindow } from '../digest/window';
import type { EntityRef } from '../model';
import type { AdsGateway, StatsRange } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import { type Observation, settledWindow } from './observation';

const none = () => Promise.resolve({ ok: true as const, value: [] as never[] });

/** Asks Whop only for what the rules that are on need, all at once; one failure fails the whole check. */
export async function observe(gateway: AdsGateway, rules: AlertRules, now: Date, timeZone: string): Promise<WhopResult<Observation>> {
  const today: StatsRange = { ...statsWindow('today', now, timeZone), timeZone };
  const last = (hours: number, settleHours: number): StatsRange => ({ ...settledWindow(now, hours, settleHours), timeZone });
  const [campaigns, todayGroups, threeDays, recent, rejectedAds, rejectedAdGroups] = await Promise.all([
    rules.new_issues || rules.rejected ? gateway.campaigns(today) : none(),
    rules.pacing || rules.cost_per_result_above ? gateway.adGroups(today) : none(),
    rules.roas_below ? gateway.adGroups(last(72, rules.roas_below.settle_hours)) : none(),
    rules.no_delivery_hours ? gateway.adGroups(last(rules.no_delivery_hours.hours, rules.no_delivery_hours.settle_hours), 'active') : none(),
    rules.rejected ? gateway.adsWithStatus('rejected') : none(),
    rules.rejected ? gateway.adGroups(today, 'rejected') : none(),
  ]);
  for (const result of [campaigns, todayGroups, threeDays, recent, rejectedAds, rejectedAdGroups]) if (!result.ok) return result;
  const issues = openIssues(campaigns.ok ? campaigns.value : []);
  const known = new Map<string, EntityRef>((campaigns.ok ? campaigns.value : []).map((c) => [c.id, { kind: 'ad_campaign', id: c.id, title: c.title, status: c.status }]));
  const entities = rules.new_issues ? await issueEntities(gateway, issues, known) : ({ ok: true, value: known } as const);
  if (!entities.ok) return entities;
  const value = <T>(r: WhopResult<T[]> | { ok: true; value: never[] }): T[] => (r.ok ? r.value : []);
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
    },
  };
}
