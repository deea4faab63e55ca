import type { AlertRules } from '../config';

type Pacing = NonNullable<AlertRules['pacing']>;

/** The pacing share and the forecast's over/under shares, each moved towards healthy. */
function marginPacing(pacing: Pacing, share: number): Pacing {
  const { forecast, pct_of_daily_budget: pct } = pacing;
  return {
    ...pacing,
    ...(pct !== undefined ? { pct_of_daily_budget: pct * (1 - share) } : {}),
    ...(forecast ? { forecast: { ...forecast, over_pct: forecast.over_pct * (1 - share), under_pct: forecast.under_pct * (1 - share) } } : {}),
  };
}

/**
 * The rules with each limit moved towards healthy by `marginPct`: a problem they still find has not clearly
 * recovered (a cost per result a few cents under its limit), so a check seeing it is not a healthy one. Rules
 * without a metric (issues, rejections, delivery) have no margin: gone is healthy.
 */
export function marginRules(rules: AlertRules, marginPct: number): AlertRules {
  const share = marginPct / 100;
  return {
    ...rules,
    ...(rules.cost_per_result_above !== undefined ? { cost_per_result_above: { ...rules.cost_per_result_above, limit: rules.cost_per_result_above.limit * (1 - share) } } : {}),
    ...(rules.roas_below !== undefined ? { roas_below: { ...rules.roas_below, limit: rules.roas_below.limit * (1 + share) } } : {}),
    ...(rules.pacing ? { pacing: marginPacing(rules.pacing, share) } : {}),
    ...(rules.anomaly ? { anomaly: { ...rules.anomaly, sigma: rules.anomaly.sigma * (1 - share) } } : {}),
  };
}
