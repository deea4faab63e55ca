import type { OpenIssue } from '../digest/issues';
import type { EntityRef } from '../model';
import type { Ad, AdCampaign, AdGroup } from '../whop/types';
import type { HourlyHistory } from './hourly-history';

/** What one alert check saw in Whop. */
export interface Observation {
  now: Date;
  timeZone: string;
  issues: OpenIssue[];
  /** Titles and statuses of what the issues name. */
  entities: ReadonlyMap<string, EntityRef>;
  /** Campaigns with today's stats: their delivery_status, and the issues each lists (its own and those under it). */
  campaigns: AdCampaign[];
  /** Ad groups with today's stats (pacing, cost per result, delivery_status). */
  today: AdGroup[];
  /** Ad groups with 3 days' stats, up to `roas_below.settle_hours` before now (ROAS). */
  lastThreeDays: AdGroup[];
  /** Ad groups with stats over the no-delivery window (`settledWindow`). */
  recent: AdGroup[];
  rejectedAds: Ad[];
  rejectedAdGroups: AdGroup[];
  /** Ad groups with one complete day's stats each, oldest day first (creative fatigue). */
  days: AdGroup[][];
  /** Hourly rows of today and of past weeks' same weekday (anomaly, pacing forecast); absent when no rule needs them. */
  history?: HourlyHistory;
}

export const ref = (kind: EntityRef['kind'], item: { id: string; title: string | null; status: string }): EntityRef => ({
  kind,
  id: item.id,
  title: item.title,
  status: item.status,
});

/** Delivery states in which an ad group is meant to be showing ads; scheduled, ended or switched-off ones are not. */
export const SHOULD_DELIVER: ReadonlySet<string> = new Set(['active', 'learning', 'learning_limited', 'issues']);

const HOUR = 3_600_000;

/** The `hours` up to `settleHours` before now: Meta keeps moving the newest hours' figures, so they are left out. */
export const settledWindow = (now: Date, hours: number, settleHours: number): { from: Date; to: Date } => {
  const to = now.getTime() - settleHours * HOUR;
  return { from: new Date(to - hours * HOUR), to: new Date(to) };
};
