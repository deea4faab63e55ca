/** Whop's own shapes, straight from the SDK: drift in Whop's API fails the type check here. */

export type { AdCampaign, AdCampaignListParams } from '@whop/sdk/resources/ad-campaigns';
export type { AdGroup, AdGroupListParams, AdGroupUpdateParams } from '@whop/sdk/resources/ad-groups';
export type { AdReportRetrieveParams, AdReportRetrieveResponse } from '@whop/sdk/resources/ad-reports';
export type { Ad, AdListParams } from '@whop/sdk/resources/ads';

import type { AdReportRetrieveResponse } from '@whop/sdk/resources/ad-reports';

/** One ad group's row of a report broken down by ad group. */
export type ReportRow = AdReportRetrieveResponse.Breakdown;
/** One hour (or day) of a report row. */
export type ReportBucket = AdReportRetrieveResponse.Breakdown.Granularity;
