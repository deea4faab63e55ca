import { describe, expect, it } from 'vitest';
import { simulateAnswer } from '../../blocks/simulate';
import type { Replay, ReplayEvent, RuleReplay } from '../../src/automation/simulate';
import { currencyOf } from '../../src/currency';
import { blockKitProblems } from '../support/block-kit-rules';

const TZ = 'America/New_York';
const USD = currencyOf('usd');
const at = new Date('2026-11-23T15:00:00Z');
const json = (x: unknown) => JSON.stringify(x);

const pause = (i: number, over: Partial<ReplayEvent> = {}): ReplayEvent => ({
  at,
  entity: { id: `adgrp_${i}`, title: `<!channel> & ${'long title '.repeat(20)}` },
  plan: { kind: 'toggle', verb: 'pause', until: null },
  problem: { key: `cpr:adgrp_${i}`, rule: 'cost_per_result', entities: [], costPerResult: 61, limit: 40, currency: USD },
  outcome: 'acted',
  hold: null,
  savedSpend: 54.2,
  endedAt: null,
  ...over,
});

const rule = (events: ReplayEvent[], over: Partial<RuleReplay> = {}): RuleReplay => ({
  channel: 'C0ALERTS',
  rule: 'cost_per_result_above',
  mode: 'auto',
  asIf: false,
  action: 'pause',
  alerts: events.length,
  events,
  notProposed: {},
  ...over,
});

const replay = (rules: RuleReplay[]): Replay => ({ from: new Date('2026-11-17T16:00:00Z'), to: new Date('2026-11-24T15:00:00Z'), checks: 168, rules, skipped: [], currency: USD });

describe('the /ads rules simulate answer', () => {
  it('says per rule what it did, when, to what and the money, data escaped', () => {
    const scale: ReplayEvent = { ...pause(2), plan: { kind: 'budget', from: 100, to: 120, currency: USD }, savedSpend: null, outcome: 'proposed' };
    const held: ReplayEvent = { ...pause(3), outcome: 'held', hold: 'cooldown', savedSpend: null };
    const { text, blocks } = simulateAnswer(
      replay([rule([pause(1), held], { notProposed: { excluded: 2 } }), rule([scale], { rule: 'pacing', mode: 'approve', action: { scale_budget: { by_pct: 20 } } })]),
      7,
      TZ,
    );
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(text).toBe('Rules simulated over the last 7 days: 2 actions, 1 held back. Nothing was changed.');
    const body = json(blocks);
    expect(body).toContain('*`cost_per_result_above`* in <#C0ALERTS> · auto · pause');
    expect(body).toContain('2 alerts · 1 done · 1 held back · not acted on: 2 excluded · $54.20 not spent');
    expect(body).toContain('• Mon, Nov 23 10:00 — paused *&lt;!channel&gt; &amp; long title');
    expect(body).toContain(': cost per result $61.00 over $40.00 · $54.20 not spent up to now');
    expect(body).toContain('— held back by action_cooldown_hours: would have paused');
    expect(body).toContain('asked to move the budget of');
    expect(body).toContain('$100.00 → $120.00: cost per result $61.00 over $40.00 (+$20.00 a day)');
    expect(body).not.toContain('<!channel>');
  });

  it('many rules with many firings stay within Slack’s limits, the rest counted', () => {
    const many = Array.from({ length: 80 }, (_, r) =>
      rule(
        Array.from({ length: 200 }, (_, i) => pause(i)),
        { channel: `C0ALERTS${r}` },
      ),
    );
    const { blocks } = simulateAnswer(replay(many), 28, TZ);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(json(blocks)).toMatch(/…and \d+ more rules with [\d,]+ firings/);
  });

  it('without a rule that acts it says how to give one an action', () => {
    const { text, blocks } = simulateAnswer(replay([]), 7, TZ);
    expect(text).toBe('No alert rule has an action to simulate.');
    expect(json(blocks)).toContain('Give a rule `action:`');
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });
});
