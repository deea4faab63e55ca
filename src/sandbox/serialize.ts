// Records + window stats → the SDK's own types, so a change in @whop/sdk breaks the type check here, not the demo.

import type { AdCampaign } from '@whop/sdk/resources/ad-campaigns';
import type { AdGroup } from '@whop/sdk/resources/ad-groups';
import type { Ad } from '@whop/sdk/resources/ads';
import type { AccountIndex, AdGroupRecord, AdRecord, CampaignRecord, ResultEvent, SandboxAccount } from './account';
import { indexOf } from './account';
import { adDelivery, adGroupDelivery, campaignDelivery } from './delivery';
import { statFields, type WindowStats } from './stats';

/** What one response is built from: the account as it is now, with stats over the request's window. */
export interface View {
  account: SandboxAccount;
  index: AccountIndex;
  stats: WindowStats;
}

export const viewOf = (account: SandboxAccount, stats: WindowStats): View => ({ account, index: indexOf(account), stats });

const issuesOf = (view: View, id: string): AdCampaign.Issue[] =>
  view.index.issuesOf(id).map(({ id, message, resource_id, resource_type }) => ({ id, message, resource_id, resource_type }));

const goalsOf = (groups: readonly AdGroupRecord[]): ResultEvent[] => [...new Set(groups.flatMap((group) => (group.result_event ? [group.result_event] : [])))];

const optimizationGoal = (event: ResultEvent | null) => (event === 'purchase' ? 'conversions' : event === 'lead' ? 'lead_generation' : 'reach');

const nowOf = (view: View) => view.account.now().getTime();

export function toAdCampaign(view: View, campaign: CampaignRecord): AdCampaign {
  const groups = view.index.adGroupsOf(campaign.id);
  const ownsBudget = campaign.budget_amount !== null;
  const goals = goalsOf(groups);
  return {
    id: campaign.id,
    title: campaign.title,
    status: campaign.status,
    delivery_status: campaignDelivery(view.index, campaign, nowOf(view)),
    issues: issuesOf(view, campaign.id),
    platform: 'meta',
    objective: campaign.objective,
    budget_amount: campaign.budget_amount,
    budget_type: campaign.budget_type,
    budget_optimization: ownsBudget ? 'ad_campaign' : 'ad_group',
    bid_type: ownsBudget ? 'minimum_cost' : null,
    optimization_goal: ownsBudget && groups[0] ? optimizationGoal(groups[0].result_event) : null,
    special_ad_categories: [],
    created_at: campaign.created_at,
    updated_at: campaign.updated_at,
    ...statFields(view.stats.of(campaign.id), goals, view.account.currency),
  };
}

const NO_LOCATIONS = { cities: [], countries: [], country_groups: [], custom_locations: [], regions: [], zips: [] };

export function toAdGroup(view: View, group: AdGroupRecord): AdGroup {
  return {
    id: group.id,
    title: group.title,
    status: group.status,
    delivery_status: adGroupDelivery(view.index, group, nowOf(view)),
    issues: issuesOf(view, group.id),
    ad_campaign: { id: group.ad_campaign_id },
    budget_amount: group.budget_amount,
    budget_type: group.budget_type,
    bid_type: group.budget_amount === null ? null : 'minimum_cost',
    desired_cost_per_result: null,
    minimum_daily_spend: null,
    optimization_goal: optimizationGoal(group.result_event),
    conversion_event: group.result_event,
    conversion_location: group.result_event ? 'website' : null,
    audiences: { include: [], exclude: [] },
    demographics: { automatic: true, gender: 'all', minimum_age: 18, maximum_age: 65 },
    detailed_targeting: { behaviors: [], demographics: [], interests: [] },
    devices: { platforms: ['mobile', 'desktop'], operating_systems: [] },
    regions: { include: { ...NO_LOCATIONS, countries: ['US'] }, exclude: NO_LOCATIONS },
    languages: [],
    message_apps: [],
    placements: [],
    dynamic_creative: false,
    frequency_cap: null,
    starts_at: group.starts_at ?? null,
    ends_at: group.ends_at,
    created_at: group.created_at,
    updated_at: group.updated_at,
    ...statFields(view.stats.of(group.id), goalsOf([group]), view.account.currency),
  };
}

export function toAd(view: View, ad: AdRecord): Ad {
  const group = view.index.adGroups.get(ad.ad_group_id);
  const goal = group?.result_event ?? null;
  return {
    id: ad.id,
    title: ad.title,
    status: ad.status,
    delivery_status: adDelivery(view.index, ad),
    issues: issuesOf(view, ad.id),
    ad_campaign: { id: ad.ad_campaign_id },
    ad_group: { id: ad.ad_group_id },
    call_to_action: goal === 'purchase' ? 'shop_now' : goal === 'lead' ? 'sign_up' : 'learn_more',
    creatives: [
      {
        id: `file_${ad.id.slice('ad_'.length)}`,
        crop: null,
        format: null,
        media_type: 'image',
        // .invalid never resolves: nothing can mistake a sandbox asset for a real one.
        url: `https://assets.sandbox.invalid/${ad.id}.jpg`,
      },
    ],
    headlines: [ad.title],
    primary_texts: [ad.primary_text],
    descriptions: [],
    url: ad.url,
    url_parameters: { utm_source: 'meta', utm_campaign: ad.ad_campaign_id },
    lead_form: null,
    lead_form_id: null,
    messaging_config: null,
    multi_advertiser_ads: true,
    post_id: null,
    post_source: null,
    post_thumbnail_url: null,
    social_accounts: [{ id: 'sacc_sandboxpage00001' }],
    created_at: ad.created_at,
    updated_at: ad.updated_at,
    ...statFields(view.stats.of(ad.id), goal ? [goal] : [], view.account.currency),
  };
}
