import type { OpenIssue } from '../digest/issues';
import type { EntityRef } from '../model';
import type { Ad, AdGroup } from '../whop/types';
import type { HourlyHistory } from './hourly-history';

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
  /** Hourly rows of today and of past weeks' same weekday (anomaly, pacing forecast); absent when no rule needs them. */
  history?: HourlyHistory;
}

export const ref = (kind: 'ad' | 'ad_group', item: { id: string; title: string | null; status: string }): EntityRef => ({
  kind,
  id: item.id,
  title: item.title,
  status: item.status,
});

/** Delivery states in which an ad group is meant to be showing ads; scheduled, ended or switched-off ones are not. */
export const SHOULD_DELIVER: ReadonlySet<string> = new Set(['active', 'learning', 'learning_limited', 'issues']);
