import { describe, expect, it } from 'vitest';
import { adGroupCard, type CardGroup, searchResults, sharedByOf, withBudget } from '../../blocks/ad-group-card';
import { budgetChanged, budgetModal, budgetModalConfirm, confirmPrompt } from '../../blocks/budget';
import { INPUT_LIMITS } from '../../blocks/limits';
import { currencyOf } from '../../src/currency';
import { blockKitProblems, modalProblems } from '../support/block-kit-rules';

const group = (over: Partial<CardGroup> = {}): CardGroup => ({
  id: 'adgrp_1',
  title: 'Lookalike 1%',
  status: 'active',
  delivery_status: 'learning_limited',
  budget_amount: 150,
  budget_type: 'daily',
  starts_at: '2026-11-01T12:00:00Z',
  ends_at: null,
  spend: 812.4,
  spend_currency: 'usd',
  results: 31,
  cost_per_result: 26.21,
  return_on_ad_spend: 2.5,
  click_through_rate: 0.0123,
  issues: [],
  ...over,
});

const card = (over: Partial<CardGroup> = {}, sharedBy?: string) =>
  adGroupCard({
    group: group(over),
    campaign: { id: 'adcamp_1', title: 'Black Friday', platform: 'meta' },
    window: { name: 'last_7d', timeZone: 'America/New_York' },
    sandbox: false,
    ...(sharedBy ? { sharedBy } : {}),
  });
const json = (x: unknown) => JSON.stringify(x);

describe('ad group card', () => {
  it('shows budget and type, campaign, platform, schedule, the week’s stats and the three buttons', () => {
    const { blocks, text } = card();
    const body = json(blocks);
    for (const part of [
      '*Budget*\\n$150.00 daily',
      '*Campaign*\\nBlack Friday',
      '*Platform*\\nMeta',
      '*Schedule*\\nSun, Nov 1 – until paused',
      '*Delivery*\\nlearning limited',
      '*Spend*\\n$812.40',
      '*Cost per result*\\n$26.21',
      '*ROAS*\\n2.5×',
      '*CTR*\\n1.23%',
      'the last 7 days',
    ])
      expect(body).toContain(part);
    expect(body).toContain('"ad_group.pause"');
    expect(body).toContain('"ad_group.budget.edit"');
    expect(body).toContain('"ad_group.share"');
    expect(text).toContain('budget $150.00 daily');
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });

  it('shows a cost per result only where results were attributed, and money in the account’s currency sign', () => {
    expect(json(card({ results: null, cost_per_result: null }).blocks)).toContain('*Cost per result*\\n—');
    expect(json(card({ results: 0, cost_per_result: 0 }).blocks)).toContain('*Cost per result*\\n—');
    const cad = json(card({ spend_currency: 'cad' }).blocks);
    expect(cad).toContain('*Budget*\\nCA$150.00 daily');
    expect(cad).toContain('*Spend*\\nCA$812.40');
    expect(json(card({ spend_currency: null }).blocks)).toContain('*Budget*\\n150.00 daily');
  });

  it('shows a schedule date Whop sent that is no date as unknown instead of failing', () => {
    expect(json(card({ starts_at: 'not a date', ends_at: '2026-13-45T99:99:99Z' }).blocks)).toContain('*Schedule*\\n— – —');
  });

  it('says the campaign sets the budget and offers no Edit budget then', () => {
    const body = json(card({ budget_amount: null, budget_type: null }).blocks);
    expect(body).toContain('*Budget*\\nSet by the campaign');
    expect(body).not.toContain('ad_group.budget.edit');
  });

  it('the shared copy names who shared it, offers no Share button, and can be read back', () => {
    const { blocks } = card({}, 'U0MARIA');
    expect(json(blocks)).not.toContain('ad_group.share');
    expect(sharedByOf(blocks)).toBe('U0MARIA');
    expect(sharedByOf(card().blocks)).toBeUndefined();
  });

  it('escapes hostile titles and issue messages and stays within limits with many issues', () => {
    const hostile = '<!channel> *bold* <https://x.example|y>';
    const issues = Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, message: `${hostile} ${'x'.repeat(400)}`, resource_id: 'adgrp_1', resource_type: 'ad_group' as const }));
    const { blocks, text } = card({ title: hostile, issues });
    expect(json(blocks).replace(/"type":"plain_text","text":"[^"]*"/g, '')).not.toMatch(/<[!h]/);
    expect(text).not.toContain('<!channel>');
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });

  it('a budget change updates only the Budget field', () => {
    const before = card().blocks;
    const after = withBudget(before, { budget_amount: 175.5, budget_type: 'daily', spend_currency: 'usd' });
    expect(json(after)).toBe(json(before).replace('$150.00 daily', '$175.50 daily'));
  });

  it('search results list ten with Open buttons and count the rest', () => {
    const groups = Array.from({ length: 10 }, (_, i) => group({ id: `adgrp_${i}`, title: `Group ${i}` }));
    const { blocks } = searchResults('group', groups, 23);
    expect(blocks.filter((b) => json(b).includes('"ad_group.open"'))).toHaveLength(10);
    expect(json(blocks)).toContain('23 more — refine your search');
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });
});

describe('budget views', () => {
  const change = { id: 'adgrp_1', title: '<Big> & bold', from: 100, to: 300, type: 'daily' as const, currency: currencyOf('eur') };

  const CONFIRM_ID = 'pc_AAAAAAAAAAAAAAAAAAAAAA';

  it('the confirmation shows old → new with the percentage; Confirm and Cancel carry only the pending change’s id', () => {
    const { blocks } = confirmPrompt(change, CONFIRM_ID, 50);
    expect(json(blocks)).toContain('€100.00 → *€300.00* daily (+200%)');
    expect(json(blocks)).toContain('&lt;Big&gt; &amp; bold');
    const [confirm, cancel] = (blocks[1] as { elements: { action_id: string; value: string }[] }).elements;
    expect([confirm!.value, cancel!.value]).toEqual([CONFIRM_ID, CONFIRM_ID]);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });

  it('the result names who changed it; its Undo carries only the pending undo’s id, and there is none without one', () => {
    const at = new Date('2026-11-25T15:42:00Z');
    const { blocks } = budgetChanged(change, 'U1', at, 'Europe/Paris', 'pc_BBBBBBBBBBBBBBBBBBBBBB');
    expect(json(blocks)).toContain('by <@U1> at 16:42');
    const undo = (blocks[0] as { accessory: { value: string } }).accessory;
    expect(undo.value).toBe('pc_BBBBBBBBBBBBBBBBBBBBBB');
    expect(json(budgetChanged(change, 'U1', at, 'Europe/Paris', null).blocks)).not.toContain('"button"');
  });

  it('the modal and its confirmation step are valid modals', () => {
    const state = { ...change, channel: 'C1', ts: '1.2', responseUrl: null, sharedBy: null };
    expect(modalProblems(budgetModal(state, CONFIRM_ID))).toEqual([]);
    expect(modalProblems(budgetModalConfirm(state, 300, 50, CONFIRM_ID))).toEqual([]);
    expect(budgetModal(state, CONFIRM_ID).private_metadata).toBe(CONFIRM_ID);
  });

  it('the amount field takes what the parser reads and no more, so Slack refuses a longer one before the bot sees it', () => {
    const state = { ...change, from: 999_999_999_999.99, channel: 'C1', ts: '1.2', responseUrl: null, sharedBy: null };
    const input = budgetModal(state, 'pc_AAAAAAAAAAAAAAAAAAAAAA').blocks.flatMap((b) => ('element' in b ? [b.element] : []))[0] as {
      min_length?: number;
      max_length?: number;
      initial_value?: string;
    };
    expect(input).toMatchObject({ min_length: 1, max_length: INPUT_LIMITS.amount });
    expect(input.initial_value!.length).toBeLessThanOrEqual(INPUT_LIMITS.amount);
  });
});
