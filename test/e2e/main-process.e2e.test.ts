import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv } from '../support/child-env';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { freePort } from '../support/free-port';

const run = (env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

/** Everything the process wrote, stdout and stderr, line by line. */
function output(of: ChildProcess): () => string[] {
  let text = '';
  of.stdout!.on('data', (d) => (text += String(d)));
  of.stderr!.on('data', (d) => (text += String(d)));
  return () => text.split('\n').filter((line) => line.trim() !== '');
}

const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};

/** Settings for a bot on the built-in sandbox Whop, talking to Slack at `apiUrl`. */
function sandboxBot(apiUrl: string, token = 'xoxb-main') {
  const dir = mkdtempSync(join(tmpdir(), 'ads-bot-main-'));
  writeFileSync(join(dir, 'ads-bot.yml'), 'timezone: UTC\n');
  return {
    SLACK_BOT_TOKEN: token,
    SLACK_SIGNING_SECRET: 'main-secret',
    SLACK_API_URL: apiUrl,
    WHOP_SANDBOX: '1',
    PORT: '0',
    ADS_BOT_CONFIG: join(dir, 'ads-bot.yml'),
    ADS_BOT_DB: join(dir, 'state.sqlite'),
    LOG_LEVEL: 'info',
  };
}

const within = <T>(ms: number, what: Promise<T>) => Promise.race([what, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

let child: ChildProcess | undefined;
let slack: FakeSlack | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await exited(child);
  }
  await slack?.close();
  child = undefined;
  slack = undefined;
});

describe('npm start (src/main.ts)', () => {
  it('without settings, names each missing one on its own line and exits with code 2, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ads-bot-main-'));
    child = run({ ADS_BOT_CONFIG: join(dir, 'missing.yml') });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    expect(await exited(child)).toBe(2);
    expect(stderr).toContain('SLACK_BOT_TOKEN: missing');
    expect(stderr).toContain('WHOP_API_KEY: missing');
    expect(stderr).toContain(`ADS_BOT_CONFIG: cannot read ${join(dir, 'missing.yml')}`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('with WHOP_SANDBOX=1 runs on the built-in account: /healthz answers, the digest says sandbox data, SIGTERM stops it cleanly', async () => {
    slack = await startFakeSlack({ token: 'xoxb-main' });
    const dir = mkdtempSync(join(tmpdir(), 'ads-bot-main-'));
    const configPath = join(dir, 'ads-bot.yml');
    writeFileSync(configPath, 'timezone: Europe/Berlin\ndigests:\n  - channel: C0MAIN\n    schedule: "* * * * * *"\n');
    const port = await freePort();
    child = run({
      SLACK_BOT_TOKEN: 'xoxb-main',
      SLACK_SIGNING_SECRET: 'main-secret',
      SLACK_API_URL: slack.url,
      WHOP_SANDBOX: '1',
      PORT: String(port),
      ADS_BOT_CONFIG: configPath,
      ADS_BOT_DB: join(dir, 'state.sqlite'),
      LOG_LEVEL: 'info',
    });
    const posted = await slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok, 15_000);
    expect(posted.args.channel).toBe('C0MAIN');
    expect(JSON.stringify(posted.args.blocks)).toContain('Sandbox data');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('where Slack cannot be reached, says so in one line naming the URL and the reason, and exits with code 2 within seconds', async () => {
    const apiUrl = `http://127.0.0.1:${await freePort()}/api/`; // nothing listens there: connection refused
    child = run(sandboxBot(apiUrl));
    const lines = output(child);
    expect(await within(12_000, exited(child))).toBe(2);
    expect(lines().filter((line) => line.includes(apiUrl))).toEqual([
      `whop-ads-bot cannot start: cannot reach Slack at ${apiUrl} (ECONNREFUSED); check the network, firewall or proxy, and SLACK_API_URL`,
    ]);
    // Whatever the Web API client said on the way went through the bot's log: JSON lines, none of its own.
    expect(lines().filter((line) => !isJson(line))).toEqual([expect.stringContaining('cannot reach Slack')]);
    expect(lines().join('\n')).not.toContain('[WARN]');
  });

  it('with a token Slack refuses, names SLACK_BOT_TOKEN and exits with code 2', async () => {
    slack = await startFakeSlack({ token: 'xoxb-main' });
    child = run(sandboxBot(slack.url, 'xoxb-revoked'));
    const lines = output(child);
    expect(await within(15_000, exited(child))).toBe(2);
    expect(lines()).toContainEqual('  - SLACK_BOT_TOKEN: Slack did not accept it (invalid_auth); copy the Bot User OAuth Token again');
    expect(lines().join('\n')).not.toMatch(/\n\s+at /);
  });
});
