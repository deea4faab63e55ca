// A rule that acts by itself, run by real bot processes on their own clock: three replicas on one PostgreSQL, and
// one process killed between Whop's answer and Slack's, each give exactly one action per firing.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { type SandboxServer, startSandbox } from '../../src/sandbox';
import { freshDatabase } from '../store/postgres-db';
import { addCostlyGroup, emptyAccount } from '../support/acting-accounts';
import { childEnv } from '../support/child-env';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { freePort } from '../support/free-port';

const DATABASE_URL = process.env.DATABASE_URL;
const TOKEN = 'xoxb-rule-replicas';
const KEY = 'rule-replicas-whop-key';
const CHANNEL = 'C0RREP';
const GROUP = 'adgrp_Costly';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A sandbox where one ad group costs far too much at any hour of any day, and a bot config whose rule pauses it every second's check. */
async function world() {
  const account = emptyAccount();
  // $1,000,000 a day and no purchase, every day from 2020 to 2030: whatever the clock says, today costs too much.
  addCostlyGroup(account, { id: GROUP, title: 'Costly', day: { spend: 100_000_000, impressions: 1_000_000 }, from: new Date('2020-01-01T00:00:00Z'), days: 4_000 });
  const sandbox: SandboxServer = await startSandbox({ apiKey: KEY, account });
  const slack: FakeSlack = await startFakeSlack({ token: TOKEN });
  cleanup.push(async () => {
    await slack.close();
    await sandbox.close();
  });
  const dir = mkdtempSync(join(tmpdir(), 'rule-replicas-'));
  const configPath = join(dir, 'ads-bot.yml');
  writeFileSync(
    configPath,
    [
      'timezone: UTC',
      'alerts:',
      `  - channel: ${CHANNEL}`,
      '    schedule: "* * * * * *"',
      '    rules:',
      '      cost_per_result_above: { limit: 40, min_spend: 0, min_impressions: 0, action: pause, mode: auto }',
    ].join('\n'),
  );
  const env = {
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: 'rule-secret',
    SLACK_API_URL: slack.url,
    WHOP_API_KEY: KEY,
    WHOP_BASE_URL: sandbox.url,
    ADS_BOT_CONFIG: configPath,
    LOG_LEVEL: 'error',
  };
  return { sandbox, slack, env, dir };
}

async function startBot(env: Record<string, string>): Promise<ChildProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: childEnv({ ...env, PORT: String(port) }), stdio: ['ignore', 'ignore', 'inherit'] });
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await until(
    () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    'the bot to start',
  );
  return child;
}

const stopped = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
const pauses = (sandbox: SandboxServer) => sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/ad_groups/${GROUP}/pause`);
const alertPosts = (slack: FakeSlack) =>
  slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && !c.args.thread_ts && JSON.stringify(c.args.blocks).includes('Paused ad group *Costly*'));

describe('a rule that acts, in real processes', () => {
  it.skipIf(!DATABASE_URL)('three replicas checking every second pause the ad group once, post once and audit once', async () => {
    const db = await freshDatabase(DATABASE_URL!);
    cleanup.push(() => db.drop());
    const { sandbox, slack, env } = await world();
    const replicas = await Promise.all([0, 1, 2].map(() => startBot({ ...env, DATABASE_URL: db.url })));
    await until(() => alertPosts(slack).length > 0, 'the alert');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    cleanup.push(() => client.end());
    const fires = async () => (await client.query("SELECT count(*)::int AS n FROM schedule_leases WHERE key LIKE 'alerts-%'")).rows[0].n as number;
    // Several more fires, on whichever replicas take them, each seeing the firing done.
    const seen = await fires();
    await until(async () => (await fires()) >= seen + 3, 'three more checks');
    for (const r of replicas) r.kill('SIGTERM');
    await Promise.all(replicas.map(stopped));

    expect(pauses(sandbox)).toHaveLength(1);
    expect(alertPosts(slack)).toHaveLength(1);
    const firings = await client.query('SELECT state, message_ts FROM rule_firings WHERE entity_id = $1', [GROUP]);
    expect(firings.rows).toEqual([{ state: 'done', message_ts: expect.any(String) }]);
    const audit = await client.query("SELECT user_id, action FROM audit WHERE entity_id = $1 AND outcome = 'done'", [GROUP]);
    expect(audit.rows).toEqual([{ user_id: 'rule:cost_per_result_above', action: 'ad_group.pause' }]);
  });

  it('killed (SIGKILL) after Whop paused but before Slack took the alert: the restarted bot posts it, saying what the rule did, and pauses nothing again', async () => {
    const { sandbox, slack, env, dir } = await world();
    const dbPath = join(dir, 'state.sqlite');
    // Slack takes the first post so long that the kill lands while the bot waits for it.
    slack.slowNext('chat.postMessage', 1, 20_000);
    const first = await startBot({ ...env, ADS_BOT_DB: dbPath });
    const firing = () => {
      const read = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return read.prepare<[string], { state: string; message_ts: string | null }>('SELECT state, message_ts FROM rule_firings WHERE entity_id = ?').get(GROUP);
      } finally {
        read.close();
      }
    };
    await until(() => firing()?.state === 'done', 'the rule to act');
    first.kill('SIGKILL');
    await stopped(first);
    expect(firing()).toEqual({ state: 'done', message_ts: null });
    expect(pauses(sandbox)).toHaveLength(1);
    expect(alertPosts(slack)).toHaveLength(0);

    const second = await startBot({ ...env, ADS_BOT_DB: dbPath });
    await until(() => alertPosts(slack).length > 0, 'the untold alert');
    await until(() => firing()?.message_ts !== null, 'the firing to note its message');
    second.kill('SIGTERM');
    await stopped(second);

    expect(pauses(sandbox)).toHaveLength(1);
    expect(alertPosts(slack)).toHaveLength(1);
    expect(JSON.stringify(alertPosts(slack)[0]!.args.blocks)).toContain('rule_action.undo');
  });
});
