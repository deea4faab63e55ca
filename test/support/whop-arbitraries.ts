// fast-check generators for Whop's own shapes, typed against the SDK: any Ad, AdGroup or AdCampaign its types
// allow (every member of every union, null wherever a field is nullable, any Shared.Currency), so a field or an
// enum member the SDK adds fails the type check here until the generators produce it too.
//
// Where the types are wider than what JSON can carry or Whop means, the generators say so: numbers are finite
// and not negative (counts and amounts), dates are ISO datetimes except for a few that do not parse at all.

import type { Granularities, ResultLabelKeys } from '@whop/sdk/resources/ad-reports';
import type { Currency as WhopCurrency } from '@whop/sdk/resources/shared';
import fc from 'fast-check';
import { WHOP_CURRENCIES } from '../../src/currency';
import type { Ad, AdCampaign, AdGroup, ReportBucket, ReportRow } from '../../src/whop/types';
import { AD_DELIVERY_STATUSES, AD_GROUP_DELIVERY_STATUSES, AD_GROUP_STATUSES, AD_STATUSES, CAMPAIGN_DELIVERY_STATUSES, CAMPAIGN_STATUSES } from '../../src/whop/unions';

/** The string literals of a union, without null or an open `string & {}` member (NonNullable would lose them). */
type Known<T> = T extends string ? (string extends T ? never : T) : never;

/**
 * Every member of a string union, listed as the keys of a record: the compiler refuses a missing member or one
 * the SDK does not have, so the list cannot fall behind.
 */
export const members = <T extends string | null>(all: Record<Known<T>, true>): fc.Arbitrary<Known<T>> => fc.constantFrom(...(Object.keys(all) as Known<T>[]));

const nullable = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arbitrary, { nil: null, freq: 4 });

// ---------- text ----------

/** Markup Slack would act on if the bot wrote it unescaped. */
export const MARKUP = ['<!channel>', '<!here>', '<@U123>', '<#C999>', '<https://evil.example|click>', '*bold*', '_it_', '~x~', '`c`', '&', '&amp;', '&lt;', '>quote', '<', '>'];

const markup = fc.constantFrom(...MARKUP);
const LONG = 3_000;

/** What Intl writes for a number that is not one. */
export const BROKEN_NUMBER = /NaN|Infinity|∞/;

/**
 * Text as Whop could send it: empty, any unicode, control characters, markup, exactly 3,000 characters and more.
 * Never `NaN`, `Infinity` or `∞` (nor are ids), so a test can tell that the bot wrote no broken number.
 */
export const whopText = (maxLength = 120): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
      { weight: 2, arbitrary: fc.array(fc.oneof(markup, fc.string({ unit: 'grapheme-ascii', maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(' ')) },
      { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\u001b', '\n', '\t', '\u202e', '\u200b', '\ufeff', ' '), maxLength: 20 }) },
      { weight: 1, arbitrary: fc.constantFrom('a', '&', '<', '🔥', '<!channel> ', 'é').map((unit) => unit.repeat(Math.ceil(LONG / unit.length)).slice(0, LONG)) },
      { weight: 1, arbitrary: fc.tuple(markup, fc.integer({ min: 100, max: 5_000 })).map(([m, n]) => m.repeat(Math.ceil(n / m.length))) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_000 }).map((n) => '🔥'.repeat(n)) },
      { weight: 1, arbitrary: fc.constant('') },
    )
    .filter((text) => !BROKEN_NUMBER.test(text));

// ---------- numbers, dates, ids ----------

/** Amounts and ratios: 0, whole, cents, any fraction, huge. */
export const amount: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.integer({ min: 0, max: 100_000_000 }).map((cents) => cents / 100),
  fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.005, 1e-9, 1e15, 1e21, Number.MAX_SAFE_INTEGER),
);

/** Counts: 0, small, huge. */
export const count: fc.Arbitrary<number> = fc.oneof(fc.constant(0), fc.nat({ max: 1_000 }), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER));

/** A datetime as Whop writes it, or now and then one that does not parse (the type is `string`). */
export const datetime: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('', 'not a date', '2026-13-45T99:99:99Z') },
);

const suffix = fc.stringMatching(/^[A-Za-z0-9]{1,20}$/).filter((s) => !BROKEN_NUMBER.test(s));
export const adGroupId = suffix.map((s) => `adgrp_${s}`);
export const adId = suffix.map((s) => `ad_${s}`);
export const campaignId = suffix.map((s) => `adcamp_${s}`);
const issueId = suffix.map((s) => `adiss_${s}`);

/** Any code of the SDK's Shared.Currency, in Whop's lower case. */
export const whopCurrency: fc.Arbitrary<WhopCurrency> = fc.constantFrom(...WHOP_CURRENCIES);

/** `spend_currency` is typed `string | null`: any Whop currency, null, or a string that is no currency code. */
export const spendCurrency: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 10, arbitrary: whopCurrency },
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: whopText(12) },
);

// ---------- the parts every resource shares ----------

const resourceType = members<AdCampaign.Issue['resource_type']>({ ad_campaign: true, ad_group: true, ad: true });

/** An issue on any kind of resource, naming it by a matching id or by none. */
export const issue: fc.Arbitrary<AdCampaign.Issue> = resourceType.chain((kind) =>
  fc.record<AdCampaign.Issue>({
    id: issueId,
    message: whopText(2_000),
    resource_id: nullable(kind === 'ad' ? adId : kind === 'ad_group' ? adGroupId : campaignId),
    resource_type: fc.constant(kind),
  }),
);
export const issues = fc.array(issue, { maxLength: 14 });

const resultEvent = nullable(
  members<AdGroup['result_event']>({
    purchase: true,
    lead: true,
    schedule: true,
    submit_application: true,
    contact: true,
    complete_registration: true,
    view_content: true,
    add_to_cart: true,
    custom: true,
  }),
);

const bidType = nullable(members<AdGroup['bid_type']>({ minimum_cost: true, average_target: true, maximum_target: true }));
const budgetType = nullable(members<AdGroup['budget_type']>({ daily: true, lifetime: true }));
const eventCounts = fc.dictionary(fc.string({ maxLength: 10 }), count, { maxKeys: 3 });

/** The stat fields Whop puts on campaigns, ad groups and ads alike; any combination, e.g. results null with a cost. */
const stats = {
  added_to_cart_value: amount,
  added_to_carts: count,
  click_through_rate: amount,
  clicks: count,
  completed_registration_value: amount,
  completed_registrations: count,
  contact_value: amount,
  contacts: count,
  cost_per_added_to_cart: nullable(amount),
  cost_per_click: amount,
  cost_per_completed_registration: nullable(amount),
  cost_per_contact: nullable(amount),
  cost_per_lead: nullable(amount),
  cost_per_mille: amount,
  cost_per_purchase: nullable(amount),
  cost_per_result: nullable(amount),
  cost_per_schedule: nullable(amount),
  cost_per_submitted_application: nullable(amount),
  cost_per_unique_click: nullable(amount),
  cost_per_viewed_content: nullable(amount),
  custom_conversions: count,
  custom_event_counts: eventCounts,
  custom_event_values: eventCounts,
  frequency: nullable(amount),
  impressions: count,
  lead_value: amount,
  leads: count,
  purchase_value: amount,
  purchases: count,
  reach: count,
  result_event: resultEvent,
  result_event_name: nullable(whopText(40)),
  results: nullable(count),
  return_on_ad_spend: amount,
  schedule_value: amount,
  schedules: count,
  spend: amount,
  spend_currency: spendCurrency,
  submitted_application_value: amount,
  submitted_applications: count,
  unique_click_through_rate: nullable(amount),
  unique_clicks: count,
  viewed_content_value: amount,
  viewed_contents: count,
} as const;

// ---------- ad groups ----------

const location = fc.record<AdGroup.Regions.Include.CustomLocation>(
  {
    distance_unit: members<AdGroup.Regions.Include.CustomLocation['distance_unit']>({ mile: true, kilometer: true }),
    latitude: fc.double({ min: -90, max: 90, noNaN: true }),
    longitude: fc.double({ min: -180, max: 180, noNaN: true }),
    radius: amount,
    name: whopText(30),
  },
  { requiredKeys: ['distance_unit', 'latitude', 'longitude', 'radius'] },
);
const place = fc.record<AdGroup.Regions.Include>({
  cities: fc.array(fc.record<AdGroup.Regions.Include.City>({ key: fc.string(), name: whopText(30) }, { requiredKeys: ['key'] }), { maxLength: 2 }),
  countries: fc.array(fc.string({ maxLength: 2 }), { maxLength: 3 }),
  country_groups: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
  custom_locations: fc.array(location, { maxLength: 2 }),
  regions: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
  zips: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
});
const named = fc.record<{ id: string; name?: string }>({ id: fc.string({ maxLength: 12 }), name: whopText(30) }, { requiredKeys: ['id'] });

export const adGroup: fc.Arbitrary<AdGroup> = fc.record<AdGroup>({
  ...stats,
  id: adGroupId,
  ad_campaign: fc.record({ id: campaignId }),
  audiences: fc.record({ exclude: fc.array(fc.string(), { maxLength: 2 }), include: fc.array(fc.string(), { maxLength: 2 }) }),
  bid_type: bidType,
  budget_amount: nullable(amount),
  budget_type: budgetType,
  conversion_event: nullable(
    fc.oneof(
      members<AdGroup['conversion_event']>({
        purchase: true,
        add_to_cart: true,
        initiated_checkout: true,
        add_payment_info: true,
        complete_registration: true,
        lead: true,
        content_view: true,
        search: true,
        contact: true,
        customize_product: true,
        donate: true,
        find_location: true,
        schedule: true,
        start_trial: true,
        submit_application: true,
        subscribe: true,
      }),
      whopText(30),
    ),
  ),
  conversion_location: nullable(
    members<AdGroup['conversion_location']>({
      website: true,
      profile: true,
      messaging: true,
      on_ad: true,
      instant_forms: true,
      instant_forms_and_messenger: true,
      website_and_instant_forms: true,
    }),
  ),
  created_at: datetime,
  delivery_status: fc.constantFrom(...AD_GROUP_DELIVERY_STATUSES),
  demographics: fc.record<AdGroup.Demographics>({
    automatic: fc.boolean(),
    gender: members<AdGroup.Demographics['gender']>({ all: true, male: true, female: true }),
    maximum_age: nullable(fc.nat({ max: 120 })),
    minimum_age: nullable(fc.nat({ max: 120 })),
  }),
  desired_cost_per_result: nullable(amount),
  detailed_targeting: fc.record<AdGroup.DetailedTargeting>({
    behaviors: fc.array(named, { maxLength: 2 }),
    demographics: fc.array(
      fc.record<AdGroup.DetailedTargeting.Demographic>(
        {
          id: fc.string({ maxLength: 12 }),
          type: members<AdGroup.DetailedTargeting.Demographic['type']>({ life_events: true, industries: true, income: true, family_statuses: true }),
          name: whopText(30),
        },
        { requiredKeys: ['id', 'type'] },
      ),
      { maxLength: 2 },
    ),
    interests: fc.array(named, { maxLength: 2 }),
  }),
  devices: fc.record<AdGroup.Devices>({
    operating_systems: fc.array(
      fc.record<AdGroup.Devices.OperatingSystem>(
        { os: members<AdGroup.Devices.OperatingSystem['os']>({ ios: true, android: true }), minimum_version: fc.string({ maxLength: 5 }) },
        { requiredKeys: ['os'] },
      ),
      { maxLength: 2 },
    ),
    platforms: fc.subarray<'mobile' | 'desktop'>(['mobile', 'desktop']),
  }),
  dynamic_creative: fc.boolean(),
  ends_at: nullable(datetime),
  frequency_cap: nullable(fc.record<AdGroup.FrequencyCap>({ maximum_impressions: count, per_days: nullable(count) })),
  issues,
  languages: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  message_apps: fc.subarray<'messenger' | 'instagram' | 'whatsapp'>(['messenger', 'instagram', 'whatsapp']),
  minimum_daily_spend: nullable(amount),
  optimization_goal: nullable(
    members<AdGroup['optimization_goal']>({
      conversions: true,
      link_clicks: true,
      landing_page_views: true,
      reach: true,
      impressions: true,
      engagement: true,
      conversations: true,
      video_views: true,
      two_second_views: true,
      page_likes: true,
      social_profile: true,
      ad_recall_lift: true,
      event_responses: true,
      reminders_set: true,
      lead_generation: true,
      quality_lead: true,
      value: true,
      profile_and_page_engagement: true,
    }),
  ),
  placements: fc.array(fc.record<AdGroup.Placement>({ platform: fc.string({ maxLength: 10 }), positions: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }) }), {
    maxLength: 2,
  }),
  regions: fc.record<AdGroup.Regions>({ exclude: place, include: place }),
  starts_at: nullable(datetime),
  status: fc.constantFrom(...AD_GROUP_STATUSES),
  title: nullable(whopText()),
  updated_at: datetime,
});

// ---------- ads ----------

const nullableText = nullable(whopText(60));

const leadForm = fc.record<Ad.LeadForm>({
  completion: nullable(fc.record<Ad.LeadForm.Completion>({ button_text: nullableText, description: nullableText, headline: nullableText, url: nullableText })),
  disclaimer: nullable(
    fc.record<Ad.LeadForm.Disclaimer>({
      body: nullableText,
      checkboxes: fc.array(
        fc.record<Ad.LeadForm.Disclaimer.Checkbox>({ checked_by_default: nullable(fc.boolean()), key: nullableText, required: nullable(fc.boolean()), text: whopText(40) }),
        { maxLength: 2 },
      ),
      title: nullableText,
    }),
  ),
  form_type: members<Ad.LeadForm['form_type']>({ more_volume: true, higher_intent: true }),
  intro: nullable(fc.record<Ad.LeadForm.Intro>({ description: nullableText, headline: nullableText })),
  name: nullableText,
  phone_verification: fc.boolean(),
  privacy_policy: nullable(fc.record<Ad.LeadForm.PrivacyPolicy>({ link_text: nullableText, url: fc.webUrl() })),
  questions: fc.array(
    fc.record<Ad.LeadForm.Question>(
      {
        type: fc.string({ maxLength: 10 }),
        format: fc.string({ maxLength: 10 }),
        label: whopText(40),
        options: fc.array(
          fc.record<Ad.LeadForm.Question.Option>(
            {
              value: whopText(20),
              key: nullable(fc.string({ maxLength: 8 })),
              logic: fc.record<Ad.LeadForm.Question.Option.Logic>(
                {
                  action: members<Ad.LeadForm.Question.Option.Logic['action']>({ go_to_question: true, submit_form: true, close_form: true }),
                  target_end_page_index: fc.nat({ max: 5 }),
                  target_question_index: fc.nat({ max: 5 }),
                },
                { requiredKeys: ['action'] },
              ),
            },
            { requiredKeys: ['value'] },
          ),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: ['type'] },
    ),
    { maxLength: 2 },
  ),
});

export const ad: fc.Arbitrary<Ad> = fc.record<Ad>({
  ...stats,
  id: adId,
  ad_campaign: fc.record({ id: campaignId }),
  ad_group: fc.record({ id: adGroupId }),
  call_to_action: nullable(
    members<Ad['call_to_action']>({
      learn_more: true,
      shop_now: true,
      sign_up: true,
      subscribe: true,
      get_started: true,
      book_now: true,
      apply_now: true,
      contact_us: true,
      download: true,
      order_now: true,
      buy_now: true,
      get_quote: true,
      message_page: true,
      whatsapp_message: true,
      instagram_message: true,
      call_now: true,
      get_directions: true,
      send_updates: true,
      get_offer: true,
      watch_more: true,
      listen_now: true,
      play_game: true,
      open_link: true,
      no_button: true,
      get_offer_view: true,
      get_event_tickets: true,
      see_menu: true,
      request_time: true,
      event_rsvp: true,
      see_details: true,
      view_instagram_profile: true,
    }),
  ),
  created_at: datetime,
  creatives: fc.array(
    fc.record<Ad.Creative>({
      id: fc.string({ maxLength: 12 }),
      crop: nullable(fc.record<Ad.Creative.Crop>({ height: count, width: count, x: count, y: count })),
      format: nullable(members<Ad.Creative['format']>({ square: true, vertical: true, horizontal: true })),
      media_type: nullable(fc.string({ maxLength: 10 })),
      url: nullable(fc.webUrl()),
    }),
    { maxLength: 2 },
  ),
  delivery_status: fc.constantFrom(...AD_DELIVERY_STATUSES),
  descriptions: fc.array(whopText(60), { maxLength: 2 }),
  headlines: fc.array(whopText(60), { maxLength: 2 }),
  issues,
  lead_form: nullable(leadForm),
  lead_form_id: nullable(fc.string({ maxLength: 12 })),
  messaging_config: nullable(fc.record<Ad.MessagingConfig>({ keyword: nullableText, message: nullableText })),
  multi_advertiser_ads: fc.boolean(),
  post_id: nullable(fc.string({ maxLength: 12 })),
  post_source: nullable(members<Ad['post_source']>({ facebook: true, instagram: true })),
  post_thumbnail_url: nullable(fc.webUrl()),
  primary_texts: fc.array(whopText(), { maxLength: 2 }),
  social_accounts: fc.array(fc.record({ id: fc.string({ maxLength: 12 }) }), { maxLength: 2 }),
  status: fc.constantFrom(...AD_STATUSES),
  title: nullable(whopText()),
  updated_at: datetime,
  url: nullable(fc.oneof(fc.webUrl(), whopText(40))),
  url_parameters: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
});

// ---------- campaigns ----------

export const adCampaign: fc.Arbitrary<AdCampaign> = fc.record<AdCampaign>({
  ...stats,
  id: campaignId,
  bid_type: bidType,
  budget_amount: nullable(amount),
  budget_optimization: nullable(members<AdCampaign['budget_optimization']>({ ad_campaign: true, ad_group: true })),
  budget_type: budgetType,
  created_at: datetime,
  delivery_status: fc.constantFrom(...CAMPAIGN_DELIVERY_STATUSES),
  issues,
  objective: nullable(members<AdCampaign['objective']>({ awareness: true, traffic: true, engagement: true, leads: true, sales: true })),
  optimization_goal: nullable(whopText(30)),
  platform: members<AdCampaign['platform']>({ meta: true }),
  special_ad_categories: fc.subarray<AdCampaign['special_ad_categories'][number]>(['housing', 'employment', 'financial_products', 'politics']),
  status: fc.constantFrom(...CAMPAIGN_STATUSES),
  title: whopText(),
  updated_at: datetime,
});

// ---------- ad reports ----------

const resultLabelKey = members<ResultLabelKeys>({
  app_installs: true,
  messaging_conversations_started: true,
  post_engagement: true,
  event_responses: true,
  impressions: true,
  website_purchases: true,
  landing_page_views: true,
  leads: true,
  link_clicks: true,
  quality_calls: true,
  appointments_booked: true,
  messaging_purchases: true,
  page_likes: true,
  instagram_profile_visits: true,
  reach: true,
  reminders_set: true,
  new_subscribers: true,
  video_views: true,
  registrations: true,
  content_views: true,
  searches: true,
  adds_to_cart: true,
  adds_to_wishlist: true,
  adds_of_payment_info: true,
  checkouts_initiated: true,
  website_schedules: true,
  website_submit_applications: true,
  website_trials_started: true,
  website_subscriptions: true,
  website_contacts: true,
  website_donations: true,
  website_find_locations: true,
  website_product_customizations: true,
  custom: true,
});
const granularityName = members<Granularities>({ hourly: true, daily: true, weekly: true, monthly: true });

/** A report bucket with any value the SDK types allow; `bucket_start` is the caller's (it decides which day it is on). */
export const reportBucket = (bucketStart: fc.Arbitrary<string>): fc.Arbitrary<ReportBucket> =>
  fc.record<ReportBucket>({
    bucket_start: bucketStart,
    clicks: count,
    granularity: granularityName,
    impressions: count,
    reach: count,
    result_count: nullable(count),
    result_label_key: nullable(resultLabelKey),
    result_label_override: nullable(whopText(40)),
    spend: amount,
    spend_currency: whopCurrency,
    stat_date: datetime,
    stat_hour: nullable(fc.integer({ min: 0, max: 23 })),
  });

export const reportSummary: fc.Arbitrary<ReportRow['summary']> = fc.record<ReportRow['summary']>({
  click_through_rate: amount,
  clicks: count,
  cost_per_click: amount,
  cost_per_mille: nullable(amount),
  cost_per_result: nullable(amount),
  frequency: nullable(amount),
  impressions: count,
  reach: count,
  result_count: nullable(count),
  result_label_key: nullable(resultLabelKey),
  result_label_override: nullable(whopText(40)),
  return_on_ad_spend: nullable(amount),
  spend: amount,
  spend_currency: nullable(whopCurrency),
});

/** A breakdown row for one of the ids, with buckets whose starts the caller draws. */
export const reportRow = (id: fc.Arbitrary<string>, bucketStart: fc.Arbitrary<string>): fc.Arbitrary<ReportRow> =>
  fc.record<ReportRow>({
    id,
    level: members<ReportRow['level']>({ campaign: true, ad_group: true, ad: true }),
    name: nullable(whopText(60)),
    granularity: nullable(fc.array(reportBucket(bucketStart), { maxLength: 30 })),
    summary: reportSummary,
  });
