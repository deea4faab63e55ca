/** Whop's own shapes, straight from the SDK: drift in Whop's API fails the type check here. */

export type { AdCampaign, AdCampaignListParams } from '@whop/sdk/resources/ad-campaigns';
export type { AdGroup, AdGroupListParams, AdGroupUpdateParams } from '@whop/sdk/resources/ad-groups';
export type { Ad, AdListParams } from '@whop/sdk/resources/ads';
