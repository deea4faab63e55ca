import type { WebClient } from '@slack/web-api';
import type Whop from '@whop/sdk';
import { type ActionPipeline, createPipeline } from '../actions/pipeline';
import type { HistoryReader } from '../alerts/history-reader';
import { simulateRules } from '../automation/simulate-data';
import type { ChartRenderer } from '../charts/renderer';
import { sharedWhileRunning } from '../concurrency';
import type { AccountConfig, Settings } from '../config';
import { type DigestDeps, postDigest } from '../digest/post';
import { createSetupCheck, type SetupCheck } from '../home/setup-check';
import type { Logger } from '../logger';
import { createAuthz, type SlackHome } from '../slack/authz';
import type { BotDeps } from '../slack/deps';
import type { MessageUpdates } from '../slack/message-updates';
import type { Store } from '../store/types';
import { type AdsGateway, createAdsGateway } from '../whop/gateway';
import type { AccountContext } from './context';

/** `/ads digest` lists as many ad groups as a default scheduled digest. */
const ON_DEMAND_TOP = 5;

/** What every account shares: one Slack app (its client here), one store, one clock. */
export interface SharedParts {
  config: { settings: Settings; sandbox: boolean; accounts: readonly AccountConfig[] };
  /** Bolt's own client in the thread that acks; the same settings (slackClientOptions) in the jobs thread. */
  client: WebClient;
  home: SlackHome;
  workspaceUrl: string | null;
  store: Store;
  messages: MessageUpdates;
  charts: ChartRenderer;
  /** Marks posts as sandbox ones when the sandbox is on. */
  digestSlack: WebClient;
  /** Where an account's heavy work for a person's request is done (the jobs thread); unset, right here. */
  heavyWork?: (account: string) => Pick<BotDeps, 'postDigest' | 'simulateRules'>;
  now: () => Date;
  log: Logger;
}

/** An account's settings: the file's, with only its own digests and alert checks, and its own operators added. */
export function settingsOf(settings: Settings, account: AccountConfig): Settings {
  return {
    ...settings,
    digests: settings.digests.filter((d) => d.account === account.name),
    alerts: settings.alerts.filter((a) => a.account === account.name),
    access: { operators: [...new Set([...settings.access.operators, ...account.operators])] },
  };
}

/**
 * The summaries whose channel this account's setup check covers: a summary channel bound to an account is its; one
 * bound to none is the first account's. So each is checked, and each problem with it reported, once.
 */
function summariesChecked(config: SharedParts['config'], account: AccountConfig): Settings['summaries'] {
  const { settings, accounts } = config;
  const entries = [...settings.digests, ...settings.alerts];
  const checker = (channel: string) => accounts.find((a) => a.channels.includes(channel))?.name ?? entries.find((e) => e.channel === channel)?.account ?? accounts[0]?.name;
  return settings.summaries.filter((s) => checker(s.channel) === account.name);
}

export interface BuiltAccount {
  context: AccountContext;
  settings: Settings;
  setup: SetupCheck;
  actions: ActionPipeline;
  /** What its scheduled digests and alert checks post with. */
  digestDeps: DigestDeps;
  /** Where its alert checks and Approve's re-checks read their hourly history. */
  history: HistoryReader;
}

/**
 * One account's gateway, authorization, setup check and handler deps, on the shared Slack client and store. `historyOf`: where
 * its hourly history is read, given its gateway (the history worker beside the acks; the gateway itself in the jobs thread).
 */
export function buildAccount(shared: SharedParts, account: AccountConfig, client: Whop, historyOf: (gateway: AdsGateway) => HistoryReader): BuiltAccount {
  const { store, now } = shared;
  const log = shared.config.accounts.length > 1 ? shared.log.child({ account: account.name }) : shared.log;
  const settings = settingsOf(shared.config.settings, account);
  const gateway = createAdsGateway(client, { accountId: account.companyId });
  const history = historyOf(gateway);
  const scoped = store.forAccount(account.name);
  const { operators } = settings.access;
  const authz = createAuthz({ operators, home: shared.home, client: shared.client, log });
  const setup = createSetupCheck({ settings: { ...settings, summaries: summariesChecked(shared.config, account) }, client: shared.client, gateway, now, log });
  const actions = createPipeline({ authz, clicks: store.clicks, locks: store.locks, audit: scoped.audit, now, log });
  const digestDeps: DigestDeps = { gateway, charts: shared.charts, slack: shared.digestSlack, timeZone: settings.timezone, sandbox: shared.config.sandbox, now, log };
  const channels = new Set([...account.channels, ...settings.digests.map((d) => d.channel), ...settings.alerts.map((a) => a.channel)]);
  const context: AccountContext = {
    name: account.name,
    companyId: account.companyId ?? null,
    gateway,
    store: scoped,
    digests: settings.digests,
    alerts: settings.alerts,
    channels,
    deps: {
      actions,
      firings: scoped.firings,
      settings,
      gateway,
      alerts: scoped.alerts,
      pending: scoped.pending,
      authz,
      audit: scoped.audit,
      clicks: store.clicks,
      firsts: store.firsts,
      summary: {
        settings,
        store: { ...scoped, firsts: store.firsts },
        setup,
        workspaceUrl: shared.workspaceUrl,
        accountId: account.companyId ?? null,
        account: { name: account.name, choices: shared.config.accounts.map((a) => a.name) },
        sandbox: shared.config.sandbox,
        now,
      },
      locks: store.locks,
      messages: shared.messages,
      limits: settings.budget,
      history,
      ...(shared.heavyWork?.(account.name) ?? {
        simulateRules: sharedWhileRunning((days: number) => simulateRules(gateway, settings, days, now())),
        postDigest: (digest) => postDigest(digestDeps, { ...digest, campaigns: [], top: ON_DEMAND_TOP }),
      }),
      ownChannels: shared.config.accounts.length > 1 ? channels : null,
      timeZone: settings.timezone,
      sandbox: shared.config.sandbox,
      now,
      log,
    },
  };
  return { context, settings, setup, actions, digestDeps, history };
}
