import type { AlertRules } from '../../config';
import type { Problem } from '../../model';
import type { AdGroup } from '../../whop/types';
import { type Observation, ref } from '../observation';

type Fatigue = NonNullable<AlertRules['fatigue']>;

const each = (series: readonly number[], holds: (earlier: number, later: number) => boolean) => series.every((v, i) => i === 0 || holds(series[i - 1] as number, v));

/**
 * Creative fatigue: over the complete days observed, the same people see the ads more often and click less. Every
 * day higher frequency and lower CTR than the day before, by `min_change_pct` or more from the first day to the
 * last, and each day with `min_impressions` or more: a few hundred impressions move both by chance. A day
 * without frequency (no reach reported) or without the ad group leaves nothing to judge.
 */
export function fatigueProblems(seen: Observation, fatigue: Fatigue): Problem[] {
  if (seen.days.length < 2) return [];
  const byDay = seen.days.map((day) => new Map(day.map((g) => [g.id, g])));
  const last = seen.days.at(-1) ?? [];
  const share = fatigue.min_change_pct / 100;
  const problems: Problem[] = [];
  for (const latest of last) {
    const series = byDay.map((day) => day.get(latest.id));
    if (latest.status !== 'active' || series.some((g) => g === undefined || g.frequency === null || g.impressions < fatigue.min_impressions)) continue;
    const days = series as AdGroup[];
    const frequency = days.map((g) => g.frequency as number);
    const ctr = days.map((g) => g.click_through_rate);
    const [f0, c0] = [frequency[0] as number, ctr[0] as number];
    const [fn, cn] = [frequency.at(-1) as number, ctr.at(-1) as number];
    const rising = each(frequency, (a, b) => b > a) && fn >= f0 * (1 + share);
    const falling = each(ctr, (a, b) => b < a) && cn <= c0 * (1 - share);
    if (!rising || !falling) continue;
    problems.push({
      key: `fatigue:${latest.id}`,
      rule: 'fatigue',
      entities: [ref('ad_group', latest)],
      days: days.length,
      frequency: { from: f0, to: fn },
      ctr: { from: c0, to: cn },
    });
  }
  return problems;
}
