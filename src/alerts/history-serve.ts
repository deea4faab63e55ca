// Inside the history worker (history-worker.ts): reads a check's hourly history through a gateway of its own, groups
// it by local hour and answers it packed. Whop's hourly report for a big account is megabytes of JSON per day; parsed
// and grouped here, none of it holds the event loop that acks Slack, and the past days the gateway keeps stay in
// this thread's heap, not in the one the bot collects between acks.
import { parentPort } from 'node:worker_threads';
import { runInBackground } from '../background-priority';
import { type AdsGateway, createAdsGateway, createWhopClient } from '../whop/gateway';
import { historyRows } from './history-reader';
import type { HistoryAccount, HistoryAnswer, HistoryCall } from './history-worker';
import { groupDays } from './hourly-history';
import { packDays } from './packed-days';

runInBackground();

const gateways = new Map<string, AdsGateway>();

/** The account's gateway, made on its first call: an account's settings do not change while the bot runs. */
function gatewayOf(account: HistoryAccount): AdsGateway {
  let gateway = gateways.get(account.name);
  if (!gateway) {
    gateway = createAdsGateway(createWhopClient(account.whop), account.accountId ? { accountId: account.accountId } : {});
    gateways.set(account.name, gateway);
  }
  return gateway;
}

async function answer({ account, request }: HistoryCall): Promise<{ value: HistoryAnswer; transfer: ArrayBuffer[] }> {
  const read = await historyRows(gatewayOf(account), request);
  if (!read.ok) return { value: read, transfer: [] };
  const { days, rows } = read.value;
  const weeks = (before: number) =>
    rows.flatMap((week, i) => {
      const day = days[i] ?? days[0];
      return day ? [packDays(groupDays(week, day, request.timeZone, before), 24 * (before + 1))] : [];
    });
  const spans = weeks(request.daysBefore);
  const dayOnly = weeks(0);
  const transfer = [...spans, ...dayOnly].map((week) => week.values.buffer as ArrayBuffer);
  return { value: { ok: true, value: { days, daysBefore: request.daysBefore, spans, dayOnly } }, transfer };
}

parentPort?.on('message', async ({ id, request }: { id: number; request: HistoryCall }) => {
  try {
    const { value, transfer } = await answer(request);
    parentPort?.postMessage({ id, value }, transfer);
  } catch (err) {
    parentPort?.postMessage({ id, error: String(err) });
  }
});
