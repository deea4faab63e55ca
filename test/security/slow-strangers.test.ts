// 200 strangers holding slow connections to the real bot process (src/main.ts): its memory stays near idle,
// Slack's own requests are still answered, and SIGTERM stops it at once instead of waiting for them.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { freePort } from '../support/free-port';
import { openRequest, type RawRequest, writeChunk } from '../support/raw-http';
import { postToSlackEvents, slashCommandBody } from '../support/slack-request';

const SECRET = 'strangers-secret';
const TOKEN = 'xoxb-strangers';
const STRANGERS = 200;
/**
 * What each stranger sends every TRICKLE_MS. Unsigned ones send fast enough that the old receiver, which
 * buffered every body up to 4 MB before looking at the signature, grew by hundreds of MB; badly signed ones
 * trickle, as a slow client would, so the bot holds their connections while it reads.
 */
const TRICKLE = { unsigned: Buffer.alloc(16 * 1024, 'a'), forged: Buffer.alloc(2 * 1024, 'a') };
const TRICKLE_MS = 100;
const MB = 1024 * 1024;

let child: ChildProcess | undefined;
let slack: FakeSlack | undefined;
const attacks: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(attacks.splice(0).map((a) => a.stop()));
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await slack?.close();
  child = undefined;
  slack = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exited = (c: ChildProcess) => new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));

/** CI also runs the suite under libfaketime: the bot must share the test's clock. */
function clockEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LD_PRELOAD' || name.startsWith('FAKETIME'))) env[name] = value;
  }
  return env;
}

async function startBot(): Promise<{ child: ChildProcess; port: number; logs: () => string }> {
  slack = await startFakeSlack({ token: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'strangers-'));
  writeFileSync(join(dir, 'ads-bot.yml'), 'timezone: UTC\n');
  const port = await freePort();
  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      ...clockEnv(),
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      WHOP_SANDBOX: '1',
      ADS_BOT_CONFIG: join(dir, 'ads-bot.yml'),
      ADS_BOT_DB: join(dir, 'state.sqlite'),
      PORT: String(port),
      // Refusals are logged at warn, as in production: their cost counts too.
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = bot;
  let logs = '';
  bot.stdout!.on('data', (chunk) => (logs += String(chunk)));
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child: bot, port, logs: () => logs };
    await sleep(50);
  }
  throw new Error('the bot did not start');
}

/** Resident memory of a process, in MB (Linux). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1]) / 1024;
}

/** What a stranger sends: no signature at all, or one that looks right (so the body is read) but is not. */
function strangerHeaders(kind: 'unsigned' | 'forged'): Record<string, string> {
  const common = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (kind === 'unsigned') return { ...common, 'Content-Length': String(4 * MB) };
  return {
    ...common,
    'Content-Length': '1000000',
    'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
    'X-Slack-Signature': `v0=${'0'.repeat(64)}`,
  };
}

/**
 * `count` strangers, each holding one connection: headers, then a slow body; when the bot closes the
 * connection, the stranger opens another, so the pressure lasts as long as the attack.
 */
function slowStrangers(port: number, count: number) {
  let stopping = false;
  const open = new Set<RawRequest>();
  const stranger = async (kind: 'unsigned' | 'forged') => {
    while (!stopping) {
      const request = await openRequest(port, strangerHeaders(kind)).catch(() => undefined);
      if (request) {
        open.add(request);
        while (!stopping && !request.isClosed()) {
          await writeChunk(request, TRICKLE[kind]);
          await sleep(TRICKLE_MS);
        }
        request.socket.destroy();
        open.delete(request);
      }
      await sleep(200);
    }
  };
  const running = Array.from({ length: count }, (_, i) => stranger(i % 2 === 0 ? 'unsigned' : 'forged'));
  const attack = {
    /** Connections the strangers hold open right now. */
    open: () => open.size,
    stop: async () => {
      stopping = true;
      for (const request of open) request.socket.destroy();
      await Promise.all(running);
    },
  };
  attacks.push(attack);
  return attack;
}

/** The bot's memory, sampled until stopped: the highest value seen. */
function sampleRss(pid: number) {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      let now: number;
      try {
        now = rssMb(pid);
      } catch {
        return; // the process is gone
      }
      if (!Number.isFinite(now)) return; // exited, not yet reaped: no memory left to measure
      peak = Math.max(peak, now);
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}

const helpCommand = (port: number) =>
  postToSlackEvents(`http://127.0.0.1:${port}/slack/events`, SECRET, slashCommandBody({ command: '/ads', text: 'help', response_url: slack!.responseUrl() }));

describe('slow strangers against the bot process', () => {
  it('200 slow unsigned or badly signed connections keep RSS within 50 MB of idle, Slack is still answered, SIGTERM exits within 5 s', async () => {
    const bot = await startBot();
    const pid = bot.child.pid!;
    // Idle: started and warmed up by a few of Slack's own requests.
    for (let i = 0; i < 20; i++) expect((await helpCommand(bot.port)).status).toBe(200);
    await sleep(500);
    const idle = Math.max(rssMb(pid), rssMb(pid));

    const rss = sampleRss(pid);
    const attack = slowStrangers(bot.port, STRANGERS);
    await sleep(3_000);
    const answer = await helpCommand(bot.port);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('/ads digest');
    // Within Slack's 3 s, with room for a loaded test machine.
    expect(answer.ms).toBeLessThan(3_000);
    await sleep(2_000);

    const openAtStop = attack.open();
    const stopping = Date.now();
    bot.child.kill('SIGTERM');
    const code = await Promise.race([exited(bot.child), sleep(10_000).then(() => 'still running')]);
    const stopMs = Date.now() - stopping;
    const peak = await rss.stop();
    await attack.stop();
    console.info(
      `RSS idle ${idle.toFixed(0)} MB, peak under ${STRANGERS} slow strangers ${peak.toFixed(0)} MB; ` +
        `SIGTERM with ${openAtStop} of their connections open: exited in ${stopMs} ms`,
    );

    // The claim about stopping is only worth something if strangers were holding connections at that moment.
    expect(openAtStop).toBeGreaterThanOrEqual(STRANGERS / 4);
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(5_000);
    expect(peak - idle).toBeLessThan(50);
  }, 30_000);

  it('at most 500 connections are open at once: more are closed unanswered, said once in the log, and Slack is answered once they go', async () => {
    const bot = await startBot();
    // Each sends half of its headers and waits, as a slow client does, until the bot's 3 s are up.
    const held = await Promise.all(Array.from({ length: 510 }, () => openRequest(bot.port, { 'Content-Type': 'text/plain' }, { unfinished: true })));
    await sleep(1_000);
    const open = held.filter((r) => !r.isClosed());
    const refused = held.filter((r) => r.isClosed());
    expect(open.length).toBeLessThanOrEqual(500);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expect(refused.every((r) => r.received() === '')).toBe(true);
    expect(bot.logs().match(/connections refused: too many open/g)).toHaveLength(1);

    await Promise.all(held.map((r) => r.closed));
    expect((await helpCommand(bot.port)).status).toBe(200);
  });
});
