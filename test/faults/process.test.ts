import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src/model';
import { demoAccount, type SandboxServer, startSandbox } from '../../src/sandbox';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { childEnv } from '../support/child-env';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { freePort } from '../support/free-port';
import { blockActionPayload, blockActionsBody, postToSlackEvents } from '../support/slack-request';

const SECRET = 'process-secret';
const TOKEN = 'xoxb-process';
const KEY = 'process-whop-key';
const CHANNEL = 'C0PROC';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sandbox: SandboxServer | undefined;
let slack: FakeSlack | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await slack?.close();
  await sandbox?.close();
});

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

async function setup(schedule: string) {
  sandbox = await startSandbox({ apiKey: KEY, account: demoAccount() });
  slack = await startFakeSlack({ token: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'process-'));
  writeFileSync(join(dir, 'ads-bot.yml'), `timezone: UTC\ndigests:\n  - channel: ${CHANNEL}\n    schedule: "${schedule}"\n`);
  const dbPath = join(dir, 'state.sqlite');
  const start = async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: childEnv({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack!.url,
        WHOP_API_KEY: KEY,
        WHOP_BASE_URL: sandbox!.url,
        ADS_BOT_CONFIG: join(dir, 'ads-bot.yml'),
        ADS_BOT_DB: dbPath,
        PORT: String(port),
        LOG_LEVEL: 'error',
      }),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    for (let i = 0; i < 200; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return { child, port };
      await sleep(50);
    }
    throw new Error('the bot did not start');
  };
  return { dbPath, start };
}

const digestPosts = () => slack!.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === CHANNEL && !c.args.thread_ts);

function clickBody(ts: string, value: string) {
  const message = slack!.messages(CHANNEL).find((m) => m.ts === ts)!;
  return blockActionsBody(
    blockActionPayload({
      user: 'U0MARIA',
      channel: CHANNEL,
      message: { ts, text: message.text, blocks: message.blocks },
      action: { action_id: 'ad_group.pause', block_id: 'row', value },
      response_url: slack!.responseUrl(),
    }),
  );
}

async function postButtonMessage(value: string): Promise<string> {
  const { WebClient } = await import('@slack/web-api');
  const posted = await new WebClient(TOKEN, { slackApiUrl: slack!.url }).chat.postMessage({
    channel: CHANNEL,
    text: 'row',
    blocks: [
      {
        type: 'section',
        block_id: 'row',
        text: { type: 'mrkdwn', text: '*Group* (ad group, :large_green_circle: Active)' },
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Pause' }, action_id: 'ad_group.pause', value },
      },
    ],
  });
  return posted.ts!;
}

describe('the bot process', () => {
  it('killed in the middle of a digest and restarted: no fire is posted twice, and the audit log is intact', async () => {
    const { dbPath, start } = await setup('* * * * * *');
    sandbox!.faults.latencyMs = 300;
    const first = await start();
    const group = sandbox!.account.adGroups.find((g) => g.status === 'active')!;
    const ts = await postButtonMessage(group.id);
    await postToSlackEvents(`http://127.0.0.1:${first.port}/slack/events`, SECRET, clickBody(ts, group.id));
    await slack!.waitFor((c) => c.method === 'chat.update' && c.ok, 10_000);
    await slack!.waitFor((c) => c.method === 'chat.postMessage' && c.ok && !c.args.thread_ts && c.args.channel === CHANNEL && c.args.text !== 'row', 10_000);
    // Whop answers slowly, so a digest is being built at nearly any moment: kill during one.
    await sleep(450);
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await start();
    await sleep(3_000);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);

    const db = new Database(dbPath, { readonly: true });
    const fires = db
      .prepare<[], { key: string }>("SELECT key FROM schedule_leases WHERE key LIKE 'digest-%'")
      .all()
      .map((r) => r.key);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const posts = digestPosts().filter((c) => c.args.text !== 'row');
    expect(new Set(fires).size).toBe(fires.length);
    expect(posts.length).toBeLessThanOrEqual(fires.length);
    expect(posts.length).toBeGreaterThanOrEqual(fires.length - 2);
    const store = openSqliteStore(dbPath);
    expect(await store.forAccount(DEFAULT_ACCOUNT).audit.forEntity(group.id)).toMatchObject([{ action: 'ad_group.pause', outcome: 'done', userId: 'U0MARIA' }]);
    await store.close();
  });

  it('SIGTERM lets an acknowledged click finish, stops the schedules and closes the database cleanly', async () => {
    const { dbPath, start } = await setup('0 0 1 1 *');
    const bot = await start();
    const group = sandbox!.account.adGroups.find((g) => g.status === 'active')!;
    const ts = await postButtonMessage(group.id);
    sandbox!.faults.latencyMs = 1_000;
    const click = await postToSlackEvents(`http://127.0.0.1:${bot.port}/slack/events`, SECRET, clickBody(ts, group.id));
    expect(click.status).toBe(200);
    await sleep(200);
    bot.child.kill('SIGTERM');
    expect(await exited(bot.child)).toBe(0);

    expect(group.status).toBe('paused');
    expect(slack!.callsTo('chat.update').filter((c) => c.ok)).toHaveLength(1);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const store = openSqliteStore(dbPath);
    expect(await store.forAccount(DEFAULT_ACCOUNT).audit.forEntity(group.id)).toMatchObject([{ outcome: 'done' }]);
    await store.close();
  });
});
