// The cross-account summary end to end below the app: two sandbox accounts in different currencies, each read through
// the real SDK gateway, each with a digest posted first, and the summary posted to the fake Slack.
import type { SectionBlock } from '@slack/types';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { money } from '../../blocks/format';
import { shownName } from '../../src/accounts/shown-name';
import { freshAlert } from '../../src/alerts/check';
import { type ChartRenderer, createChartRenderer } from '../../src/charts/renderer';
import { parseSettings } from '../../src/config';
import { currencyOf } from '../../src/currency';
import { buildDigest } from '../../src/digest/build';
import { issueCount } from '../../src/digest/issues';
import { digestHealthKey, runScheduledDigest } from '../../src/digest/scheduled';
import { statsWindow } from '../../src/digest/window';
import { digestJobKey, recordedRun } from '../../src/home/jobs';
import { createLogger } from '../../src/logger';
import type { PostedMessage } from '../../src/model';
import { accountTotals, demoAccount, type SandboxServer, scaledAccount, startSandbox } from '../../src/sandbox';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { AlertRecord } from '../../src/store/types';
import type { SummaryAccount } from '../../src/summary/account';
import { type SummarySource, summaryAccountOf } from '../../src/summary/account-of';
import { runSummary, type SummaryJobDeps } from '../../src/summary/run';
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
 * One account: its own sandbox, gateway and part of the store, `openAlerts` open alerts in its alert channel, and a
 * digest posted to its own channel as its schedule posts one (recordedRun keeps the ts the run posted).
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
  const root = openSqliteStore(':memory:');
  const store = root.forAccount(name);
  cleanup.push(
    () => sandbox.close(),
    () => charts.close(),
    () => root.close(),
  );
  for (let i = 0; i < openAlerts; i++) await store.alerts.save(openAlert(channels.alerts, `issue:${i}`));
  await store.alerts.save({ ...openAlert(channels.alerts, 'issue:gone'), state: 'resolved', resolvedAt: NOW });
  const gateway = createAdsGateway(createWhopClient({ apiKey: KEY, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 2_000 }));
  const client = new WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  const settings = parseSettings(
    `digests:\n  - { channel: ${channels.digest}, schedule: "0 9 * * *", chart: "off" }\nalerts:\n  - { channel: ${channels.alerts}, schedule: "*/15 * * * *", rules: { new_issues: true } }`,
  );
  const source = { name, companyId: `biz_${name}`, gateway, digests: settings.digests, alerts: settings.alerts, store };
  const digest = await scheduledDigest(source, client, charts);
  return { sandbox, digest, account: summaryAccountOf(source) };
}

/** One fire of the account's first digest, as bot.ts schedules it: posted, and its ts kept with the run. */
async function scheduledDigest(source: SummarySource, slack: WebClient, charts: ChartRenderer): Promise<PostedMessage> {
  const [digest] = source.digests;
  if (!digest) throw new Error('no digest');
  const log = createLogger('silent');
  const deps = { gateway: source.gateway, charts, slack, health: source.store.alerts, timeZone: TZ, sandbox: true, now: () => NOW, log };
  await recordedRun({ runs: source.store.runs, health: source.store.alerts, now: () => NOW, log }, digestJobKey(digest), digestHealthKey(digest), () =>
    runScheduledDigest(deps, digest, null),
  );
  const ts = (await source.store.runs.last([digestJobKey(digest)])).get(digestJobKey(digest))?.messageTs;
  if (!ts) throw new Error('the digest did not post');
  return { channel: digest.channel, ts };
}

const openAlert = (channel: string, key: string): AlertRecord => ({
  ...freshAlert(channel, { key, rule: 'issue', message: 'Audience too narrow', entities: [] }, NOW),
  ts: '1700000000.000100',
});

async function setUp() {
  const slack = await startFakeSlack({ token: TOKEN });
  cleanup.push(() => slack.close());
  const eu = await served(slack, 'maison-paris', demoAccount({ currency: 'eur', now: () => NOW }), { digest: 'C0PARIS', alerts: 'C0PARISALERTS' }, 1);
  const us = await served(slack, 'brooklyn-kicks', scaledAccount({ adGroups: 40, ads: 120, issues: 3, now: () => NOW }), { digest: 'C0BROOKLYN', alerts: 'C0BROOKLYNALERTS' }, 2);
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

/** The two accounts as ads-bot.yml names them, for summaries' `accounts:` to be checked against. */
const ACCOUNTS_YAML = ['maison-paris', 'brooklyn-kicks'].map((name) => `  - { name: ${name}, company_id: biz_${name.replace('-', '')}, api_key_env: WHOP_API_KEY }`).join('\n');

const entry = (yaml = '') => {
  const [summary] = parseSettings(`accounts:\n${ACCOUNTS_YAML}\nsummaries:\n  - { channel: ${SUMMARY_CHANNEL}, schedule: "0 8 * * *"${yaml} }`).summaries;
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
    expect(lines[0]).toBe(`*<${linkTo(us.digest)}|brooklyn-kicks>*\n:x: Whop did not answer: Whop is not answering.\n:warning: 2 open alerts`);
    expect(lines[1]).toMatch(/^\*<[^|]+\|maison-paris>\*\nSpend €/);
  });

  it('lists only the accounts the entry names', async () => {
    const { slack, eu, us, deps } = await setUp();
    await runSummary(deps([eu.account, us.account]), entry(', accounts: [brooklyn-kicks]'));
    const lines = accountSections(slack);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\|brooklyn-kicks>\*/);
  });
});

describe("an account's link in the summary", () => {
  it('links the newest digest its schedules posted; after a fire that failed it names the digest channel, and the summary still posts', async () => {
    const { slack, eu, deps } = await setUp();
    await runSummary(deps([eu.account]), entry());
    expect(accountSections(slack)[0]).toMatch(new RegExp(`^\\*<${linkTo(eu.digest)}\\|maison-paris>\\*\\n`));

    // The digest's next fire throws (Slack refused it): its run keeps no message, so there is no digest to link.
    const [digest] = parseSettings('digests:\n  - { channel: C0PARIS, schedule: "0 9 * * *", chart: "off" }').digests;
    const root = openSqliteStore(':memory:');
    cleanup.push(async () => root.close());
    const store = root.forAccount('maison-paris');
    const log = createLogger('silent');
    const runDeps = { runs: store.runs, health: store.alerts, now: () => NOW, log };
    if (!digest) throw new Error('no digest');
    await recordedRun(runDeps, digestJobKey(digest), digestHealthKey(digest), async () => eu.digest.ts);
    const account = summaryAccountOf({ name: 'maison-paris', companyId: 'biz_paris', gateway: eu.account.gateway, digests: [digest], alerts: [], store });
    expect(await account.latestDigest()).toEqual(eu.digest);
    await expect(
      recordedRun(runDeps, digestJobKey(digest), digestHealthKey(digest), async () => {
        throw new Error('channel_not_found');
      }),
    ).rejects.toThrow('channel_not_found');
    await runSummary(deps([account]), entry());
    const lines = slack.messages(SUMMARY_CHANNEL).map((m) => JSON.stringify(m.blocks));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('*maison-paris* · digests in <#C0PARIS>');
  });

  it('of two digest channels, links the one posted last', async () => {
    const root = openSqliteStore(':memory:');
    cleanup.push(async () => root.close());
    const store = root.forAccount('acme');
    const { digests } = parseSettings('digests:\n  - { channel: C0DAILY, schedule: "0 9 * * *" }\n  - { channel: C0WEEKLY, schedule: "0 9 * * 1", window: last_7d }');
    const run = (i: number, at: string, messageTs: string | null) =>
      store.runs.record({ job: digestJobKey(digests[i]!), startedAt: new Date(at), finishedAt: new Date(at), outcome: 'ok', detail: null, messageTs });
    await run(0, '2026-11-25T14:00:00Z', '1764079200.000100');
    await run(1, '2026-11-24T14:00:00Z', '1763992800.000100');
    // The link reads the account's runs only: its gateway is never called.
    const gateway = createAdsGateway(createWhopClient({ apiKey: 'unused', baseURL: 'http://127.0.0.1:9', maxRetries: 0 }));
    const account = summaryAccountOf({ name: 'acme', companyId: 'biz_acme1', gateway, digests, alerts: [], store });
    expect(await account.latestDigest()).toEqual({ channel: 'C0DAILY', ts: '1764079200.000100' });
    await run(1, '2026-11-25T15:00:00Z', '1764082800.000100');
    expect(await account.latestDigest()).toEqual({ channel: 'C0WEEKLY', ts: '1764082800.000100' });
  });
});

describe('the name an account goes by in the summary', () => {
  it('is its ads-bot.yml name; the implicit default account is its company id, or "Whop account"', () => {
    expect(shownName({ name: 'acme', companyId: 'biz_acme1' })).toBe('acme');
    expect(shownName({ name: 'default', companyId: 'biz_one' })).toBe('biz_one');
    expect(shownName({ name: 'default', companyId: null })).toBe('Whop account');
  });
});
