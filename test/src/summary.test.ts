// The cross-account summary end to end below the app: two sandbox accounts in different currencies, each read through
// the real SDK gateway, each with a digest posted first, and the summary posted to the fake Slack.
import type { SectionBlock } from '@slack/types';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { money } from '../../blocks/format';
import { freshAlert } from '../../src/alerts/check';
import { createChartRenderer } from '../../src/charts/renderer';
import { parseSettings } from '../../src/config';
import { currencyOf } from '../../src/currency';
import { buildDigest } from '../../src/digest/build';
import { issueCount } from '../../src/digest/issues';
import { postDigest } from '../../src/digest/post';
import { statsWindow } from '../../src/digest/window';
import { createLogger } from '../../src/logger';
import type { PostedMessage } from '../../src/model';
import { accountTotals, demoAccount, type SandboxServer, scaledAccount, startSandbox } from '../../src/sandbox';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { AlertRecord } from '../../src/store/types';
import type { SummaryAccount } from '../../src/summary/account';
import { runSummary, type SummaryJobDeps } from '../../src/summary/run';
import { storeAccount } from '../../src/summary/store-account';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { blockKitProblems } from '../support/block-kit-rules';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';

const NOW = new Date('2026-11-25T14:00:00Z');
const TZ = 'America/New_York';
const TOKEN = 'xoxb-test';
const KEY = 'summary-key';
const WORKSPACE = 'https://agency.slack.com/';
const SUMMARY_CHANNEL = 'C0SUMMARY';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

interface Served {
  account: SummaryAccount;
  sandbox: SandboxServer;
  /** Its digest as posted before the summary. */
  digest: PostedMessage;
}

/**
 * One account: its own sandbox, gateway and state (as each account's store will be), `openAlerts` open alerts in its
 * alert channel, and a digest posted to its own channel through the real postDigest, which keeps it in that state.
 */
async function served(
  slack: FakeSlack,
  name: string,
  sandboxAccount: ReturnType<typeof demoAccount>,
  channels: { digest: string; alerts: string },
  openAlerts: number,
): Promise<Served> {
  const sandbox = await startSandbox({ apiKey: KEY, account: sandboxAccount });
  const charts = createChartRenderer();
  const store = openSqliteStore(':memory:');
  cleanup.push(
    () => sandbox.close(),
    () => charts.close(),
    () => store.close(),
  );
  for (let i = 0; i < openAlerts; i++) await store.alerts.save(openAlert(channels.alerts, `issue:${i}`));
  await store.alerts.save({ ...openAlert(channels.alerts, 'issue:gone'), state: 'resolved', resolvedAt: NOW });
  const gateway = createAdsGateway(createWhopClient({ apiKey: KEY, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 2_000 }));
  const client = new WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  const posted = await postDigest(
    { gateway, charts, posts: store.digests, slack: client, timeZone: TZ, sandbox: true, now: () => NOW, log: createLogger('silent') },
    { channel: channels.digest, window: 'yesterday', campaigns: [], top: 5, chart: 'off' },
  );
  if (!posted.posted) throw new Error(posted.reason);
  const settings = parseSettings(
    `digests:\n  - { channel: ${channels.digest}, schedule: "0 9 * * *" }\nalerts:\n  - { channel: ${channels.alerts}, schedule: "*/15 * * * *", rules: { new_issues: true } }`,
  );
  return { sandbox, digest: { channel: posted.channel, ts: posted.ts }, account: storeAccount({ name, gateway, settings, store }) };
}

const openAlert = (channel: string, key: string): AlertRecord => ({
  ...freshAlert(channel, { key, rule: 'issue', message: 'Audience too narrow', entities: [] }, NOW),
  ts: '1700000000.000100',
});

async function setUp() {
  const slack = await startFakeSlack({ token: TOKEN });
  cleanup.push(() => slack.close());
  const eu = await served(slack, 'Maison Paris', demoAccount({ currency: 'eur', now: () => NOW }), { digest: 'C0PARIS', alerts: 'C0PARISALERTS' }, 1);
  const us = await served(slack, 'Brooklyn Kicks', scaledAccount({ adGroups: 40, ads: 120, issues: 3, now: () => NOW }), { digest: 'C0BROOKLYN', alerts: 'C0BROOKLYNALERTS' }, 2);
  const deps = (accounts: SummaryAccount[]): SummaryJobDeps => ({
    accounts,
    slack: new WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } }),
    workspaceUrl: WORKSPACE,
    timeZone: TZ,
    sandbox: true,
    now: () => NOW,
    log: createLogger('silent'),
  });
  return { slack, eu, us, deps };
}

const entry = (yaml = '') => {
  const [summary] = parseSettings(`summaries:\n  - { channel: ${SUMMARY_CHANNEL}, schedule: "0 8 * * *"${yaml} }`).summaries;
  if (!summary) throw new Error('no summary parsed');
  return summary;
};

const accountSections = (slack: FakeSlack): string[] => {
  const blocks = (slack.messages(SUMMARY_CHANNEL)[0]?.blocks ?? []) as SectionBlock[];
  return blocks.filter((b) => b.type === 'section' && b.text?.text.includes('open alert')).map((b) => b.text?.text ?? '');
};

const linkTo = (digest: PostedMessage) => `${WORKSPACE}archives/${digest.channel}/p${digest.ts.replace('.', '')}`;

describe('the cross-account summary', () => {
  it('lists both accounts, worst first, each with its own currency, its digest’s figures and issue count, and a link to its digest', async () => {
    const { slack, eu, us, deps } = await setUp();
    await runSummary(deps([us.account, eu.account]), entry());

    const messages = slack.messages(SUMMARY_CHANNEL);
    expect(messages).toHaveLength(1);
    expect(blockKitProblems(messages[0]?.blocks as unknown[], 'message')).toEqual([]);
    const window = statsWindow('yesterday', NOW, TZ);
    const lines = accountSections(slack);
    const counts: number[] = [];
    for (const [i, { sandbox, digest, account }] of [eu, us].entries()) {
      const line = lines[i] ?? '';
      // The demo account has the most open problems (its rejections, the failed payment, the broken page): it is first.
      expect(line.startsWith(`*<${linkTo(digest)}|${account.name}>*`)).toBe(true);
      const spend = accountTotals(sandbox.account, window.from, window.to).spend;
      expect(line).toContain(`Spend ${money(spend, currencyOf(sandbox.account.currency))}`);
      const view = await buildDigest(account.gateway, { digest: { window: 'yesterday', campaigns: [], top: 5 }, timeZone: TZ, now: NOW, sandbox: true });
      if (!view.ok) throw new Error(view.error.message);
      expect(line).toContain(`${issueCount(view.value.issues)} open issue`);
      counts.push(issueCount(view.value.issues) + (await account.openAlerts()));
    }
    expect(lines).toHaveLength(2);
    // Open alerts as each account's state has them: a resolved one is not counted.
    expect(lines[0]).toMatch(/ · 1 open alert$/);
    expect(lines[1]).toMatch(/ · 2 open alerts$/);
    expect(counts[0]).toBeGreaterThan(counts[1] ?? 0);
    expect(lines[0]).toMatch(/Spend €/);
    expect(lines[1]).toMatch(/Spend \$/);
    expect(JSON.stringify(messages[0]?.blocks)).toContain('Totals per currency');
  });

  it('an account Whop does not answer for is a line saying so, first, and the summary still posts', async () => {
    const { slack, eu, us, deps } = await setUp();
    // Both reads of the account (the window and the one before) fail; the SDK does not retry (maxRetries 0).
    us.sandbox.faults.failNext(2, 503);
    await runSummary(deps([eu.account, us.account]), entry());
    const lines = accountSections(slack);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`*<${linkTo(us.digest)}|Brooklyn Kicks>*\n:x: Whop did not answer: Whop is not answering.\n:warning: 2 open alerts`);
    expect(lines[1]).toMatch(/^\*<[^|]+\|Maison Paris>\*\nSpend €/);
  });

  it('lists only the accounts the entry names', async () => {
    const { slack, eu, us, deps } = await setUp();
    await runSummary(deps([eu.account, us.account]), entry(', accounts: [Brooklyn Kicks]'));
    const lines = accountSections(slack);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\|Brooklyn Kicks>\*/);
  });
});
