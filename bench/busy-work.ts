// Inside the bench's app process (app-process.ts): the heavy work a big account's bot does on its own schedule,
// on the same event loop that acks, run back to back until told to stop: the 2,000-ad-group digest with its
// chart (drawn in the worker thread, uploaded to the fake Slack) and an alert check over every ad group (its hourly
// history read in the history worker).
import { WebClient } from '@slack/web-api';
import { alertStoreDeps, runAlertCheck } from '../src/alerts/check';
import { createHistoryWorker } from '../src/alerts/history-worker';
import type { ChartRenderer } from '../src/charts/renderer';
import { parseSettings } from '../src/config';
import { postDigest } from '../src/digest/post';
import { createLogger } from '../src/logger';
import { DEFAULT_ACCOUNT } from '../src/model';
import { MessageUpdates } from '../src/slack/message-updates';
import { openStore } from '../src/store';
import { createAdsGateway, createWhopClient } from '../src/whop/gateway';
import { ruleOnlyPipeline } from '../test/support/rule-only-pipeline';
import { BOT_TOKEN, CHANNEL, freshDbPath, TIME_ZONE, WHOP_KEY } from './setup';

const SETTINGS = parseSettings(
  [
    `timezone: ${TIME_ZONE}`,
    'alerts:',
    '  - channel: C0ALERTS',
    '    schedule: "0 0 1 1 *"',
    '    rules:',
    '      anomaly: { metrics: [spend, cost_per_result] }',
    '      pacing: { forecast: {} }',
  ].join('\n'),
);
const ALERTS = SETTINGS.alerts;

export interface BusyRounds {
  rounds: number;
  digestMs: number[];
  alertMs: number[];
}

export async function startBusyWork(spec: { slackUrl: string; whopUrl: string; nowIso: string }, charts: ChartRenderer): Promise<{ stop(): Promise<BusyRounds> }> {
  const now = () => new Date(spec.nowIso);
  const log = createLogger('silent');
  const slack = new WebClient(BOT_TOKEN, { slackApiUrl: spec.slackUrl, retryConfig: { retries: 0 } });
  const whop = { apiKey: WHOP_KEY, baseURL: spec.whopUrl, timeoutMs: 120_000 };
  const gateway = createAdsGateway(createWhopClient(whop));
  // As the bot reads it (src/bot.ts): in the history worker.
  const worker = createHistoryWorker();
  const history = worker.forAccount({ name: DEFAULT_ACCOUNT, whop });
  const store = await openStore({ sqlitePath: freshDbPath() });
  const deps = { gateway, slack, charts, timeZone: TIME_ZONE, sandbox: false, now, log };
  const alertDeps = {
    ...deps,
    ...alertStoreDeps(store, DEFAULT_ACCOUNT, new MessageUpdates(slack, store)),
    actions: ruleOnlyPipeline(store, now),
    settings: SETTINGS,
    history,
  };
  const done: BusyRounds = { rounds: 0, digestMs: [], alertMs: [] };
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      let started = performance.now();
      await postDigest(deps, { channel: CHANNEL, window: 'yesterday', campaigns: [], top: 5, chart: 'spend_results' });
      done.digestMs.push(performance.now() - started);
      started = performance.now();
      await runAlertCheck(alertDeps, ALERTS[0]!);
      done.alertMs.push(performance.now() - started);
      done.rounds++;
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      await worker.close();
      await store.close();
      return done;
    },
  };
}
