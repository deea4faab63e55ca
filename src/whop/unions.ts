// Every member of the SDK's status unions. Each list is written as a Record keyed by the union, so the type check
// fails here when the SDK adds or drops a value: the sandbox, the contract test and the generators all read these.
import type { Ad, AdCampaign, AdGroup } from './types';

/** The members of a union, from a Record keyed by it: complete by the type check. */
export const membersOf = <T extends string>(members: Record<T, true>): readonly T[] => Object.keys(members) as T[];

export const CAMPAIGN_STATUSES = membersOf<AdCampaign['status']>({
  active: true,
  paused: true,
  inactive: true,
  stale: true,
  pending_refund: true,
  payment_failed: true,
  draft: true,
  in_review: true,
  flagged: true,
  importing: true,
  imported: true,
});

export const CAMPAIGN_DELIVERY_STATUSES = membersOf<AdCampaign['delivery_status']>({
  payment_failed: true,
  all_ads_rejected: true,
  draft: true,
  no_ad_groups: true,
  no_ads: true,
  paused: true,
  processing: true,
  issues: true,
  scheduled: true,
  completed: true,
  ad_groups_off: true,
  active: true,
});

export const AD_GROUP_STATUSES = membersOf<AdGroup['status']>({ active: true, paused: true, rejected: true });

export const AD_GROUP_DELIVERY_STATUSES = membersOf<AdGroup['delivery_status']>({
  all_ads_rejected: true,
  rejected: true,
  draft: true,
  no_ads: true,
  campaign_paused: true,
  paused: true,
  processing: true,
  issues: true,
  scheduled: true,
  completed: true,
  ads_off: true,
  learning_limited: true,
  learning: true,
  active: true,
});

export const AD_STATUSES = membersOf<Ad['status']>({ active: true, paused: true, in_review: true, rejected: true });

export const AD_DELIVERY_STATUSES = membersOf<Ad['delivery_status']>({
  rejected: true,
  in_review: true,
  draft: true,
  campaign_paused: true,
  ad_group_paused: true,
  paused: true,
  processing: true,
  issues: true,
  learning_limited: true,
  learning: true,
  active: true,
});
