// The bot's own vocabulary, in one place: what views (blocks/), the store, the gateway and the handlers all speak
// of. Whop's shapes come from @whop/sdk (src/whop/types.ts); these are the words the bot adds around them.
import type { Currency } from './currency';

/** The account of a deployment without `accounts:` in ads-bot.yml, and of every row stored before accounts existed. */
export const DEFAULT_ACCOUNT = 'default';

/** An account's name in ads-bot.yml, `account:<name>` in commands, job names and lease keys. */
export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** A message the bot posted, by its channel and timestamp. */
export interface PostedMessage {
  channel: string;
  ts: string;
}

/** The Whop objects a person can act on from Slack. */
export type ActionableKind = 'ad' | 'ad_group';
export type EntityKind = ActionableKind | 'ad_campaign';

/** A campaign, ad group or ad as a message names it. */
export interface EntityRef {
  kind: EntityKind;
  id: string;
  title: string | null;
  status: string;
}

/**
 * Whether Pause/Unpause applies: only ads and ad groups that are active or paused. Review outcomes (rejected,
 * in review) are Whop's to change, and it refuses to toggle them.
 */
export const isActionable = (entity: EntityRef): entity is EntityRef & { kind: ActionableKind } =>
  (entity.kind === 'ad' || entity.kind === 'ad_group') && (entity.status === 'active' || entity.status === 'paused');

export type Toggle = 'pause' | 'unpause';

/** The status a toggle leaves an ad or ad group in, and the toggle that takes it back. */
export const STATUS_AFTER: Record<Toggle, 'paused' | 'active'> = { pause: 'paused', unpause: 'active' };
export const OPPOSITE: Record<Toggle, Toggle> = { pause: 'unpause', unpause: 'pause' };

/** Whop ids keep their prefixes: `ad_…`, `adgrp_…`, `adcamp_…`. */
export const ID_PATTERN: Record<EntityKind, RegExp> = {
  ad: /^ad_[A-Za-z0-9]+$/,
  ad_group: /^adgrp_[A-Za-z0-9]+$/,
  ad_campaign: /^adcamp_[A-Za-z0-9]+$/,
};
export const AD_GROUP_ID = ID_PATTERN.ad_group;

/** The stats windows a digest or a command can cover, in the team's time zone. */
export const WINDOWS = ['today', 'yesterday', 'last_7d', 'last_30d'] as const;
export type WindowName = (typeof WINDOWS)[number];

/** An amount as a person typed it: the number, and the currency when they named one. */
export type Amount = { amount: number; currency: Currency | null };

/** A budget change someone asked for: enough to show it, confirm it, apply it and undo it. */
export interface BudgetChange {
  id: string;
  title: string | null;
  from: number;
  to: number;
  type: 'daily' | 'lifetime' | null;
  currency: Currency | null;
}

/**
 * The delivery states Whop reports that an alert can watch: a campaign Meta could not charge for, an ad group
 * stuck in learning, everything rejected, every ad group switched off.
 */
export const DELIVERY_STATUS_ALERTS = ['payment_failed', 'learning_limited', 'all_ads_rejected', 'ad_groups_off'] as const;
export type DeliveryStatusAlert = (typeof DELIVERY_STATUS_ALERTS)[number];

/** A number at the first and the last day of a trend. */
export interface Trend {
  from: number;
  to: number;
}

/** What the anomaly rule compares with the same weekday and hour of past weeks. */
/** What a digest's chart draws: spend as bars with results as a line, or ROAS; `off` draws none (a sparkline instead). */
export const DIGEST_CHARTS = ['spend_results', 'roas', 'off'] as const;
export type DigestChart = (typeof DIGEST_CHARTS)[number];

export const ANOMALY_METRICS = ['spend', 'cost_per_result', 'ctr', 'cpm'] as const;
export type AnomalyMetric = (typeof ANOMALY_METRICS)[number];

/** A local moment as an alert names it: "by 10:00 on a Tuesday" (weekday 0 = Sunday, hour 0–24). */
export interface LocalHourLabel {
  weekday: number;
  hour: number;
}

/**
 * What an alert rule found, under a key that stays the same while the problem lasts. `settleHours`: the rule's
 * window ended that long before the check, on figures Meta no longer moves.
 */
export type Problem =
  | { key: string; rule: 'issue'; message: string; entities: EntityRef[] }
  | { key: string; rule: 'rejected'; entities: EntityRef[] }
  | { key: string; rule: 'pacing'; entities: EntityRef[]; spend: number; budget: number; currency: Currency | null; pct: number; before: string }
  /** `spend`: today's spend so far, which a rule that acts names in its why. */
  | { key: string; rule: 'cost_per_result'; entities: EntityRef[]; costPerResult: number; limit: number; currency: Currency | null; spend?: number }
  | { key: string; rule: 'roas'; entities: EntityRef[]; roas: number; limit: number; spend: number; currency: Currency | null; settleHours: number }
  | { key: string; rule: 'no_delivery'; entities: EntityRef[]; hours: number; settleHours: number }
  /** `whopSays`: Whop's own issue messages about the item, which this alert carries instead of alerting them apart. */
  | { key: string; rule: 'delivery_status'; status: DeliveryStatusAlert; entities: EntityRef[]; whopSays: string[] }
  | { key: string; rule: 'fatigue'; entities: EntityRef[]; days: number; frequency: Trend; ctr: Trend }
  /** Today's value by `at.hour` against the same weekday and hour of `weeks` past weeks: their lowest to highest, mean and z-score. */
  | {
      key: string;
      rule: 'anomaly';
      entities: EntityRef[];
      metric: AnomalyMetric;
      value: number;
      usualLow: number;
      usualHigh: number;
      mean: number;
      sigma: number;
      weeks: number;
      at: LocalHourLabel;
      /** The span compared starts at this local hour: 0 for the day so far, else the trailing window's first hour. */
      from: number;
      /**
       * How many hours the span holds, up to `at.hour`; it may begin the day before. Absent on alerts stored before
       * spans could cross midnight: then it is the day so far when `from` is 0, else from `from` to `at.hour`.
       */
      hours?: number;
      currency: Currency | null;
    }
  /** The day's spend projected from what is spent by `at.hour` and the share of a day usually spent by then. */
  | {
      key: string;
      rule: 'forecast';
      entities: EntityRef[];
      direction: 'over' | 'under';
      soFar: number;
      projected: number;
      low: number;
      high: number;
      budget: number;
      at: LocalHourLabel;
      currency: Currency | null;
    };

/**
 * Why a rule left an ad group unjudged: too little spend or too few impressions for its figures to mean anything,
 * or (no delivery) not meant to deliver for the whole window yet.
 */
export type SkipReason = 'min_spend' | 'min_impressions' | 'too_new';

/** How many ad groups each rule left unjudged in one check, by reason: `{ cost_per_result: { min_spend: 3 } }`. */
export type Skipped = Partial<Record<Problem['rule'], Partial<Record<SkipReason, number>>>>;

/** Who the audit log names when a rule acted by itself: `rule:cost_per_result_above`. */
export const RULE_ACTOR_PREFIX = 'rule:';
export const ruleActor = (rule: string) => `${RULE_ACTOR_PREFIX}${rule}`;
export const isRuleActor = (userId: string) => userId.startsWith(RULE_ACTOR_PREFIX);

/** What a change made through the bot did, as the audit log has it. */
export type ChangeMade = { kind: 'budget'; from: number; to: number; currency: Currency | null } | { kind: Toggle };

/**
 * A change made through the bot that an alert names: who, when, on which item (the alert's own or a parent),
 * and how to undo it where that still applies: a pending Undo of a budget (its id is all the button carries),
 * or the toggle that reverses a pause or unpause.
 */
export interface RecentChange {
  at: Date;
  by: string;
  entity: { kind: EntityKind; id: string; title: string | null };
  change: ChangeMade;
  undo: { kind: 'budget'; pendingId: string } | { kind: 'toggle'; verb: Toggle } | null;
}

/** The figure an alert follows: its own metric, or, for rules without one (issues, rejected, delivery), none. */
export type MovedMetric = AnomalyMetric | 'roas';

/**
 * How the alert's metric moved since a change: over the `hours` from the change to the check, against as many
 * hours just before it, on the alert's ad group. Only when both sides had data enough to judge.
 */
export interface MetricMove {
  metric: MovedMetric;
  hours: number;
  before: number;
  since: number;
  /** The account's, as Whop reports the ad group's spend in. */
  currency: Currency | null;
}

/** The changes an alert names, and over how many hours back they were looked for. */
export interface NamedChanges {
  hours: number;
  list: readonly RecentChange[];
  /** How the alert's metric moved since the newest change in `list`, where that could be judged. */
  move?: MetricMove;
}
