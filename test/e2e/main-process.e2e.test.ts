import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';

const run = (env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));


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
});
