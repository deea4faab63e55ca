import type { AlertRules } from '../config';

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
    ...(rules.pacing ? { pacing: { ...rules.pacing, pct_of_daily_budget: rules.pacing.pct_of_daily_budget * (1 - share) } } : {}),
  };
}
