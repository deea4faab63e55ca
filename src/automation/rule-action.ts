// What an alert rule may do besides alerting (issue 13: rules that act), as ads-bot.yml writes it: the keys a
// rule's object form takes, their defaults, and the rule names every firing, cap and audit row is counted under.
import { z } from 'zod';
import type { Problem } from '../model';

/** `notify`: alert only (the behaviour before rules could act); `approve`: act after an operator's click; `auto`: act, then say so with Undo. */
export const ACTION_MODES = ['notify', 'approve', 'auto'] as const;
export type ActionMode = (typeof ACTION_MODES)[number];

const clock = /^(tomorrow )?([01]\d|2[0-3]):[0-5]\d$/;

/** What a rule does to the ad group (or ad) its problem names. */
export const ruleActionSchema = z.union(
  [
    z.enum(['pause', 'unpause']),
    z.strictObject({
      scale_budget: z.strictObject({
        by_pct: z
          .number()
          .min(-90, 'expected a change from -90 to 1000 percent')
          .max(1000, 'expected a change from -90 to 1000 percent')
          .refine((n) => n !== 0, { message: 'expected a change other than 0 percent' }),
        // Optional: budget.max_amount always applies too.
        max_amount: z.number().positive().optional(),
      }),
    }),
    z.strictObject({ set_budget: z.number().positive() }),
    // Pause now, unpause at that local time: "tomorrow 00:00" (the next midnight), or "18:00" (the next 18:00).
    z.strictObject({ pause_until: z.string().regex(clock, 'expected a local time such as "tomorrow 00:00" or "18:00"') }),
  ],
  { error: () => 'expected pause, unpause, { scale_budget: { by_pct: 20 } }, { set_budget: 100 } or { pause_until: "tomorrow 00:00" }' },
);
export type RuleAction = z.infer<typeof ruleActionSchema>;

const PATTERN = /^\/(.+)\/([imsu]*)$/;
/** Titles are matched on their first characters only: a pattern's cost stays bounded whatever Whop sends. */
export const TITLE_MATCHED_CHARS = 200;
const compiled = new Map<string, RegExp | null>();

/**
 * An `exclude` entry written between slashes ("/^Brand/i") as the pattern it is, compiled once; null for an id or a
 * pattern that does not compile. The operator's own text from ads-bot.yml, never data from Slack or Whop.
 */
export function titlePattern(entry: string): RegExp | null {
  if (!compiled.has(entry)) {
    const parts = PATTERN.exec(entry);
    let pattern: RegExp | null = null;
    try {
      pattern = parts ? new RegExp(parts[1] as string, parts[2]) : null;
    } catch {
      pattern = null;
    }
    compiled.set(entry, pattern);
  }
  return compiled.get(entry) ?? null;
}

const QUANTIFIERS = new Set(['+', '*', '{']);

/**
 * Whether a group holding a quantifier is itself quantified — (a+)+, (\w+\s?)*, (x*){2,} — which backtracks
 * exponentially on a title that almost matches: refused at start-up rather than found when a rule hangs the bot.
 * A scan of the pattern's text (escapes and character classes skipped), not a regular expression over it.
 */
export function repeatsARepeat(pattern: string): boolean {
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      i++;
    } else if (inClass) {
      inClass = c !== ']';
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      groups.push(false);
    } else if (c === ')') {
      const repeated = groups.pop() ?? false;
      if (repeated && QUANTIFIERS.has(pattern[i + 1] ?? '')) return true;
      // A group that repeats inside makes the group around it repeat inside too.
      if (repeated && groups.length > 0) groups[groups.length - 1] = true;
    } else if (QUANTIFIERS.has(c) && groups.length > 0) {
      groups[groups.length - 1] = true;
    }
  }
  return false;
}

/** An id (`adgrp_…`, `ad_…`) or a title pattern written between slashes (`/^Brand/i`). */
const exclusion = z.string().superRefine((value, ctx) => {
  if (!PATTERN.test(value)) {
    if (!/^(adgrp|ad|adcamp)_[A-Za-z0-9]+$/.test(value)) ctx.addIssue({ code: 'custom', message: 'expected an id such as adgrp_… or a title pattern such as "/^Brand/i"' });
    return;
  }
  if (value.length > 200) ctx.addIssue({ code: 'custom', message: 'expected a title pattern of at most 200 characters' });
  else if (repeatsARepeat(value))
    ctx.addIssue({ code: 'custom', message: 'expected a title pattern without a repeated group that repeats inside, like (a+)+: it can take forever on one title' });
  else if (!titlePattern(value)) ctx.addIssue({ code: 'custom', message: 'expected a title pattern that is a valid regular expression' });
});

/** Each guardrail's default: a rule that only says `action: pause, mode: auto` is already bounded. */
export const ACTION_DEFAULTS = {
  mode: 'notify' as ActionMode,
  /** An Approve not clicked by then expires and says so in place. */
  approve_within_hours: 4,
  /** Actions this rule takes per local day, whatever the entity. */
  max_actions_per_day: 10,
  /** A rule acts on one entity at most once in this many hours: it never flips an ad group back and forth. */
  action_cooldown_hours: 24,
};

/**
 * The keys any rule with an object form takes for acting. Optional in the parsed rule, so the rules that judge
 * (src/alerts/rules) keep their own shapes; `actingRule` fills in the defaults above.
 */
export const actionShape = {
  action: ruleActionSchema.optional(),
  mode: z.enum(ACTION_MODES).optional(),
  approve_within_hours: z.number().positive().max(168).optional(),
  /** Puts the entity back as it was after this long, unless someone changed it since. */
  revert_after_hours: z.number().positive().max(168).optional(),
  max_actions_per_day: z.number().int().min(1).max(1000).optional(),
  action_cooldown_hours: z.number().min(0).max(720).optional(),
  exclude: z.array(exclusion).max(200).optional(),
};

type ActionKeys = { [K in keyof typeof actionShape]?: z.infer<(typeof actionShape)[K]> };

/** A rule that acts, every key filled in. */
export interface ActingRule {
  action: RuleAction;
  mode: 'approve' | 'auto';
  approve_within_hours: number;
  revert_after_hours: number | null;
  max_actions_per_day: number;
  action_cooldown_hours: number;
  exclude: string[];
}

/** The rule's acting settings with their defaults, or null when it only alerts. */
export function actingRule(rule: ActionKeys | undefined): ActingRule | null {
  const mode = rule?.mode ?? ACTION_DEFAULTS.mode;
  if (!rule?.action || mode === 'notify') return null;
  return {
    action: rule.action,
    mode,
    approve_within_hours: rule.approve_within_hours ?? ACTION_DEFAULTS.approve_within_hours,
    revert_after_hours: rule.revert_after_hours ?? null,
    max_actions_per_day: rule.max_actions_per_day ?? ACTION_DEFAULTS.max_actions_per_day,
    action_cooldown_hours: rule.action_cooldown_hours ?? ACTION_DEFAULTS.action_cooldown_hours,
    exclude: rule.exclude ?? [],
  };
}

/** `mode: approve` or `auto` without an action would silently alert only: refused instead. */
export const needsAction = (rule: ActionKeys) => (rule.mode ?? 'notify') === 'notify' || rule.action !== undefined;
export const NEEDS_ACTION = { message: 'mode approve or auto needs an action (pause, unpause, scale_budget, set_budget or pause_until)', path: ['action'] };

/** Account-wide guardrails, over every rule together (`actions:` at the top of ads-bot.yml). */
export const accountActionsSchema = z
  .strictObject({
    /** Actions all rules together take per local day. */
    max_actions_per_day: z.number().int().min(1).max(10_000).default(50),
    /** A budget moves at most this much (up or down, from its value at the day's start) per local day, all rules together. */
    max_change_pct: z.number().positive().max(1000).default(50),
  })
  .prefault({});

/** The ads-bot.yml key of the rule that found a problem: firings, caps and audit rows are counted under it. */
export const RULE_KEY: Record<Problem['rule'], string> = {
  issue: 'new_issues',
  rejected: 'rejected',
  pacing: 'pacing',
  forecast: 'pacing',
  cost_per_result: 'cost_per_result_above',
  roas: 'roas_below',
  no_delivery: 'no_delivery_hours',
  delivery_status: 'delivery_status',
  fatigue: 'fatigue',
  anomaly: 'anomaly',
};

/** The buttons of a rule that acts; each carries only its firing's id, and every click is authorized afresh. */
export const RULE_APPROVE_ACTION = 'rule_action.approve';
export const RULE_SKIP_ACTION = 'rule_action.skip';
export const RULE_UNDO_ACTION = 'rule_action.undo';
