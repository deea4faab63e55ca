import { describe, expect, it } from 'vitest';
import { adGroupCard, type CardGroup, searchResults } from '../../blocks/ad-group-card';
import { alertMessage, withSnooze } from '../../blocks/alert';
import { budgetChanged, budgetModal } from '../../blocks/budget';
import { context, section } from '../../blocks/kit';
import { SANDBOX_MARK, viewWithSandboxMark, withSandboxMark } from '../../blocks/sandbox-mark';
import { currencyOf } from '../../src/currency';
import { blockKitProblems, modalProblems } from '../support/block-kit-rules';

const json = (x: unknown) => JSON.stringify(x);
const marks = (x: unknown) => json(x).split(SANDBOX_MARK).length - 1;
const usd = currencyOf('usd');
const group: CardGroup = {
  id: 'adgrp_1',
  title: 'Black Friday',
  status: 'active',
  delivery_status: 'active',
  budget_amount: 100,
  budget_type: 'daily',
  starts_at: null,
  ends_at: null,
  spend: 1,
  spend_currency: 'usd',
  results: null,
  cost_per_result: 0,
  return_on_ad_spend: 0,
  click_through_rate: 0,
  issues: [],
};
const change = { id: 'adgrp_1', title: 'Black Friday', from: 100, to: 120, type: 'daily' as const, currency: usd };
const AT = new Date('2026-11-25T15:42:00Z');

describe('the sandbox mark on a message', () => {
  it('a message with blocks gets one context line under them, and stays valid', () => {
    const message = { channel: 'C1', ...searchResults('black', [group], 0) };
    const marked = withSandboxMark(message);
    expect(marked.blocks.slice(0, -1)).toEqual(message.blocks);
    expect(marked.blocks.at(-1)).toEqual(context(SANDBOX_MARK));
    expect(marked).toMatchObject({ channel: 'C1', text: message.text });
    expect(blockKitProblems(marked.blocks, 'message')).toEqual([]);
  });

  it('a message of text alone gets the mark on a line under it', () => {
    expect(withSandboxMark({ text: 'Snoozed until Nov 25, 16:42 EST.' })).toEqual({ text: `Snoozed until Nov 25, 16:42 EST.\n${SANDBOX_MARK}` });
  });

  it('says it once: a message marked already (the digest, the card, alerts, a second pass) is returned as it is', () => {
    const card = adGroupCard({ group, campaign: null, window: { name: 'today', timeZone: 'UTC' }, sandbox: true });
    const alert = alertMessage({
      problem: { key: 'rejected:ad_1', rule: 'rejected', entities: [{ kind: 'ad', id: 'ad_1', title: 'A', status: 'rejected' }] },
      openedAt: AT,
      timeZone: 'UTC',
      sandbox: true,
    });
    const once = withSandboxMark(budgetChanged(change, 'U1', AT, 'UTC', null));
    for (const message of [card, alert, once, withSandboxMark({ text: 'x' })]) {
      expect(withSandboxMark(message)).toBe(message);
      expect(marks(message)).toBe(1);
    }
  });

  it('leaves a message with nothing to show alone (an answer that only deletes the original)', () => {
    const deleting = { delete_original: true };
    expect(withSandboxMark(deleting)).toBe(deleting);
  });

  it('an alert keeps its snooze line working: the mark sits in the alert’s own last line', () => {
    const alert = alertMessage({
      problem: { key: 'rejected:ad_1', rule: 'rejected', entities: [{ kind: 'ad', id: 'ad_1', title: 'A', status: 'active' }] },
      openedAt: AT,
      timeZone: 'UTC',
      sandbox: true,
    });
    const snoozed = withSnooze(withSandboxMark(alert).blocks, { by: 'U1', until: AT }, 'UTC');
    expect(json(snoozed.at(-1))).toContain(SANDBOX_MARK);
    expect(json(snoozed.at(-1))).toContain(':zzz: Snoozed by <@U1>');
  });
});

describe('the sandbox mark on a form', () => {
  it('a modal gets one context line under its blocks, and stays a valid modal', () => {
    const form = budgetModal({ ...change, channel: 'C1', ts: '1.2', responseUrl: null, sharedBy: null }, 'pc_AAAAAAAAAAAAAAAAAAAAAA');
    const marked = viewWithSandboxMark(form);
    expect(marked.blocks.at(-1)).toEqual(context(SANDBOX_MARK));
    expect(viewWithSandboxMark(marked)).toBe(marked);
    expect(modalProblems(marked)).toEqual([]);
  });

  it('a modal at Slack’s 100 blocks is left as it is rather than refused', () => {
    const full = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'x' }, blocks: Array.from({ length: 100 }, () => section('x')) };
    expect(viewWithSandboxMark(full)).toBe(full);
  });
});
