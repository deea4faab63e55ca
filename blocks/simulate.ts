import type { KnownBlock } from '@slack/types';
import type { Hold } from '../src/automation/guardrails';
import type { NotProposed } from '../src/automation/propose';
import type { RuleAction } from '../src/automation/rule-action';
import type { NotReplayable, Replay, ReplayEvent, RuleReplay } from '../src/automation/simulate';
import type { Currency } from '../src/currency';
import type { AnomalyMetric, Problem } from '../src/model';
import { clock, count, day, decimal, moment, money, percent, plural, title } from './format';
import { context, header, section } from './kit';
import { blocksChars, LIMITS } from './limits';

/** The ephemeral answer to `/ads rules simulate [days]`: per rule, what it would have done, when, to what, and the money. */

const HOLD_WORDS: Record<Hold, string> = {
  rule_cap: 'the rule’s max_actions_per_day',
  account_cap: 'the account’s actions.max_actions_per_day',
  cooldown: 'action_cooldown_hours',
  change_cap: 'actions.max_change_pct',
  above_limit: 'budget.max_amount',
};

const NOT_PROPOSED_WORDS: Record<NotProposed, string> = {
  not_actionable: 'not an ad group it can act on',
  excluded: 'excluded',
  no_budget: 'budget set by the campaign',
  no_change: 'already as the action would leave it',
};

const NOT_REPLAYABLE_WORDS: Record<NotReplayable, string> = {
  no_purchase_value: 'Whop’s hourly figures have no purchase value, so ROAS cannot be replayed hour by hour',
  no_reach: 'Whop’s hourly figures have no reach, so frequency (fatigue) cannot be replayed hour by hour',
};

const METRIC: Record<AnomalyMetric, string> = { spend: 'spend', cost_per_result: 'cost per result', ctr: 'CTR', cpm: 'CPM' };

/** Events listed per rule at first; fewer when the whole message would pass Slack's size budget. */
const EVENTS_SHOWN = [8, 4, 2, 0] as const;

/** Blocks kept for the header, the intro, the rules not replayed and the footnote. */
const FRAME_BLOCKS = 4;

const pct = (n: number) => `${n > 0 ? '+' : ''}${decimal(n)}%`;

function actionWords(action: RuleAction, currency: Currency | null): string {
  if (action === 'pause' || action === 'unpause') return action;
  if ('scale_budget' in action) return `budget ${pct(action.scale_budget.by_pct)}`;
  if ('set_budget' in action) return `budget to ${money(action.set_budget, currency)}`;
  return `pause until ${action.pause_until}`;
}

/** Why the rule fired, in a few words; data escaped by the formatters. */
function reason(problem: Problem): string {
  switch (problem.rule) {
    case 'cost_per_result':
      return `cost per result ${money(problem.costPerResult, problem.currency)} over ${money(problem.limit, problem.currency)}`;
    case 'anomaly': {
      const show = (n: number) => (problem.metric === 'ctr' ? percent(n) : money(n, problem.currency));
      return `${METRIC[problem.metric]} ${show(problem.value)}, ${decimal(Math.abs(problem.sigma))} σ ${problem.sigma >= 0 ? 'above' : 'below'} usual`;
    }
    case 'pacing':
      return `spent ${money(problem.spend, problem.currency)} of ${money(problem.budget, problem.currency)} before ${problem.before}`;
    case 'forecast':
      return `on course for ${money(problem.projected, problem.currency)} of ${money(problem.budget, problem.currency)}`;
    case 'no_delivery':
      return `no impressions in ${count(problem.hours)} h`;
    default:
      return problem.rule;
  }
}

const when = (at: Date, timeZone: string) => `${day(at, timeZone)} ${clock(at, timeZone)}`;

function eventLine(event: ReplayEvent, currency: Currency | null, timeZone: string): string {
  const who = `*${title(event.entity.title, event.entity.id, 60)}*`;
  const { plan } = event;
  const asked = event.outcome === 'proposed';
  let did: string;
  let effect: string;
  if (plan.kind === 'toggle') {
    const verb = plan.verb === 'pause' ? (asked ? 'asked to pause' : 'paused') : asked ? 'asked to unpause' : 'unpaused';
    did = `${verb} ${who}`;
    const back = event.endedAt ? `until ${when(event.endedAt, timeZone)}` : 'up to now';
    effect = event.savedSpend !== null ? ` · ${money(event.savedSpend, currency)} not spent ${back}` : event.endedAt ? ` · back ${when(event.endedAt, timeZone)}` : '';
  } else {
    did = `${asked ? 'asked to move' : 'moved'} the budget of ${who} ${money(plan.from, plan.currency)} → ${money(plan.to, plan.currency)}`;
    const delta = plan.to - plan.from;
    effect = ` (${delta >= 0 ? '+' : '−'}${money(Math.abs(delta), plan.currency)} a day${event.endedAt ? `, back ${when(event.endedAt, timeZone)}` : ''})`;
  }
  const lead = event.outcome === 'held' ? `held back by ${HOLD_WORDS[event.hold as Hold]}: would have ${did}` : did;
  return `• ${when(event.at, timeZone)} — ${lead}: ${reason(event.problem)}${event.outcome === 'held' ? '' : effect}`;
}

function ruleSummary(rule: RuleReplay, currency: Currency | null): string {
  const done = rule.events.filter((e) => e.outcome !== 'held');
  const held = rule.events.length - done.length;
  const parts = [plural(rule.alerts, 'alert')];
  if (rule.mode === 'notify' && !rule.asIf) parts.push('no action (mode notify)');
  else parts.push(`${count(done.length)} ${rule.mode === 'auto' ? 'done' : 'asked for approval'}`);
  if (held > 0) parts.push(`${count(held)} held back`);
  const skipped = Object.entries(rule.notProposed) as Array<[NotProposed, number]>;
  if (skipped.length > 0) parts.push(`not acted on: ${skipped.map(([why, n]) => `${count(n)} ${NOT_PROPOSED_WORDS[why]}`).join(', ')}`);
  const saved = done.reduce((sum, e) => sum + (e.savedSpend ?? 0), 0);
  if (done.some((e) => e.savedSpend !== null)) parts.push(`${money(saved, currency)} not spent`);
  const budget = done.reduce((sum, e) => sum + (e.plan.kind === 'budget' ? e.plan.to - e.plan.from : 0), 0);
  if (done.some((e) => e.plan.kind === 'budget')) parts.push(`budgets ${budget >= 0 ? '+' : '−'}${money(Math.abs(budget), currency)} a day`);
  return parts.join(' · ');
}

function ruleText(rule: RuleReplay, replay: Replay, timeZone: string, shown: number): string {
  const mode = rule.asIf ? 'notify, shown as if approve' : rule.mode;
  const head = `*\`${rule.rule}\`* in <#${rule.channel}> · ${mode} · ${actionWords(rule.action, replay.currency)}`;
  const lines = rule.events.slice(0, shown).map((e) => eventLine(e, replay.currency, timeZone));
  const more = rule.events.length - lines.length;
  return [head, ruleSummary(rule, replay.currency), ...lines, ...(more > 0 && shown > 0 ? [`…and ${plural(more, 'more firing')}`] : [])].join('\n');
}

export function simulateAnswer(replay: Replay, days: number, timeZone: string): { text: string; blocks: KnownBlock[] } {
  const acted = replay.rules.reduce((sum, r) => sum + r.events.filter((e) => e.outcome !== 'held').length, 0);
  const held = replay.rules.reduce((sum, r) => sum + r.events.filter((e) => e.outcome === 'held').length, 0);
  const text = `Rules simulated over the last ${plural(days, 'day')}: ${plural(acted, 'action')}, ${count(held)} held back. Nothing was changed.`;
  const intro = context(
    `Hourly checks replayed from ${moment(replay.from, timeZone)} to ${moment(replay.to, timeZone)} on Whop’s hourly figures. Nothing was changed in Whop and nothing was stored.`,
  );
  const top = header(`What the rules would have done: last ${plural(days, 'day')}`);
  const frame: KnownBlock[] = [];
  if (replay.skipped.length > 0) {
    frame.push(context(`Not replayed: ${replay.skipped.map((s) => `\`${s.rule}\` in <#${s.channel}> (${NOT_REPLAYABLE_WORDS[s.why]})`).join('; ')}`));
  }
  frame.push(
    context(
      'Simplified: a check every hour whatever the schedule; alerts already open when the replay starts count as new; an approval is given at once; spend is what Whop reported, before any pause.',
    ),
  );
  if (replay.rules.length === 0) {
    const none = section('No alert rule has an action to simulate. Give a rule `action:` (and `mode: approve` or `auto`) in ads-bot.yml, then run this again.');
    return { text: 'No alert rule has an action to simulate.', blocks: [top, none, ...frame.slice(0, -1)] };
  }
  const room = LIMITS.blocksPerMessage - FRAME_BLOCKS;
  const build = (shown: number, listed: number): KnownBlock[] => {
    const rules: KnownBlock[] = replay.rules.slice(0, listed).map((r) => section(ruleText(r, replay, timeZone, shown)));
    const rest = replay.rules.slice(listed);
    if (rest.length > 0)
      rules.push(
        context(
          `…and ${plural(rest.length, 'more rule')} with ${plural(
            rest.reduce((n, r) => n + r.events.length, 0),
            'firing',
          )}`,
        ),
      );
    return [top, intro, ...rules, ...frame];
  };
  const fits = (blocks: KnownBlock[]) => blocksChars(blocks) <= LIMITS.messageBlocksChars;
  let listed = replay.rules.length > room ? room - 1 : replay.rules.length;
  for (const shown of EVENTS_SHOWN) {
    const blocks = build(shown, listed);
    if (fits(blocks)) return { text, blocks };
  }
  // Even one line per rule is too much: the rules that do not fit are counted.
  while (listed > 1 && !fits(build(0, listed))) listed--;
  return { text, blocks: build(0, listed) };
}
