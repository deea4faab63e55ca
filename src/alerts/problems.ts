import { createHash } from 'node:crypto';
import type { AlertRules } from '../config';
import { currencyOf } from '../currency';
import type { OpenIssue } from '../digest/issues';
import { groupIssues } from '../digest/issues';
import type { EntityRef, Problem } from '../model';
import type { Ad, AdGroup } from '../whop/types';
import { localDate, localMinutes } from '../zoned-time';

/** What one alert check saw in Whop. */
export interface Observation {
  now: Date;
  timeZone: string;
  issues: OpenIssue[];
  /** Titles and statuses of what the issues name. */
  entities: ReadonlyMap<string, EntityRef>;
  /** Ad groups with today's stats (pacing, cost per result). */
  today: AdGroup[];
  /** Ad groups with the last 3 days' stats (ROAS). */
  lastThreeDays: AdGroup[];
  /** Ad groups with stats over the no-delivery window. */
  recent: AdGroup[];
  rejectedAds: Ad[];
  rejectedAdGroups: AdGroup[];
}

const ref = (kind: 'ad' | 'ad_group', item: { id: string; title: string | null; status: string }): EntityRef => ({ kind, id: item.id, title: item.title, status: item.status });

const messageKey = (message: string) => `issue:${createHash('sha256').update(message.trim()).digest('hex').slice(0, 32)}`;

/** Delivery states in which an ad group is meant to be showing ads; scheduled, ended or switched-off ones are not. */
const SHOULD_DELIVER: ReadonlySet<string> = new Set(['active', 'learning', 'learning_limited', 'issues']);

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/**
 * Every problem the rules find, each under a key that stays the same while the problem lasts, so a
 * check that sees it again changes nothing. `open` are keys already alerted: pacing stays open for the
 * rest of the day once it fired, rather than "resolving" when the clock passes the deadline.
 */
export function findProblems(seen: Observation, rules: AlertRules, open: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const day = localDate(seen.now, seen.timeZone);

  if (rules.new_issues) {
    for (const group of groupIssues(seen.issues, seen.entities)) {
      problems.push({ key: messageKey(group.message), rule: 'issue', message: group.message, entities: group.entities });
    }
  }

  if (rules.rejected) {
    // An item whose rejection Whop also reports as an issue is already alerted, with Whop's reason.
    const explained = rules.new_issues ? new Set(seen.issues.map((i) => i.resource_id)) : new Set<string | null>();
    const rejected = [...seen.rejectedAdGroups.map((g) => ref('ad_group', g)), ...seen.rejectedAds.map((a) => ref('ad', a))];
    for (const entity of rejected) {
      if (!explained.has(entity.id)) problems.push({ key: `rejected:${entity.id}`, rule: 'rejected', entities: [entity] });
    }
  }

  if (rules.pacing) {
    const { pct_of_daily_budget: pct, before } = rules.pacing;
    const early = localMinutes(seen.now, seen.timeZone) < minutes(before);
    // Multiplied out rather than divided: spend exactly at the threshold (55.00 of 100.00 at 55%) must count.
    for (const group of seen.today) {
      if (group.status !== 'active' || group.budget_type !== 'daily' || !group.budget_amount || group.spend * 100 < pct * group.budget_amount) continue;
      const key = `pacing:${group.id}:${day.year}-${day.month}-${day.day}`;
      if (!early && !open.has(key)) continue;
      problems.push({
        key,
        rule: 'pacing',
        entities: [ref('ad_group', group)],
        spend: group.spend,
        budget: group.budget_amount,
        currency: currencyOf(group.spend_currency),
        pct,
        before,
      });
    }
  }

  const limit = rules.cost_per_result_above;
  if (limit !== undefined) {
    for (const group of seen.today) {
      // `results: null`: nothing Whop can attribute is optimised for (reach, awareness), so there is no cost per result.
      if (group.status !== 'active' || group.results === null) continue;
      // Spend with no result at all is the worst cost per result there is.
      const cost = group.results > 0 ? group.cost_per_result : group.spend;
      if (cost === null || cost <= limit) continue;
      problems.push({
        key: `cpr:${group.id}`,
        rule: 'cost_per_result',
        entities: [ref('ad_group', group)],
        costPerResult: cost,
        limit,
        currency: currencyOf(group.spend_currency),
      });
    }
  }

  const floor = rules.roas_below;
  if (floor !== undefined) {
    // Only where purchases are the goal: an awareness ad group returns nothing by design.
    for (const group of seen.lastThreeDays) {
      if (group.status !== 'active' || group.result_event !== 'purchase' || group.spend <= 0 || group.return_on_ad_spend >= floor) continue;
      problems.push({
        key: `roas:${group.id}`,
        rule: 'roas',
        entities: [ref('ad_group', group)],
        roas: group.return_on_ad_spend,
        limit: floor,
        spend: group.spend,
        currency: currencyOf(group.spend_currency),
      });
    }
  }

  const hours = rules.no_delivery_hours;
  if (hours !== undefined) {
    const since = seen.now.getTime() - hours * 3_600_000;
    for (const group of seen.recent) {
      // A creation time that does not parse (the SDK types it as any string) cannot make an ad group old enough.
      const oldEnough = Date.parse(group.created_at) <= since;
      if (group.status !== 'active' || !SHOULD_DELIVER.has(group.delivery_status) || group.impressions > 0 || !oldEnough) continue;
      problems.push({ key: `nodelivery:${group.id}`, rule: 'no_delivery', entities: [ref('ad_group', group)], hours });
    }
  }
  return problems;
}
