// "Enough data before judging": a ratio over a few dollars or a few hundred impressions swings with one click or
// one purchase, so a metric rule leaves such an ad group alone and counts it, instead of alerting on noise.
import { z } from 'zod';
import type { Skipped, SkipReason } from '../model';

/** The smallest spend (account currency) and impressions a rule needs before it judges an ad group. */
export interface Floors {
  min_spend: number;
  min_impressions: number;
}

export const FLOOR_DEFAULTS: Floors = { min_spend: 10, min_impressions: 1000 };

/** Meta's figures for the latest hours keep moving for a few hours: windows end this long before now. */
const SETTLE_HOURS_DEFAULT = 3;

/** The keys a rule's object form adds for its floors; both optional, with the defaults above. */
export const floorsShape = {
  min_spend: z.number().min(0, 'expected an amount of 0 or more (0: no spend floor)').default(FLOOR_DEFAULTS.min_spend),
  min_impressions: z
    .number()
    .int('expected a whole number of impressions')
    .min(0, 'expected a whole number of impressions, 0 or more (0: no impressions floor)')
    .default(FLOOR_DEFAULTS.min_impressions),
};

/** The key a rule over a rolling window adds, so that its window ends on settled figures. */
export const settleShape = {
  settle_hours: z
    .number()
    .int('expected whole hours from 0 to 24')
    .min(0, 'expected whole hours from 0 to 24')
    .max(24, 'expected whole hours from 0 to 24')
    .default(SETTLE_HOURS_DEFAULT),
};

/** The first floor the ad group is under (spend first), or null when there is data enough to judge it. */
export function belowFloor(stats: { spend: number; impressions: number }, floors: Floors): 'min_spend' | 'min_impressions' | null {
  if (stats.spend < floors.min_spend) return 'min_spend';
  if (stats.impressions < floors.min_impressions) return 'min_impressions';
  return null;
}

/** Counts one ad group a rule left unjudged, by rule and reason. */
export function countSkip(skipped: Skipped, rule: keyof Skipped, reason: SkipReason): void {
  const byReason = skipped[rule] ?? {};
  byReason[reason] = (byReason[reason] ?? 0) + 1;
  skipped[rule] = byReason;
}
