// Figure 3: from a Pause click leaving Slack to the message showing "Paused by …", against the round trips the
// flow cannot avoid making one after another: read the ad group (is it already paused?), pause it, chat.update.
// Whop and Slack each answer after a fixed delay, so the floor is mostly that delay three times.
import { randomUUID } from 'node:crypto';
import type { EntityRef } from '../blocks/entity';
import { scaledAccount } from '../src/sandbox';
import { createWhopClient } from '../src/whop/gateway';
import type { RecordedCall } from '../test/support/fake-slack';
import {
  CHANNEL,
  type ClickTarget,
  SIGNING_SECRET,
  WHOP_KEY,
  clickBody,
  median,
  percentile,
  postRows,
  slackClient,
  startApp,
  startFakes,
} from './setup';
import { postToSlackEvents } from '../test/support/slack-request';

export const CLICK_WHOP_LATENCY_MS = 20;
export const CLICK_SLACK_LATENCY_MS = 20;
const CLICKS = 30;
const WARMUP_CLICKS = 3;
const FLOOR_REPS = 10;

export interface ClickResult {
  whopLatencyMs: number;
  slackLatencyMs: number;
  clicks: number;
  samplesMs: number[];
  medianMs: number;
  p90Ms: number;
  /** The click's own HTTP answer (the ack), median: part of the measured time. */
  ackMedianMs: number;
  floor: { retrieveMs: number; pauseMs: number; chatUpdateMs: number; totalMs: number };
}

/** True for the chat.update that shows this item paused: its row now carries the Unpause button. */
const showsPaused = (call: RecordedCall, ts: string, id: string) =>
  call.method === 'chat.update' &&
  call.args.ts === ts &&
  JSON.stringify(call.args.blocks).includes(`"action_id":"ad_group.unpause","value":"${id}"`);

async function timeEach(reps: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await task(i);
    times.push(performance.now() - started);
  }
  return times;
}

export async function clickToUpdate(log: (line: string) => void): Promise<ClickResult> {
  const now = new Date(); // fixed, so the sandbox memoises its stats
  const account = scaledAccount({ adGroups: 200, ads: 400, issues: 0, now: () => now });
  const fakes = await startFakes(account);
  const { sandbox, slack } = fakes;
  try {
    const active = account.adGroups
      .filter((g) => g.status === 'active')
      .map((g): EntityRef & { kind: 'ad_group' } => ({ kind: 'ad_group', id: g.id, title: g.title, status: g.status }));
    // Distinct ad groups for the clicks, for the timed pauses of the floor, and a message of the same size to update.
    const clicked = active.slice(0, WARMUP_CLICKS + CLICKS);
    const forPauseFloor = active.slice(clicked.length, clicked.length + FLOOR_REPS + 1);
    const targets: ClickTarget[] = await postRows(slack, clicked);
    const [floorRow] = await postRows(slack, active.slice(-10));
    sandbox.faults.latencyMs = CLICK_WHOP_LATENCY_MS;
    slack.latencyMs = CLICK_SLACK_LATENCY_MS;

    const app = await startApp({ mode: 'ours', slackUrl: slack.url, whopUrl: sandbox.url });
    const samples: number[] = [];
    const acks: number[] = [];
    try {
      // One click at a time, each waiting for the previous one's thread reply, so no click queues behind another.
      for (const [i, target] of targets.entries()) {
        const { ts } = target.message;
        const { id } = target.entity;
        const body = clickBody(slack, target); // the message as it looks now, earlier clicks' rows included
        let updatedAt = 0;
        const updated = slack.waitFor((c) => showsPaused(c, ts, id), 10_000).then(() => (updatedAt = performance.now()));
        const started = performance.now();
        const ack = await postToSlackEvents(app.url, SIGNING_SECRET, body);
        if (ack.status !== 200) throw new Error(`click answered ${ack.status}`);
        await updated;
        await slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && String(c.args.text).includes(id), 10_000);
        if (i < WARMUP_CLICKS) continue;
        samples.push(updatedAt - started);
        acks.push(ack.ms);
      }
    } finally {
      await app.stop();
    }

    // The floor: each round trip alone, from the same kind of client the bot uses, against the same servers.
    const whop = createWhopClient({ apiKey: WHOP_KEY, baseURL: sandbox.url });
    const web = slackClient(slack);
    const message = floorRow!.message;
    await whop.adGroups.retrieve(clicked[0]!.id, {}); // warm the connection, as the bot's is
    const retrieve = await timeEach(FLOOR_REPS, (i) => whop.adGroups.retrieve(clicked[i]!.id, {}));
    const pause = await timeEach(FLOOR_REPS, (i) => whop.adGroups.pause(forPauseFloor[i]!.id, { 'Idempotency-Key': randomUUID() }));
    const update = await timeEach(FLOOR_REPS, () => web.chat.update({ channel: CHANNEL, ts: message.ts, text: message.text, blocks: message.blocks as never }));
    const floor = { retrieveMs: median(retrieve), pauseMs: median(pause), chatUpdateMs: median(update), totalMs: 0 };
    floor.totalMs = floor.retrieveMs + floor.pauseMs + floor.chatUpdateMs;

    const result: ClickResult = {
      whopLatencyMs: CLICK_WHOP_LATENCY_MS,
      slackLatencyMs: CLICK_SLACK_LATENCY_MS,
      clicks: samples.length,
      samplesMs: samples,
      medianMs: median(samples),
      p90Ms: percentile(samples, 0.9),
      ackMedianMs: median(acks),
      floor,
    };
    log(
      `  click → chat.update: median ${result.medianMs.toFixed(1)} ms, p90 ${result.p90Ms.toFixed(1)} ms; floor ${floor.totalMs.toFixed(1)} ms` +
        ` (GET ${floor.retrieveMs.toFixed(1)} + pause ${floor.pauseMs.toFixed(1)} + chat.update ${floor.chatUpdateMs.toFixed(1)})`,
    );
    return result;
  } finally {
    await fakes.close();
  }
}
