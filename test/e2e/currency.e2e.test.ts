// Accounts whose codes Whop writes in lower case (`"spend_currency": "usd"`), end to end over signed requests: the
// budget command in any case or sign, the digest's currency signs, and alerts that need results.

import type { Currency } from '@whop/sdk/resources/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccount, type SandboxAccount } from '../../src/sandbox';
import { Harness } from './harness';

/** 15:00 in New York: today already has spend. */
const NOW = new Date('2026-11-25T20:00:00Z');
const YAML = 'timezone: America/New_York\nbudget:\n  max_amount: 5000\n  confirm_change_pct: 500\n';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(currency: Currency, yaml = YAML) {
  const account = demoAccount({ currency, now: () => NOW });
  harness = await Harness.start({ account, now: NOW, yaml });
  return { h: harness, account };
}

const text = (x: unknown) => JSON.stringify(x);
const budgeted = (account: SandboxAccount) => account.adGroups.find((g) => g.budget_amount !== null && g.budget_type === 'daily' && g.status === 'active')!;

describe('budget command on a lower-case account', () => {
  it.each([
    // The second column names the case in the test's title, which cannot show a dollar sign.
    ['usd', 'as 175 USD', '175 USD', 175, '$'],
    ['usd', 'as 175 usd', '175 usd', 175, '$'],
    ['usd', 'with a dollar sign', '$175', 175, '$'],
    ['eur', 'as €80', '€80', 80, '€'],
    ['eur', 'as 80 eur', '80 eur', 80, '€'],
    ['cad', 'with the CA dollar sign', 'CA$80', 80, 'CA$'],
  ] as const)('on a %s account, an amount typed %s applies and the answer shows the currency’s sign', async (currency, _case, typed, amount, sign) => {
    const { h, account } = await start(currency);
    const group = budgeted(account);
    expect(group.budget_amount).not.toBe(amount);
    const sent = await h.command('/adgroup', `budget ${group.id} ${typed}`);
    const [reply] = await h.responsesTo(sent.responseUrl);
    expect(group.budget_amount).toBe(amount);
    expect(reply!.text).toContain(`→ *${sign}${amount.toFixed(2)}* daily`);
    expect(await h.auditFor(group.id)).toMatchObject([{ action: 'ad_group.budget', outcome: 'done', after: String(amount) }]);
  });

  it('on a eur account, an amount in USD is refused in upper case and nothing is changed', async () => {
    const { h, account } = await start('eur');
    const group = budgeted(account);
    const from = group.budget_amount;
    const sent = await h.command('/adgroup', `budget ${group.id} 150 usd`);
    const [reply] = await h.responsesTo(sent.responseUrl);
    expect(reply!.text).toContain('budgets are in EUR, not USD');
    expect(group.budget_amount).toBe(from);
  });
});

describe('digest on a lower-case account', () => {
  const spendField = (blocks: unknown[]) =>
    (blocks as Array<{ fields?: { text: string }[] }>)
      .flatMap((b) => b.fields ?? [])
      .find((f) => f.text.startsWith('*Spend*\n'))!
      .text.split('\n')[1]!;

  it.each([
    ['usd', /^\$\d/],
    ['eur', /^€\d/],
    ['cad', /^CA\$\d/],
  ] as const)('%s: spend, CPC and the top ad groups carry the currency’s own sign, never a bare $ for another', async (currency, sign) => {
    const { h } = await start(currency);
    const sent = await h.command('/ads', 'digest yesterday', 'U0MARIA', 'C0TEAM');
    expect(sent.status).toBe(200);
    const posted = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === 'C0TEAM', 10_000);
    const blocks = posted.args.blocks as unknown[];
    expect(spendField(blocks)).toMatch(sign);
    const rows = text(blocks.filter((b) => text(b).includes(' spent')));
    expect(rows.match(/\d spent/g)?.length).toBeGreaterThan(0);
    if (currency !== 'usd') expect(rows).not.toMatch(/(?<![A-Z])\$\d[\d,.]* spent/);
    expect(String(posted.args.text)).toMatch(new RegExp(`: ${sign.source.slice(1)}`));
  });
});

describe('alerts that need results', () => {
  it('a cost-per-result limit of one cent names ad groups with results, never the reach ad group (results: null)', async () => {
    const yaml = ['timezone: America/New_York', 'alerts:', '  - channel: C0ALERTS', '    schedule: "0 0 1 1 *"', '    rules:', '      cost_per_result_above: 0.01'].join('\n');
    const { h, account } = await start('usd', yaml);
    const reach = account.adGroups.filter((g) => g.result_event === null && g.status === 'active');
    expect(reach.length).toBeGreaterThan(0);
    await h.checkAlerts(NOW);
    const alerts = h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok).map((c) => text(c.args.blocks));
    expect(alerts.filter((a) => a.includes('Cost per result too high')).length).toBeGreaterThan(0);
    for (const group of reach) for (const alert of alerts) expect(alert).not.toContain(group.id);
  });
});
