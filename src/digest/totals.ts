import type { DigestTotals } from '../../blocks/digest';
import type { AdCampaign } from '../whop/types';

const sum = (items: readonly AdCampaign[], pick: (c: AdCampaign) => number) => items.reduce((total, item) => total + pick(item), 0);

const divide = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Account totals from the campaigns' own stats: Whop already adds ads up into campaigns. */
export function campaignTotals(campaigns: readonly AdCampaign[]): DigestTotals {
  const spend = sum(campaigns, (c) => c.spend);
  const impressions = sum(campaigns, (c) => c.impressions);
  const clicks = sum(campaigns, (c) => c.clicks);
  const withResults = campaigns.filter((c) => c.results !== null);
  const results = withResults.length === 0 ? null : sum(withResults, (c) => c.results ?? 0);
  return {
    spend: Math.round(spend * 100) / 100,
    impressions,
    clicks,
    purchases: sum(campaigns, (c) => c.purchases),
    purchaseValueUsd: Math.round(sum(campaigns, (c) => c.purchase_value) * 100) / 100,
    results,
    ctr: divide(clicks, impressions),
    cpc: divide(spend, clicks),
    cpm: impressions === 0 ? null : (spend / impressions) * 1000,
    // Weighting each campaign's ROAS by its spend gives the account's ROAS in Whop's own currency terms.
    roas: divide(
      sum(campaigns, (c) => c.return_on_ad_spend * c.spend),
      spend,
    ),
    costPerResult: results
      ? divide(
          sum(withResults, (c) => c.spend),
          results,
        )
      : null,
  };
}
