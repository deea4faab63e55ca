import { afterEach, describe, expect, it } from 'vitest';
import { statsWindow } from '../../src/digest/window';
import { accountTotals } from '../../src/sandbox';
import { blockKitProblems } from '../support/block-kit-rules';
import { Harness } from './harness';

const EVERY_SECOND = ['timezone: America/New_York', 'digests:', '  - channel: C0DIGEST', '    schedule: "* * * * * *"', '    window: yesterday', '    top: 5'].join('\n');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const fieldValue = (blocks: unknown[], label: string): string => {
  const fields = (blocks as Array<{ fields?: { text: string }[] }>).flatMap((b) => b.fields ?? []);
  const field = fields.find((f) => f.text.startsWith(`*${label}*\n`));
  if (!field) throw new Error(`no field ${label}`);
  return field.text.split('\n')[1]!.split('  ')[0]!;
};

describe('scheduled digest, end to end', () => {
  it('posts a digest whose totals equal the sandbox sums and which names every seeded issue', async () => {
    harness = await Harness.start({ yaml: EVERY_SECOND });
    const call = await harness.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok, 8_000);
    expect(call.args.channel).toBe('C0DIGEST');
    const [message] = harness.slack.messages('C0DIGEST');
    expect(message).toBeDefined();
    expect(blockKitProblems(message!.blocks, 'message')).toEqual([]);

    const window = statsWindow('yesterday', harness.now, 'America/New_York');
    const sums = accountTotals(harness.sandbox.account, window.from, window.to);
    const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(fieldValue(message!.blocks, 'Spend')).toBe(money(sums.spend));
    expect(fieldValue(message!.blocks, 'Impressions')).toBe(sums.impressions.toLocaleString('en-US'));
    expect(fieldValue(message!.blocks, 'Clicks')).toBe(sums.clicks.toLocaleString('en-US'));
    expect(fieldValue(message!.blocks, 'Purchases')).toBe(sums.purchases.toLocaleString('en-US'));
    const pct = (n: number) => `${(Math.round(n * 10_000) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;
    expect(fieldValue(message!.blocks, 'CTR')).toBe(pct(sums.clicks / sums.impressions));
    expect(fieldValue(message!.blocks, 'CPC')).toBe(money(sums.spend / sums.clicks));
    expect(fieldValue(message!.blocks, 'CPM')).toBe(money((sums.spend / sums.impressions) * 1000));
    expect(fieldValue(message!.blocks, 'Purchase value')).toBe(money(sums.purchase_value));
    expect(fieldValue(message!.blocks, 'ROAS')).toBe(`${(sums.purchase_value / sums.spend).toLocaleString('en-US', { maximumFractionDigits: 2 })}×`);

    const text = JSON.stringify(message!.blocks);
    const issues = harness.sandbox.account.issues;
    expect(issues.length).toBeGreaterThan(2);
    for (const issue of issues) expect(text).toContain(issue.message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });
});
