// delivery_status as Whop derives it. The SDK: "When several states apply at once, the highest-precedence one is
// returned", and each union lists its states in that order; the checks below follow it. What a record says
// (status, dates, children, issues) is derived here; what only Whop's systems know is a field on the record
// (`payment_failed` on a campaign, `phase` on an ad group or ad).

import type { AdCampaign } from '@whop/sdk/resources/ad-campaigns';
import type { AdGroup } from '@whop/sdk/resources/ad-groups';
import type { Ad } from '@whop/sdk/resources/ads';
import type { AccountIndex, AdGroupRecord, AdRecord, CampaignRecord, CampaignStatus } from './account';

/** What a campaign's status means for delivery, its own and that of everything under it. */
type Hold = 'draft' | 'processing' | 'paused' | 'ended' | null;

// The SDK lists these statuses without defining them: this is the sandbox's reading of each.
const CAMPAIGN_HOLD: Record<CampaignStatus, Hold> = {
  active: null,
  /** Brought in from an ad account that existed before Whop; it delivers like any other. */
  imported: null,
  draft: 'draft',
  /** Launched: Whop moderates it, then pushes it live. */
  in_review: 'processing',
  /** Being brought in from an existing ad account. */
  importing: 'processing',
  paused: 'paused',
  /** Left paused so long that Whop no longer keeps it in sync. */
  stale: 'paused',
  /** Stopped by Whop's moderation; an issue says why. */
  flagged: 'paused',
  /** Older campaigns: a failed payment now leaves the status alone and shows in delivery_status. */
  payment_failed: 'paused',
  /** Ran its course. */
  inactive: 'ended',
  /** Stopped; Whop is refunding the unspent budget. */
  pending_refund: 'ended',
};

const after = (at: string | null | undefined, now: number) => at != null && Date.parse(at) > now;
const reached = (at: string | null | undefined, now: number) => at != null && Date.parse(at) <= now;
const allRejected = (ads: readonly AdRecord[]) => ads.length > 0 && ads.every((ad) => ad.status === 'rejected');

export function campaignDelivery(index: AccountIndex, campaign: CampaignRecord, now: number): AdCampaign['delivery_status'] {
  const hold = CAMPAIGN_HOLD[campaign.status];
  const groups = index.adGroupsOf(campaign.id);
  const ads = index.adsOf(campaign.id);
  if (campaign.status === 'payment_failed' || campaign.payment_failed) return 'payment_failed';
  if (allRejected(ads)) return 'all_ads_rejected';
  if (hold === 'draft') return 'draft';
  if (groups.length === 0) return 'no_ad_groups';
  if (ads.length === 0) return 'no_ads';
  if (hold === 'paused') return 'paused';
  if (hold === 'processing') return 'processing';
  if (index.issuesOf(campaign.id).length > 0) return 'issues';
  if (after(campaign.starts_at, now) || groups.every((g) => after(g.starts_at, now))) return 'scheduled';
  if (hold === 'ended' || reached(campaign.ends_at, now) || groups.every((g) => reached(g.ends_at, now))) return 'completed';
  if (!groups.some((group) => group.status === 'active')) return 'ad_groups_off';
  return 'active';
}

// A failed payment is the campaign's state only: the ad group and ad unions have no payment_failed.
export function adGroupDelivery(index: AccountIndex, group: AdGroupRecord, now: number): AdGroup['delivery_status'] {
  const campaign = index.campaigns.get(group.ad_campaign_id);
  const hold = campaign ? CAMPAIGN_HOLD[campaign.status] : null;
  const ads = index.adsOf(group.id);
  if (allRejected(ads)) return 'all_ads_rejected';
  if (group.status === 'rejected') return 'rejected';
  if (hold === 'draft') return 'draft';
  if (ads.length === 0) return 'no_ads';
  if (hold === 'paused') return 'campaign_paused';
  if (group.status === 'paused') return 'paused';
  if (hold === 'processing' || group.phase === 'processing') return 'processing';
  if (index.issuesOf(group.id).length > 0) return 'issues';
  if (after(group.starts_at, now) || after(campaign?.starts_at, now)) return 'scheduled';
  if (hold === 'ended' || reached(group.ends_at, now) || reached(campaign?.ends_at, now)) return 'completed';
  if (!ads.some((ad) => ad.status === 'active')) return 'ads_off';
  if (group.phase === 'learning_limited') return 'learning_limited';
  if (group.phase === 'learning') return 'learning';
  return 'active';
}

// The ad union has no scheduled or completed: an ad under an ended campaign reports the nearest it has
// (campaign_paused), and one under a scheduled or ended ad group reports its own state.
export function adDelivery(index: AccountIndex, ad: AdRecord): Ad['delivery_status'] {
  const campaign = index.campaigns.get(ad.ad_campaign_id);
  const hold = campaign ? CAMPAIGN_HOLD[campaign.status] : null;
  const group = index.adGroups.get(ad.ad_group_id);
  if (ad.status === 'rejected') return 'rejected';
  if (ad.status === 'in_review') return 'in_review';
  if (hold === 'draft') return 'draft';
  if (hold === 'paused' || hold === 'ended') return 'campaign_paused';
  if (group?.status === 'paused') return 'ad_group_paused';
  if (ad.status === 'paused') return 'paused';
  if (hold === 'processing' || group?.phase === 'processing' || ad.phase === 'processing') return 'processing';
  if (index.issuesOf(ad.id).length > 0) return 'issues';
  if (ad.phase === 'learning_limited') return 'learning_limited';
  if (ad.phase === 'learning') return 'learning';
  return 'active';
}
