import type { KnownBlock, SectionBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksAsText } from '../../src/demo/blocks-as-text';
import { demoAccount, type SandboxAccount, scaledAccount } from '../../src/sandbox';
import { blockKitProblems } from '../support/block-kit-rules';
import { BOT } from '../support/test-workspace';
import { HARNESS_NOW, Harness, namedAccounts } from './harness';

// An agency's morning summary over two Whop companies, Acme in dollars and Globex in euros, each with its own key and
// digest channel; the summary's channel is bound to neither.
const YAML = [
  'timezone: America/New_York',
  'accounts:',
  '  - { name: acme, company_id: biz_acme1, api_key_env: ACME_WHOP_API_KEY }',
  '  - { name: globex, company_id: biz_globex1, api_key_env: GLOBEX_WHOP_API_KEY }',
  'digests:',
  '  - { account: acme, channel: C0ACME, schedule: "* * * * * *", chart: "off" }',
  '  - { account: globex, channel: C0GLOBEX, schedule: "* * * * * *", chart: "off" }',
  'summaries:',
  '  - { channel: C0AGENCY, schedule: "* * * * * *", accounts: [acme, globex] }',
  // A summary may go to an account's own channel too, of that account alone.
  '  - { channel: C0GLOBEX, schedule: "0 8 * * 1-5", window: last_7d, accounts: [globex] }',
  '  - { channel: C0SECRET, schedule: "0 8 * * 1-5" }',
].join('\n');

let h: Harness;
beforeAll(async () => {
  const now = () => HARNESS_NOW;
  // Acme has three open issues; Globex, the demo account, has more: it comes first though the entry names it last.
  const acme: SandboxAccount = { ...scaledAccount({ adGroups: 40, ads: 120, issues: 3, now }), id: 'biz_acme1' };
  const globex: SandboxAccount = { ...demoAccount({ now, currency: 'eur' }), id: 'biz_globex1' };
  h = await Harness.start({ yaml: YAML, ...namedAccounts({ acme, globex }), channels: { privateChannels: ['C0SECRET'], notMemberOf: ['C0SECRET'] } });
});
afterAll(async () => {
  await h?.stop();
});

const accountLines = (blocks: unknown[]) => (blocks as SectionBlock[]).filter((b) => b.type === 'section' && b.text?.text.includes('open alert')).map((b) => b.text?.text ?? '');
const linkedTs = (line: string, channel: string) => new RegExp(`/archives/${channel}/p(\\d+)\\|`).exec(line)?.[1];
const problems = (line: string) => [...line.matchAll(/(\d+) open (?:issue|alert)/g)].reduce((n, m) => n + Number(m[1]), 0);

describe('the summary across two accounts, end to end', () => {
  it("lists both, worst first, each in its own currency and linking its own account's digest once it has posted", async () => {
    const summary = await h.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.ok &&
        c.args.channel === 'C0AGENCY' &&
        /archives\/C0ACME\/.*archives\/C0GLOBEX|archives\/C0GLOBEX\/.*archives\/C0ACME/s.test(JSON.stringify(c.args.blocks)),
      10_000,
    );
    const blocks = summary.args.blocks as unknown[];
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    const lines = accountLines(blocks);
    expect(lines).toHaveLength(2);
    const acme = lines.find((l) => l.includes('|acme>*')) ?? '';
    const globex = lines.find((l) => l.includes('|globex>*')) ?? '';
    expect(acme).toMatch(/Spend \$[\d,]+\.\d\d/);
    expect(globex).toMatch(/Spend €[\d,]+\.\d\d/);
    // Each line links a digest its own account's schedule posted to its own channel.
    const posted = (channel: string) =>
      h.slack
        .messages(channel)
        .filter((m) => !m.thread_ts)
        .map((m) => m.ts.replace('.', ''));
    expect(posted('C0ACME')).toContain(linkedTs(acme, 'C0ACME'));
    expect(posted('C0GLOBEX')).toContain(linkedTs(globex, 'C0GLOBEX'));
    expect(acme).not.toContain('C0GLOBEX');
    expect(globex).not.toContain('C0ACME');
    // Worst first: the most open problems lead, whatever order the entry names them in.
    expect(lines).toEqual([globex, acme]);
    expect(problems(globex)).toBeGreaterThan(problems(acme));
  });

  it('added to a summary channel bound to no account, or to an account channel with a summary, the bot says it posts the summary there', async () => {
    const joined = (channel: string) => ({ type: 'member_joined_channel', user: BOT.userId, channel, channel_type: 'C', team: 'T0TEST', inviter: 'U0BOSS' });
    const onboarding = async (channel: string) => {
      await h.event(joined(channel));
      const call = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === channel && String(c.args.text).includes('Here I will post'));
      return blocksAsText(call.args.blocks as KnownBlock[]);
    };
    const agency = await onboarding('C0AGENCY');
    expect(agency).toContain('a summary across accounts of yesterday, ');
    expect(agency).not.toContain('a digest of');
    const globex = await onboarding('C0GLOBEX');
    expect(globex).toContain('a digest of yesterday');
    expect(globex).toContain('a summary across accounts of last 7 days, weekdays at 8:00 America/New_York');
  });

  it('the setup check names a summary channel the bot is not in once, though two accounts are checked', async () => {
    const done = () => h.logs.filter((line) => /"msg":"setup check (done|failed)"/.test(line)).length;
    await expect.poll(done).toBe(2);
    const warnings = h.logs.filter((line) => line.includes('Channel C0SECRET (summary) was not found') && line.includes('"level":40'));
    expect(warnings).toHaveLength(1);
  });
});
