// Deterministic accounts: a small, story-shaped one for the demo and tests, and a large one for the benchmark.
import type { Currency } from '@whop/sdk/resources/shared';
import {
  type AdGroupRecord,
  type AdRecord,
  type AdStatus,
  BUCKET_METRICS,
  type BudgetType,
  type CampaignRecord,
  type CampaignStatus,
  DAY_MS,
  type DailyBuckets,
  type IssueRecord,
  METRIC_INDEX as M,
  type PlatformPhase,
  type ResourceType,
  type ResultEvent,
  type SandboxAccount,
} from './account';
import { CONSUMER_DAY, type HourShape } from './hourly';
import { between, mulberry32, pick, type Rng, randomId, roundRandomly } from './random';
import { usdPerUnit } from './stats';

const HISTORY_DAYS = 60;
const HOUR = DAY_MS / 24;
const METRIC_COUNT = BUCKET_METRICS.length;

export const PERSONAL_ATTRIBUTES_REJECTION =
  'Ad rejected: ad text mentions personal attributes (health, appearance or financial situation). Rephrase the primary text so it does not imply you know who the viewer is, then resubmit.';
export const AUDIENCE_TOO_NARROW = 'Audience too narrow: this ad group can reach fewer than 1,000 people, so delivery is limited. Broaden its locations, ages or interests.';
export const PAYMENT_FAILED = 'Payment failed: the card ending in 4242 was declined. Update the payment method in Billing to keep this campaign delivering.';
export const LANDING_PAGE_DOWN = 'Landing page unavailable: the destination URL returned HTTP 404 at the last check. Fix the link so the ad keeps delivering.';
export const CAMPAIGN_FLAGGED =
  'Campaign flagged: its ads claim health effects (“supports healthy blood sugar”) without proof. Delivery is stopped until the claims are removed and the campaign is reviewed again.';
export const TARGETING_REJECTED = 'Ad group rejected: it targets people by a health condition (the “Diabetes awareness” interest). Remove that interest and resubmit.';
export const UNSUPPORTED_PROMISE = 'Ad rejected: the ad promises a result it cannot guarantee (“straight A’s, guaranteed”). Remove the promise, then resubmit.';

/** An ad's average day; each bucket adds noise and a weekly rhythm. Money in the account currency, except order value. */
interface Performance {
  dailySpend: number;
  cpm: number;
  ctr: number;
  purchaseRate: number;
  leadRate: number;
  orderValueUsd: number;
}

/** The 60 days of history end with the UTC day that contains now. */
interface Timeline {
  now: number;
  start: number;
}

function timelineOf(now: Date): Timeline {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return { now: now.getTime(), start: today - (HISTORY_DAYS - 1) * DAY_MS };
}

const dayOf = (timeline: Timeline, at: number) => Math.floor((at - timeline.start) / DAY_MS);
const iso = (ms: number) => new Date(ms).toISOString();
const daysAgo = (timeline: Timeline, days: number) => timeline.now - days * DAY_MS;

/** How many of the last days a wearing-out creative shows it, today included: enough for any time zone's last complete days. */
export const FATIGUE_DAYS = 7;

/**
 * Creative fatigue, day by day and without noise: the same spend reaches fewer new people (frequency up 0.3 a
 * day from 1.4) who click less (CTR down a tenth of the ad's own each day). Written over the noisy days, so the
 * random draws, and with them every other record of the account, stay as they are.
 */
function wearOut(values: Int32Array, perf: Performance, live: { from: number; until: number }): void {
  for (let k = 0; k < FATIGUE_DAYS; k++) {
    const day = HISTORY_DAYS - FATIGUE_DAYS + k;
    if (day < live.from || day >= live.until) continue;
    const impressions = Math.round((perf.dailySpend / perf.cpm) * 1000);
    const at = day * METRIC_COUNT;
    values[at + M.spend] = Math.round(perf.dailySpend * 100);
    values[at + M.impressions] = impressions;
    values[at + M.reach] = Math.round(impressions / (1.4 + 0.3 * k));
    values[at + M.clicks] = Math.round(impressions * perf.ctr * (1 - 0.1 * k));
  }
}

/** Buckets for the days the ad delivered: from the day after it was created until it stopped. */
function history(rng: Rng, timeline: Timeline, perf: Performance, live: { from: number; until: number }, fatigued = false): DailyBuckets {
  const values = new Int32Array(HISTORY_DAYS * METRIC_COUNT);
  const firstEpochDay = timeline.start / DAY_MS;
  for (let day = Math.max(0, live.from); day < Math.min(HISTORY_DAYS, live.until); day++) {
    const weekly = 1 + 0.15 * Math.sin((2 * Math.PI * (firstEpochDay + day)) / 7);
    const spend = perf.dailySpend * weekly * between(rng, 0.7, 1.3);
    const impressions = Math.round((spend / perf.cpm) * 1000);
    const clicks = roundRandomly(rng, impressions * perf.ctr * between(rng, 0.8, 1.2));
    const carts = roundRandomly(rng, clicks * perf.purchaseRate * 2.5);
    const purchases = roundRandomly(rng, clicks * perf.purchaseRate);
    const at = day * METRIC_COUNT;
    values[at + M.spend] = Math.round(spend * 100);
    values[at + M.impressions] = impressions;
    values[at + M.reach] = Math.round(impressions / between(rng, 1.1, 1.7));
    values[at + M.clicks] = clicks;
    values[at + M.unique_clicks] = Math.round(clicks * between(rng, 0.8, 0.95));
    values[at + M.added_to_carts] = carts;
    values[at + M.added_to_cart_value] = Math.round(carts * perf.orderValueUsd * 100);
    values[at + M.purchases] = purchases;
    values[at + M.purchase_value] = Math.round(purchases * perf.orderValueUsd * between(rng, 0.85, 1.15) * 100);
    values[at + M.leads] = roundRandomly(rng, clicks * perf.leadRate);
  }
  if (fatigued) wearOut(values, perf, live);
  return { start: timeline.start, values };
}

interface AdDraft {
  title: string;
  text: string;
  status: AdStatus;
  createdAt: number;
  /** When it could first deliver, if later than its creation (a schedule); Infinity if it never has (a draft). */
  liveFrom?: number;
  /** When it stopped delivering (paused, rejected, or its ad group paused); undefined if it still delivers. */
  stoppedAt?: number;
  phase?: PlatformPhase;
  perf: Performance;
  /** Wearing out over the last days (wearOut). */
  fatigued?: boolean;
}

function makeAd(rng: Rng, timeline: Timeline, group: AdGroupRecord, draft: AdDraft): AdRecord {
  const delivers = draft.status !== 'in_review';
  const stoppedAt = draft.stoppedAt;
  const liveFrom = Math.max(draft.createdAt, draft.liveFrom ?? -Infinity);
  return {
    id: randomId(rng, 'ad_'),
    ad_campaign_id: group.ad_campaign_id,
    ad_group_id: group.id,
    title: draft.title,
    status: draft.status,
    primary_text: draft.text,
    url: `https://store.sandbox.invalid/${draft.title.toLowerCase().replaceAll(/\W+/g, '-')}`,
    phase: draft.phase ?? null,
    created_at: iso(draft.createdAt),
    // An active ad in a paused ad group stopped delivering without being changed itself.
    updated_at: iso(draft.status === 'active' ? draft.createdAt : (stoppedAt ?? draft.createdAt)),
    daily: history(
      rng,
      timeline,
      draft.perf,
      {
        from: delivers && liveFrom < Infinity ? dayOf(timeline, liveFrom) + 1 : Infinity,
        until: stoppedAt === undefined ? HISTORY_DAYS : dayOf(timeline, stoppedAt),
      },
      draft.fatigued,
    ),
  };
}

const issue = (rng: Rng, resource: { id: string }, type: ResourceType, message: string, at: number): IssueRecord => ({
  id: randomId(rng, 'adiss_'),
  message,
  resource_type: type,
  resource_id: resource.id,
  created_at: iso(at),
});

interface AdSpec {
  title: string;
  text: string;
  /** Average daily spend in the account currency. */
  spend: number;
  ctr: number;
  /** Purchases per click. */
  buy?: number;
  /** Leads per click. */
  lead?: number;
  status?: AdStatus;
  stoppedDaysAgo?: number;
  createdDaysAgo?: number;
  phase?: PlatformPhase;
  issue?: string;
}

interface GroupSpec {
  title: string;
  budget: { amount: number; type: BudgetType } | null;
  result: ResultEvent | null;
  cpm: number;
  createdDaysAgo?: number;
  pausedDaysAgo?: number;
  rejectedDaysAgo?: number;
  startsInDays?: number;
  endsInDays?: number;
  phase?: PlatformPhase;
  issue?: string;
  /** Its ads wear out over the last days: frequency up and CTR down every day (creative fatigue). */
  fatigued?: boolean;
  ads: AdSpec[];
}

interface CampaignSpec {
  title: string;
  objective: CampaignRecord['objective'];
  startedDaysAgo: number;
  status?: CampaignStatus;
  /** A campaign-owned budget; its ad groups then have none. */
  budget?: { amount: number; type: BudgetType };
  /** A schedule of its own, which Whop allows only with a campaign-owned budget. Negative ends: ended that long ago. */
  startsInDays?: number;
  endsInDays?: number;
  /** When its status stopped its ads (paused, flagged, refunded); undefined if it did not. */
  stoppedDaysAgo?: number;
  /** Nothing under it has delivered yet: a draft, or launched moments ago and still with Whop. */
  undelivered?: boolean;
  paymentFailed?: boolean;
  issue?: string;
  groups: GroupSpec[];
}

const daily = (amount: number) => ({ amount, type: 'daily' as const });

const DEMO: CampaignSpec[] = [
  {
    title: 'Black Friday – Prospecting',
    objective: 'sales',
    startedDaysAgo: 70,
    groups: [
      {
        title: 'Lookalike 1% – Purchasers',
        budget: daily(150),
        result: 'purchase',
        cpm: 14,
        ads: [
          { title: 'BF hero video – 40% off', text: 'Black Friday starts now: 40% off everything, this week only.', spend: 60, ctr: 0.019, buy: 0.035 },
          { title: 'Carousel – Best sellers', text: 'Our five best sellers, all 40% off for Black Friday.', spend: 50, ctr: 0.015, buy: 0.026 },
          { title: 'UGC – Maya unboxes the bundle', text: '“I did not expect it to be this good.” See why 10,000 customers switched.', spend: 35, ctr: 0.022 },
        ],
      },
      {
        title: 'Broad – US 25-54',
        budget: daily(200),
        result: 'purchase',
        cpm: 11,
        ads: [
          { title: 'Static – Countdown timer', text: 'Only 3 days left: Black Friday prices end Sunday.', spend: 80, ctr: 0.011, buy: 0.018 },
          { title: 'Video – Unboxing in 15s', text: 'Unbox the Black Friday bundle in 15 seconds.', spend: 70, ctr: 0.014, buy: 0.022 },
          {
            title: 'Static – Skin confidence',
            text: 'Insecure about your skin? Our Black Friday bundle fixes that.',
            spend: 45,
            ctr: 0.017,
            buy: 0.02,
            status: 'rejected',
            stoppedDaysAgo: 4,
            issue: PERSONAL_ATTRIBUTES_REJECTION,
          },
        ],
      },
      {
        title: 'Interest – Sneakerheads',
        budget: daily(80),
        result: 'purchase',
        cpm: 19,
        issue: AUDIENCE_TOO_NARROW,
        ads: [
          { title: 'Drop alert – Limited pairs', text: 'The limited run is back: 200 pairs, Black Friday only.', spend: 45, ctr: 0.024, buy: 0.012 },
          {
            title: 'Quiz – Flat feet?',
            text: 'Do you have flat feet? Find the pair made for you.',
            spend: 30,
            ctr: 0.02,
            buy: 0.01,
            status: 'rejected',
            stoppedDaysAgo: 6,
            issue: PERSONAL_ATTRIBUTES_REJECTION,
          },
        ],
      },
      {
        title: 'Lead magnet – Size guide',
        budget: daily(50),
        result: 'lead',
        cpm: 9,
        pausedDaysAgo: 12,
        ads: [
          { title: 'Free size guide – Static', text: 'Never order the wrong size again: get the free guide.', spend: 28, ctr: 0.013, lead: 0.12 },
          { title: 'Free size guide – Video', text: 'Find your size in 30 seconds. Free.', spend: 22, ctr: 0.01, lead: 0.09 },
        ],
      },
    ],
  },
  {
    title: 'Retargeting – Cart abandoners',
    objective: 'sales',
    startedDaysAgo: 45,
    groups: [
      {
        title: 'Cart abandoners – 7 days',
        budget: daily(60),
        result: 'purchase',
        cpm: 24,
        fatigued: true,
        ads: [
          { title: 'Still thinking? 10% off', text: 'Still thinking it over? Here is 10% off to decide.', spend: 30, ctr: 0.031, buy: 0.06 },
          { title: 'Your cart is waiting – Carousel', text: 'Your cart is waiting, and so is free shipping.', spend: 25, ctr: 0.028, buy: 0.045 },
          {
            title: 'Free shipping reminder',
            text: 'Free shipping on every order until Monday.',
            spend: 15,
            ctr: 0.02,
            buy: 0.03,
            status: 'in_review',
            createdDaysAgo: 1,
          },
        ],
      },
      {
        title: 'Site visitors – 30 days',
        budget: { amount: 1500, type: 'lifetime' },
        endsInDays: 20,
        result: 'purchase',
        cpm: 20,
        ads: [
          { title: 'Reviews – 4.8 stars from 2,000 buyers', text: 'Rated 4.8 by 2,000 buyers. See what they say.', spend: 18, ctr: 0.02, buy: 0.03 },
          {
            title: 'Pay in 4 – Debt-free holidays',
            text: 'Worried about your debt this holiday? Pay in 4, interest-free.',
            spend: 10,
            ctr: 0.018,
            buy: 0.015,
            status: 'rejected',
            stoppedDaysAgo: 2,
            issue: PERSONAL_ATTRIBUTES_REJECTION,
          },
        ],
      },
      {
        title: 'Past purchasers – Upsell',
        budget: daily(40),
        result: 'purchase',
        cpm: 22,
        ads: [
          { title: 'Complete the look', text: 'You have the sneakers. Now complete the look.', spend: 22, ctr: 0.019, buy: 0.02, issue: LANDING_PAGE_DOWN },
          { title: 'Loyalty – Double points', text: 'Double loyalty points on every order this week.', spend: 18, ctr: 0.015 },
        ],
      },
    ],
  },
  {
    title: 'Brand awareness',
    objective: 'awareness',
    startedDaysAgo: 90,
    budget: daily(100),
    paymentFailed: true,
    issue: PAYMENT_FAILED,
    groups: [
      {
        title: 'Reach – US & CA',
        budget: null,
        result: null,
        cpm: 6,
        ads: [
          { title: 'Brand film – 15s', text: 'Made to move. Made to last.', spend: 40, ctr: 0.006 },
          { title: 'Brand film – 6s bumper', text: 'Made to move.', spend: 35, ctr: 0.004 },
          { title: 'Founder story – Static', text: 'Why we started making sneakers in a garage in 2019.', spend: 25, ctr: 0.005 },
        ],
      },
    ],
  },
  // Below: the rest of a real account, one campaign per state Whop reports (every status and delivery_status the SDK lists).
  {
    title: 'Holiday gift guide',
    objective: 'sales',
    startedDaysAgo: 20,
    groups: [
      {
        title: 'Gift guide – Newsletter signups',
        budget: daily(40),
        result: 'lead',
        cpm: 9,
        ads: [{ title: 'Free gift-wrapping guide', text: 'Wrap like a pro: get the free guide.', spend: 25, ctr: 0.015, lead: 0.1 }],
      },
      {
        title: 'Gift guide – Broad 18-65',
        budget: daily(60),
        result: 'purchase',
        cpm: 10,
        createdDaysAgo: 3,
        phase: 'learning',
        ads: [
          { title: 'Gift guide – Carousel', text: 'Ten gifts they will actually wear.', spend: 30, ctr: 0.025, buy: 0.03, phase: 'learning' },
          {
            title: 'Gift guide – New video',
            text: 'Gifts that move: our 20-second gift guide.',
            spend: 25,
            ctr: 0.02,
            buy: 0.03,
            createdDaysAgo: 0.05,
            phase: 'processing',
          },
        ],
      },
      {
        title: 'Gift guide – Lookalike 3%',
        budget: daily(40),
        result: 'purchase',
        cpm: 10,
        createdDaysAgo: 10,
        phase: 'learning_limited',
        ads: [{ title: 'Gift guide – Static', text: 'The gift guide, on one page.', spend: 20, ctr: 0.021, buy: 0.055, phase: 'learning_limited' }],
      },
      {
        title: 'Gift guide – Past buyers',
        budget: daily(30),
        result: 'purchase',
        cpm: 20,
        ads: [
          {
            title: 'Last year’s bestsellers',
            text: 'Loved last year, back this year.',
            spend: 15,
            ctr: 0.02,
            buy: 0.03,
            status: 'paused',
            stoppedDaysAgo: 6,
          },
        ],
      },
      {
        title: 'Gift guide – Last-minute shoppers',
        budget: daily(50),
        result: 'purchase',
        cpm: 12,
        startsInDays: 10,
        ads: [{ title: 'Last-minute gifts – 2-day shipping', text: 'Forgot someone? Free 2-day shipping.', spend: 40, ctr: 0.02, buy: 0.03 }],
      },
      {
        title: 'Gift guide – Gift cards',
        budget: daily(25),
        result: 'purchase',
        cpm: 12,
        createdDaysAgo: 0.04,
        phase: 'processing',
        ads: [{ title: 'Gift cards – Static', text: 'Not sure? Give a gift card.', spend: 20, ctr: 0.018, buy: 0.04 }],
      },
    ],
  },
  {
    title: 'Spring collection',
    objective: 'sales',
    status: 'draft',
    startedDaysAgo: 2,
    undelivered: true,
    groups: [
      {
        title: 'Spring – Broad 25-44',
        budget: daily(70),
        result: 'purchase',
        cpm: 12,
        ads: [
          { title: 'Spring lookbook – Video', text: 'Lighter, brighter, made for spring.', spend: 40, ctr: 0.02, buy: 0.03 },
          { title: 'Spring lookbook – Carousel', text: 'Six new colours for spring.', spend: 30, ctr: 0.018, buy: 0.025 },
        ],
      },
    ],
  },
  {
    title: 'Cyber Monday – Early access',
    objective: 'sales',
    startedDaysAgo: 1,
    budget: daily(120),
    startsInDays: 5,
    groups: [
      {
        title: 'Early access – Subscriber lookalike',
        budget: null,
        result: 'purchase',
        cpm: 14,
        ads: [{ title: 'Early access – 24 h head start', text: 'Subscribers shop Cyber Monday a day early.', spend: 60, ctr: 0.02, buy: 0.03 }],
      },
    ],
  },
  {
    title: 'Labor Day sale',
    objective: 'sales',
    status: 'inactive',
    startedDaysAgo: 42,
    budget: { amount: 2500, type: 'lifetime' },
    endsInDays: -12,
    groups: [
      {
        title: 'Labor Day – Broad',
        budget: null,
        result: 'purchase',
        cpm: 11,
        ads: [
          { title: 'Labor Day – 30% off sitewide', text: '30% off everything, Labor Day weekend only.', spend: 45, ctr: 0.016, buy: 0.025 },
          { title: 'Labor Day – Last chance', text: 'Last chance: 30% off ends tonight.', spend: 30, ctr: 0.014, buy: 0.02 },
        ],
      },
      {
        title: 'Labor Day – Retargeting 14 days',
        budget: null,
        result: 'purchase',
        cpm: 22,
        ads: [{ title: 'Labor Day – Still in your cart', text: 'Your cart is 30% lighter this weekend.', spend: 20, ctr: 0.027, buy: 0.05 }],
      },
    ],
  },
  {
    title: 'Giveaway – Instagram followers',
    objective: 'engagement',
    status: 'paused',
    startedDaysAgo: 30,
    stoppedDaysAgo: 9,
    groups: [
      {
        title: 'Giveaway – Follower lookalike',
        budget: daily(25),
        result: null,
        cpm: 7,
        ads: [{ title: 'Giveaway – Win a pair every week', text: 'Follow us and win a pair every week this month.', spend: 20, ctr: 0.012 }],
      },
    ],
  },
  {
    title: 'Austin store opening',
    objective: 'awareness',
    status: 'in_review',
    startedDaysAgo: 0.1,
    undelivered: true,
    groups: [
      {
        title: 'Austin – 15 mi radius',
        budget: daily(35),
        result: null,
        cpm: 8,
        ads: [{ title: 'Grand opening – Static', text: 'Austin, we are open: South Congress, from Saturday.', spend: 30, ctr: 0.008 }],
      },
    ],
  },
  { title: 'Meta import – Evergreen 2024', objective: 'sales', status: 'importing', startedDaysAgo: 0.02, groups: [] },
  {
    title: 'Evergreen – Always on',
    objective: 'sales',
    status: 'imported',
    startedDaysAgo: 200,
    groups: [
      {
        title: 'Evergreen – Broad',
        budget: daily(45),
        result: 'purchase',
        cpm: 13,
        pausedDaysAgo: 30,
        ads: [{ title: 'Evergreen – Classic white', text: 'The sneaker that goes with everything.', spend: 35, ctr: 0.015, buy: 0.025 }],
      },
      {
        title: 'Evergreen – Lookalike 2%',
        budget: daily(35),
        result: 'purchase',
        cpm: 15,
        pausedDaysAgo: 30,
        ads: [{ title: 'Evergreen – Reviews carousel', text: '12,000 five-star reviews, and counting.', spend: 25, ctr: 0.017, buy: 0.03 }],
      },
    ],
  },
  {
    title: 'Supplement bundle – Launch',
    objective: 'sales',
    status: 'flagged',
    startedDaysAgo: 25,
    stoppedDaysAgo: 7,
    issue: CAMPAIGN_FLAGGED,
    groups: [
      {
        title: 'Supplements – Health interests',
        budget: daily(40),
        result: 'purchase',
        cpm: 16,
        rejectedDaysAgo: 7,
        issue: TARGETING_REJECTED,
        ads: [{ title: 'Bundle – Morning routine', text: 'Start every morning with the bundle.', spend: 25, ctr: 0.014, buy: 0.02 }],
      },
      {
        title: 'Supplements – Broad 30-60',
        budget: daily(50),
        result: 'purchase',
        cpm: 12,
        ads: [{ title: 'Bundle – 3 for 2', text: 'Three months for the price of two.', spend: 30, ctr: 0.012, buy: 0.02 }],
      },
    ],
  },
  {
    title: 'Back to school – Bundles',
    objective: 'sales',
    status: 'pending_refund',
    startedDaysAgo: 35,
    budget: { amount: 1200, type: 'lifetime' },
    stoppedDaysAgo: 18,
    groups: [
      {
        title: 'Back to school – Parents 30-50',
        budget: null,
        result: 'purchase',
        cpm: 12,
        ads: [
          {
            title: 'Straight A’s bundle',
            text: 'Straight A’s, guaranteed, with the back-to-school bundle.',
            spend: 25,
            ctr: 0.015,
            buy: 0.02,
            status: 'rejected',
            stoppedDaysAgo: 20,
            issue: UNSUPPORTED_PROMISE,
          },
          {
            title: 'Top of the class – Video',
            text: 'Top of the class by Christmas, guaranteed.',
            spend: 20,
            ctr: 0.013,
            buy: 0.02,
            status: 'rejected',
            stoppedDaysAgo: 20,
            issue: UNSUPPORTED_PROMISE,
          },
        ],
      },
    ],
  },
  {
    title: 'Podcast sponsorship test',
    objective: 'leads',
    status: 'stale',
    startedDaysAgo: 150,
    groups: [{ title: 'Podcast listeners – Interest', budget: daily(20), result: 'lead', cpm: 9, ads: [] }],
  },
  {
    title: 'Retargeting – 2024 (legacy)',
    objective: 'sales',
    status: 'payment_failed',
    startedDaysAgo: 400,
    stoppedDaysAgo: 40,
    groups: [
      {
        title: 'Legacy – Site visitors 180 days',
        budget: daily(30),
        result: 'purchase',
        cpm: 18,
        ads: [{ title: 'Come back – 15% off', text: 'We saved your size: 15% off to come back.', spend: 20, ctr: 0.02, buy: 0.03 }],
      },
    ],
  },
];

/** The account the sandbox's key belongs to, shaped like Whop's company ids. */
export const SANDBOX_ACCOUNT_ID = 'biz_SandboxAccount1';

export interface DemoOptions {
  /** Lower case, as Whop writes it; the sandbox has exchange rates for usd, eur, gbp, cad and aud. */
  currency?: Currency;
  now?: () => Date;
  seed?: number;
  /** The account's reporting time zone, whose wall clock its hour-of-day rhythm follows; default America/New_York. */
  timeZone?: string;
  /** Each day spread evenly over its hours instead of the rhythm: for figures crafted as per-hour arithmetic. */
  flatDays?: boolean;
}

/** The rhythm of the sandbox's days: a consumer account's, with a quarter of noise on each hour of each ad. */
export const demoHourShape = (timeZone: string): HourShape => ({ timeZone, weights: CONSUMER_DAY, noise: 0.25 });

/** The earliest or latest of the moments that are set; undefined if none is. */
const earliest = (...moments: (number | undefined)[]) => pickOf(moments, Math.min);
const latest = (...moments: (number | undefined)[]) => pickOf(moments, Math.max);
function pickOf(moments: (number | undefined)[], choose: (...values: number[]) => number): number | undefined {
  const set = moments.filter((moment) => moment !== undefined);
  return set.length === 0 ? undefined : choose(...set);
}

/**
 * A marketer's account: three campaigns that tell the story (a Black Friday push with a rejection and a narrow
 * audience, retargeting with a broken landing page, brand awareness with a failed payment), then one campaign for
 * each state Whop reports, 60 days of history, and open issues at every level.
 */
export function demoAccount(opts: DemoOptions = {}): SandboxAccount {
  const currency = opts.currency ?? 'usd';
  usdPerUnit(currency); // refuse a currency the stats cannot convert, here rather than on the first request
  const now = opts.now ?? (() => new Date());
  const rng = mulberry32(opts.seed ?? 1);
  const timeline = timelineOf(now());
  const account: SandboxAccount = {
    id: SANDBOX_ACCOUNT_ID,
    currency,
    now,
    campaigns: [],
    adGroups: [],
    ads: [],
    issues: [],
    ...(opts.flatDays ? {} : { hourShape: demoHourShape(opts.timeZone ?? 'America/New_York') }),
  };
  const future = (days: number | undefined) => (days === undefined ? undefined : timeline.now + days * DAY_MS);
  const past = (days: number | undefined) => (days === undefined ? undefined : daysAgo(timeline, days));
  const isoOrNull = (ms: number | undefined) => (ms === undefined ? null : iso(ms));

  for (const c of DEMO) {
    const createdAt = daysAgo(timeline, c.startedDaysAgo);
    const [startsAt, endsAt, stoppedAt] = [future(c.startsInDays), future(c.endsInDays), past(c.stoppedDaysAgo)];
    const campaignStop = earliest(stoppedAt, endsAt !== undefined && endsAt <= timeline.now ? endsAt : undefined);
    const campaign: CampaignRecord = {
      id: randomId(rng, 'adcamp_'),
      title: c.title,
      status: c.status ?? 'active',
      objective: c.objective,
      budget_amount: c.budget?.amount ?? null,
      budget_type: c.budget?.type ?? null,
      starts_at: isoOrNull(startsAt),
      ends_at: isoOrNull(endsAt),
      payment_failed: c.paymentFailed ?? false,
      created_at: iso(createdAt),
      updated_at: iso(campaignStop ?? createdAt),
    };
    account.campaigns.push(campaign);
    if (c.issue) account.issues.push({ ...issue(rng, campaign, 'ad_campaign', c.issue, stoppedAt ?? daysAgo(timeline, 1)), ...(c.paymentFailed ? { billing: true } : {}) });

    c.groups.forEach((g, gi) => {
      const groupCreated = g.createdDaysAgo === undefined ? createdAt + (gi + 1) * HOUR : daysAgo(timeline, g.createdDaysAgo);
      const pausedAt = past(g.pausedDaysAgo);
      const rejectedAt = past(g.rejectedDaysAgo);
      const groupStarts = future(g.startsInDays);
      const group: AdGroupRecord = {
        id: randomId(rng, 'adgrp_'),
        ad_campaign_id: campaign.id,
        title: g.title,
        status: rejectedAt !== undefined ? 'rejected' : pausedAt === undefined ? 'active' : 'paused',
        budget_amount: g.budget?.amount ?? null,
        budget_type: g.budget?.type ?? null,
        result_event: g.result,
        starts_at: isoOrNull(groupStarts),
        ends_at: isoOrNull(future(g.endsInDays)),
        phase: g.phase ?? null,
        created_at: iso(groupCreated),
        updated_at: iso(pausedAt ?? rejectedAt ?? groupCreated),
      };
      account.adGroups.push(group);
      if (g.issue) account.issues.push(issue(rng, group, 'ad_group', g.issue, rejectedAt ?? daysAgo(timeline, 3)));

      g.ads.forEach((a, ai) => {
        const ownStop = past(a.stoppedDaysAgo);
        const ad = makeAd(rng, timeline, group, {
          title: a.title,
          text: a.text,
          status: a.status ?? 'active',
          createdAt: a.createdDaysAgo === undefined ? groupCreated + (ai + 1) * HOUR : daysAgo(timeline, a.createdDaysAgo),
          liveFrom: c.undelivered ? Infinity : latest(startsAt, groupStarts),
          stoppedAt: earliest(ownStop, pausedAt, rejectedAt, campaignStop),
          phase: a.phase,
          fatigued: g.fatigued,
          perf: {
            dailySpend: a.spend,
            cpm: g.cpm,
            ctr: a.ctr,
            purchaseRate: a.buy ?? 0,
            leadRate: a.lead ?? 0,
            orderValueUsd: between(rng, 45, 90),
          },
        });
        account.ads.push(ad);
        if (a.issue) account.issues.push(issue(rng, ad, 'ad', a.issue, ownStop ?? daysAgo(timeline, 1)));
      });
    });
  }
  return account;
}

export interface ScaledOptions {
  adGroups: number;
  ads: number;
  issues: number;
  campaigns?: number;
  seed?: number;
  now?: () => Date;
  /** Absent: each day spreads evenly over its hours (the digest benchmark's account). */
  hourShape?: HourShape;
  /** The reports' clock without an hour shape; UTC when absent. */
  reportingTimeZone?: string;
}

const AUDIENCES = ['Lookalike 1%', 'Lookalike 5%', 'Broad', 'Interest – Fitness', 'Interest – Sneakers', 'Retargeting 7d', 'Retargeting 30d'];
const CREATIVES = ['Static', 'Video 15s', 'Carousel', 'UGC', 'Reel'];

/** A big USD account for the benchmark: ad groups and ads spread evenly over campaigns, issues at random. */
export function scaledAccount(opts: ScaledOptions): SandboxAccount {
  if (opts.ads > 0 && opts.adGroups < 1) throw new Error('Ads need at least one ad group to belong to');
  const now = opts.now ?? (() => new Date());
  const rng = mulberry32(opts.seed ?? 7);
  const timeline = timelineOf(now());
  const account: SandboxAccount = {
    id: SANDBOX_ACCOUNT_ID,
    currency: 'usd',
    now,
    campaigns: [],
    adGroups: [],
    ads: [],
    issues: [],
    ...(opts.hourShape ? { hourShape: opts.hourShape } : {}),
    ...(opts.reportingTimeZone ? { reportingTimeZone: opts.reportingTimeZone } : {}),
  };
  const campaignCount = Math.max(1, opts.campaigns ?? 20);

  for (let i = 0; i < campaignCount; i++) {
    const createdAt = daysAgo(timeline, between(rng, 20, 120));
    const ownsBudget = i % 10 === 9;
    account.campaigns.push({
      id: randomId(rng, 'adcamp_'),
      title: `Campaign ${i + 1} – ${pick(rng, AUDIENCES)}`,
      status: i % 7 === 6 ? 'paused' : 'active',
      objective: 'sales',
      budget_amount: ownsBudget ? Math.round(between(rng, 100, 2000)) : null,
      budget_type: ownsBudget ? 'daily' : null,
      created_at: iso(createdAt),
      updated_at: iso(createdAt),
    });
  }

  for (let i = 0; i < opts.adGroups; i++) {
    // biome-ignore lint/style/noNonNullAssertion: the loop above pushed campaignCount (at least one) campaigns
    const campaign = account.campaigns[i % campaignCount]!;
    const createdAt = Date.parse(campaign.created_at) + (i + 1) * 60_000;
    const [roll, goal] = [rng(), rng()];
    account.adGroups.push({
      id: randomId(rng, 'adgrp_'),
      ad_campaign_id: campaign.id,
      title: `Ad group ${i + 1} – ${pick(rng, AUDIENCES)}`,
      status: roll < 0.01 ? 'rejected' : roll < 0.09 ? 'paused' : 'active',
      budget_amount: campaign.budget_amount === null ? Math.round(between(rng, 20, 400)) : null,
      budget_type: campaign.budget_amount === null ? 'daily' : null,
      result_event: goal < 0.8 ? 'purchase' : goal < 0.95 ? 'lead' : null,
      ends_at: null,
      created_at: iso(createdAt),
      updated_at: iso(createdAt),
    });
  }

  const pausedCampaigns = new Set(account.campaigns.filter((c) => c.status === 'paused').map((c) => c.id));
  for (let i = 0; i < opts.ads; i++) {
    // biome-ignore lint/style/noNonNullAssertion: the loop above pushed opts.adGroups groups, at least one when there are ads (checked at the top)
    const group = account.adGroups[i % opts.adGroups]!;
    const roll = rng();
    const status: AdStatus = roll < 0.02 ? 'rejected' : roll < 0.06 ? 'paused' : roll < 0.07 ? 'in_review' : 'active';
    const stopped = status === 'paused' || status === 'rejected' || group.status !== 'active' || pausedCampaigns.has(group.ad_campaign_id);
    account.ads.push(
      makeAd(rng, timeline, group, {
        title: `Ad ${i + 1} – ${pick(rng, CREATIVES)}`,
        text: 'Sneakers made to move. Free returns.',
        status,
        createdAt: status === 'in_review' ? daysAgo(timeline, 1) : Date.parse(group.created_at) + (i + 1) * 1000,
        stoppedAt: stopped ? daysAgo(timeline, between(rng, 1, 20)) : undefined,
        perf: {
          dailySpend: between(rng, 2, 60),
          cpm: between(rng, 6, 25),
          ctr: between(rng, 0.004, 0.03),
          purchaseRate: group.result_event === 'purchase' ? between(rng, 0, 0.05) : 0,
          leadRate: group.result_event === 'lead' ? between(rng, 0.03, 0.15) : 0,
          orderValueUsd: between(rng, 30, 120),
        },
      }),
    );
  }

  type Level = { type: ResourceType; records: readonly { id: string }[]; messages: string[] };
  const levels: [Level, Level, Level] = [
    { type: 'ad', records: account.ads, messages: [PERSONAL_ATTRIBUTES_REJECTION, LANDING_PAGE_DOWN] },
    { type: 'ad_group', records: account.adGroups, messages: [AUDIENCE_TOO_NARROW] },
    { type: 'ad_campaign', records: account.campaigns, messages: [PAYMENT_FAILED] },
  ];
  for (let i = 0; i < opts.issues; i++) {
    const roll = rng();
    const level = levels[roll < 0.7 ? 0 : roll < 0.93 ? 1 : 2];
    if (level.records.length === 0) continue;
    const at = daysAgo(timeline, between(rng, 0, 10));
    account.issues.push(issue(rng, pick(rng, level.records), level.type, pick(rng, level.messages), at));
  }
  return account;
}
