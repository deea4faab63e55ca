import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccount, type SandboxServer, startSandbox } from '../../src/sandbox';
import { freshDatabase } from '../store/postgres-db';
import { childEnv } from '../support/child-env';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { freePort } from '../support/free-port';
import { blockActionPayload, blockActionsBody, postToSlackEvents } from '../support/slack-request';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) console.warn('[replica tests] DATABASE_URL is not set: the three-replica PostgreSQL tests are SKIPPED.');

const SECRET = 'replica-secret';
const TOKEN = 'xoxb-replicas';
const KEY = 'replica-whop-key';
const CHANNEL = 'C0REPLICA';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replica {
  child: ChildProcess;
  port: number;
}

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function startReplicas(count: number, env: Record<string, string>): Promise<Replica[]> {
  const replicas = await Promise.all(
    Array.from({ length: count }, async () => {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: childEnv({ ...env, PORT: String(port) }),
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      return { child, port };
    }),
  );
  cleanup.push(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  });
  // A timeout, not a time of day: the monotonic clock, which the faked hour of CI's second run leaves alone.
  const deadline = performance.now() + 20_000;
  for (const replica of replicas) {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${replica.port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() > deadline) throw new Error('replica did not start');
      await sleep(100);
    }
  }
  return replicas;
}

async function world(schedule: string) {
  const db = await freshDatabase(DATABASE_URL!);
  const sandbox: SandboxServer = await startSandbox({ apiKey: KEY, account: demoAccount() });
  const slack: FakeSlack = await startFakeSlack({ token: TOKEN });
  cleanup.push(async () => {
    await slack.close();
    await sandbox.close();
    await db.drop();
  });
  const dir = mkdtempSync(join(tmpdir(), 'replicas-'));
  const configPath = join(dir, 'ads-bot.yml');
  writeFileSync(configPath, `timezone: UTC\ndigests:\n  - channel: ${CHANNEL}\n    schedule: "${schedule}"\n    window: yesterday\n`);
  const env = {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    WHOP_API_KEY: KEY,
    WHOP_BASE_URL: sandbox.url,
    DATABASE_URL: db.url,
    ADS_BOT_CONFIG: configPath,
    LOG_LEVEL: 'error',
  };
  return { db, sandbox, slack, env };
}

const digestPosts = (slack: FakeSlack) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === CHANNEL && !c.args.thread_ts);

async function leases(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Digest fires only: the hourly prune takes leases too.
  const { rows } = await client.query<{ key: string }>("SELECT key FROM schedule_leases WHERE key LIKE 'digest-%' ORDER BY key");
  await client.end();
  return rows.map((r) => r.key);
}

describe.skipIf(!DATABASE_URL)('three replicas on one PostgreSQL', () => {
  it('an every-second digest is posted exactly once per fire, also after one replica is killed mid-run', async () => {
    const { db, sandbox, slack, env } = await world('* * * * * *');
    // Slow Whop: a digest run takes long enough that the kill lands in the middle of one.
    sandbox.faults.latencyMs = 150;
    const replicas = await startReplicas(3, env);
    await sleep(5_000);
    replicas[0]!.child.kill('SIGKILL');
    const killedAt = Date.now();
    await sleep(5_000);
    for (const r of replicas.slice(1)) r.child.kill('SIGTERM');
    await Promise.all(replicas.slice(1).map((r) => new Promise((done) => r.child.once('exit', done))));

    const fires = await leases(db.url);
    const posts = digestPosts(slack);
    // Ten seconds of fires, less those that came while all three were busy: each replica's first run also starts its
    // jobs thread (about a second).
    expect(fires.length).toBeGreaterThanOrEqual(7);
    // Every fire has one post, except at most the one the killed replica was in the middle of.
    expect(posts.length).toBeLessThanOrEqual(fires.length);
    expect(posts.length).toBeGreaterThanOrEqual(fires.length - 1);
    const afterKill = fires.filter((key) => Date.parse(key.slice(key.indexOf(':') + 1)) > killedAt + 1_000);
    expect(afterKill.length).toBeGreaterThanOrEqual(3);
  });

  it('the same signed click sent to all three replicas at once makes one Whop call, one update, one audit row', async () => {
    const { db, sandbox, slack, env } = await world('0 0 1 1 *');
    const replicas = await startReplicas(3, env);
    const group = sandbox.account.adGroups.find((g) => g.status === 'active')!;
    const posted = await new (await import('@slack/web-api')).WebClient(TOKEN, { slackApiUrl: slack.url }).chat.postMessage({
      channel: CHANNEL,
      text: 'digest',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: `*${group.title}* (ad group, :large_green_circle: Active)` },
          accessory: { type: 'button', text: { type: 'plain_text', text: 'Pause' }, action_id: 'ad_group.pause', value: group.id },
        },
      ],
    });
    const message = slack.messages(CHANNEL).find((m) => m.ts === posted.ts)!;
    const payload = blockActionPayload({
      user: 'U0MARIA',
      channel: CHANNEL,
      message: { ts: message.ts, text: message.text, blocks: message.blocks },
      action: { action_id: 'ad_group.pause' },
      response_url: slack.responseUrl(),
    });
    const body = blockActionsBody(payload);
    const answers = await Promise.all(replicas.map((r, i) => postToSlackEvents(`http://127.0.0.1:${r.port}/slack/events`, SECRET, body, i > 0 ? { retryNum: i } : {})));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await slack.waitFor((c) => c.method === 'chat.update' && c.ok, 10_000);
    await sleep(1_000);

    expect(sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${group.id}/pause`))).toHaveLength(1);
    expect(slack.callsTo('chat.update').filter((c) => c.ok)).toHaveLength(1);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT user_id, outcome FROM audit WHERE entity_id = $1', [group.id]);
    await client.end();
    expect(rows).toEqual([{ user_id: 'U0MARIA', outcome: 'done' }]);
    for (const r of replicas) r.child.kill('SIGTERM');
  });

  it('the same Retry payment click sent to all three replicas at once charges once: one Whop call, one update, one audit row', async () => {
    const { db, sandbox, slack, env } = await world('0 0 1 1 *');
    const replicas = await startReplicas(3, env);
    const brand = sandbox.account.campaigns.find((c) => c.title === 'Brand awareness')!;
    const posted = await new (await import('@slack/web-api')).WebClient(TOKEN, { slackApiUrl: slack.url }).chat.postMessage({
      channel: CHANNEL,
      text: 'Alert: Payment failed',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*Payment failed*: *${brand.title}* (campaign, Active)` } },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Retry payment' }, action_id: 'ad_campaign.retry_payment', value: brand.id }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Open since today' }] },
      ],
    });
    const message = slack.messages(CHANNEL).find((m) => m.ts === posted.ts)!;
    const payload = blockActionPayload({
      user: 'U0MARIA',
      channel: CHANNEL,
      message: { ts: message.ts, text: message.text, blocks: message.blocks },
      action: { action_id: 'ad_campaign.retry_payment' },
      response_url: slack.responseUrl(),
    });
    const body = blockActionsBody(payload);
    const answers = await Promise.all(replicas.map((r, i) => postToSlackEvents(`http://127.0.0.1:${r.port}/slack/events`, SECRET, body, i > 0 ? { retryNum: i } : {})));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await slack.waitFor((c) => c.method === 'chat.update' && c.ok, 10_000);
    await sleep(1_000);

    expect(sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/ad_campaigns/${brand.id}/retry_payment`)).toHaveLength(1);
    expect(slack.callsTo('chat.update').filter((c) => c.ok)).toHaveLength(1);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT user_id, outcome FROM audit WHERE entity_id = $1', [brand.id]);
    await client.end();
    expect(rows).toEqual([{ user_id: 'U0MARIA', outcome: 'done' }]);
    for (const r of replicas) r.child.kill('SIGTERM');
  });

  it('two clicks on different rows of one message, handled by two replicas at the same moment, keep both row updates (5 runs of 5)', async () => {
    const { sandbox, slack, env } = await world('0 0 1 1 *');
    // Whop answers slowly enough that both clicks are inside Whop, then inside Slack, at the same time.
    sandbox.faults.latencyMs = 100;
    const replicas = await startReplicas(3, env);
    const client = new (await import('@slack/web-api')).WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    const groups = sandbox.account.adGroups.filter((g) => g.status === 'active').slice(0, 2);
    expect(groups).toHaveLength(2);
    const kept: boolean[] = [];
    for (let run = 0; run < 5; run++) {
      for (const group of groups) group.status = 'active';
      const posted = await client.chat.postMessage({
        channel: CHANNEL,
        text: 'digest',
        blocks: groups.map((group) => ({
          type: 'section',
          text: { type: 'mrkdwn', text: `*${group.title}* (ad group, :large_green_circle: Active)` },
          accessory: { type: 'button', text: { type: 'plain_text', text: 'Pause' }, action_id: 'ad_group.pause', value: group.id },
        })),
      });
      const message = slack.messages(CHANNEL).find((m) => m.ts === posted.ts)!;
      const bodies = groups.map((group, i) =>
        blockActionsBody(
          blockActionPayload({
            user: ['U0MARIA', 'U0LEE'][i]!,
            channel: CHANNEL,
            message: { ts: message.ts, text: message.text, blocks: message.blocks },
            action: { action_id: 'ad_group.pause', value: group.id },
            response_url: slack.responseUrl(),
          }),
        ),
      );
      const answers = await Promise.all(bodies.map((body, i) => postToSlackEvents(`http://127.0.0.1:${replicas[i]!.port}/slack/events`, SECRET, body)));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const updates = () => slack.callsTo('chat.update').filter((c) => c.ok && c.args.ts === message.ts);
      await slack.waitFor(() => updates().length === 2, 10_000);

      expect(groups.map((g) => g.status)).toEqual(['paused', 'paused']);
      const text = JSON.stringify(slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.blocks);
      kept.push(text.includes('Paused by <@U0MARIA>') && text.includes('Paused by <@U0LEE>'));
    }
    expect(kept).toEqual([true, true, true, true, true]);
    for (const r of replicas) r.child.kill('SIGTERM');
  });
});
