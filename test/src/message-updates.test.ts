import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnownBlock } from '@slack/types';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageUpdates, seenAt } from '../../src/slack/message-updates';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/types';
import { freshDatabase } from '../store/postgres-db';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';

const DATABASE_URL = process.env.DATABASE_URL;
const TOKEN = 'xoxb-updates';
const CHANNEL = 'C0UPDATES';
const T0 = Date.parse('2026-11-25T10:00:00Z');

const row = (id: string, text: string): KnownBlock => ({ type: 'section', block_id: id, text: { type: 'mrkdwn', text } });
const DIGEST = [row('head', '*Digest*'), row('a', '*A* active'), row('b', '*B* active')];
/** A row change as a click makes it: only its own row, whatever the rest of the copy says. */
const setRow = (id: string, text: string) => (blocks: KnownBlock[]) => blocks.map((b) => (b.block_id === id ? row(id, text) : b));
const texts = (blocks: unknown[]) => (blocks as Array<{ text: { text: string } }>).map((b) => b.text.text);

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** `count` stores sharing one state: one SQLite file (a process), or one PostgreSQL database (replicas). */
async function stores(kind: 'sqlite' | 'postgres', count: number): Promise<Store[]> {
  if (kind === 'sqlite') {
    const store = await openStore({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'updates-')), 'state.sqlite') });
    cleanup.push(() => store.close());
    return Array.from({ length: count }, () => store);
  }
  const db = await freshDatabase(DATABASE_URL!);
  const opened = await Promise.all(Array.from({ length: count }, () => openStore({ databaseUrl: db.url, sqlitePath: '' })));
  cleanup.push(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await db.drop();
  });
  return opened;
}

async function world(kind: 'sqlite' | 'postgres', replicas: number) {
  const slack: FakeSlack = await startFakeSlack({ token: TOKEN });
  cleanup.push(() => slack.close());
  const client = new WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  let clock = T0;
  const updaters = (await stores(kind, replicas)).map((store) => new MessageUpdates(client, store, () => clock));
  const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'digest', blocks: DIGEST });
  const shown = () => {
    const message = slack.messages(CHANNEL).find((m) => m.ts === posted.ts)!;
    return { channel: CHANNEL, ts: message.ts, text: message.text, blocks: message.blocks as KnownBlock[] };
  };
  return {
    slack,
    client,
    updaters,
    shown,
    now: () => texts(shown().blocks),
    tick: (ms: number) => void (clock += ms),
  };
}

describe.each(['sqlite', 'postgres'] as const)('message updates on the %s store', (kind) => {
  const skip = kind === 'postgres' && !DATABASE_URL;

  it.skipIf(skip)('two clicks on different rows, shown the same copy and handled at once (by two replicas), keep both rows', async () => {
    const w = await world(kind, 2);
    const copy = { ...w.shown(), seenAt: new Date(T0) };
    await Promise.all([w.updaters[0]!.update(copy, setRow('a', '*A* paused')), w.updaters[1]!.update(copy, setRow('b', '*B* paused'))]);
    expect(w.now()).toEqual(['*Digest*', '*A* paused', '*B* paused']);
  });

  it.skipIf(skip)('a click whose Whop call ends after another click’s update, carrying the copy from before it, keeps that update', async () => {
    const w = await world(kind, 2);
    const copy = { ...w.shown(), seenAt: new Date(T0) };
    w.tick(800);
    await w.updaters[0]!.update(copy, setRow('a', '*A* paused'));
    w.tick(2_000);
    await w.updaters[1]!.update(copy, setRow('b', '*B* paused'));
    expect(w.now()).toEqual(['*Digest*', '*A* paused', '*B* paused']);
  });

  it.skipIf(skip)('a click Slack showed well after the last update starts from its own copy, so an edit made elsewhere meanwhile stays', async () => {
    const w = await world(kind, 2);
    await w.updaters[0]!.update({ ...w.shown(), seenAt: new Date(T0) }, setRow('a', '*A* paused'));
    // Another path of the bot rewrites the message (an alert check, a card refresh), bypassing the stored copy.
    await w.client.chat.update({ channel: CHANNEL, ts: w.shown().ts, text: 'digest', blocks: [row('head', '*Digest, refreshed*'), ...w.shown().blocks.slice(1)] });
    w.tick(60_000);
    await w.updaters[1]!.update({ ...w.shown(), seenAt: new Date(T0 + 60_000) }, setRow('b', '*B* paused'));
    expect(w.now()).toEqual(['*Digest, refreshed*', '*A* paused', '*B* paused']);
  });

  it.skipIf(skip)('a click whose time cannot be read starts from the stored copy', async () => {
    const w = await world(kind, 1);
    const copy = w.shown();
    await w.updaters[0]!.update({ ...copy, seenAt: new Date(T0) }, setRow('a', '*A* paused'));
    await w.updaters[0]!.update({ ...copy, seenAt: seenAt({ action_ts: 'not a time' }) }, setRow('b', '*B* paused'));
    expect(w.now()).toEqual(['*Digest*', '*A* paused', '*B* paused']);
  });

  it.skipIf(skip)('a failed chat.update stores nothing: the next click starts from its own copy', async () => {
    const w = await world(kind, 1);
    w.slack.failNext('chat.update', 1, 'internal_error');
    const copy = { ...w.shown(), seenAt: new Date(T0) };
    await expect(w.updaters[0]!.update(copy, setRow('a', '*A* paused'))).rejects.toThrow(/internal_error/);
    await w.updaters[0]!.update(copy, setRow('b', '*B* paused'));
    expect(w.now()).toEqual(['*Digest*', '*A* active', '*B* paused']);
  });
});

describe.skipIf(!DATABASE_URL)('message updates on PostgreSQL under load', () => {
  it('thirty clicks on different ads of one message, each holding its ad’s lock across the update (as a toggle does), all finish with every row kept', async () => {
    const slack = await startFakeSlack({ token: TOKEN });
    cleanup.push(() => slack.close());
    const client = new WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    const [store] = await stores('postgres', 1);
    const updates = new MessageUpdates(client, store!, () => T0);
    const ids = Array.from({ length: 30 }, (_, i) => `r${i}`);
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'digest', blocks: ids.map((id) => row(id, `${id} active`)) });
    const copy = { channel: CHANNEL, ts: posted.ts!, text: 'digest', blocks: ids.map((id) => row(id, `${id} active`)), seenAt: new Date(T0) };
    // More ads locked at once than the store has connections for ad locks: a message lock must not need one of those.
    await Promise.all(
      ids.map((id) =>
        store!.locks.run(`ad_${id}`, async () => {
          await new Promise((r) => setTimeout(r, 50));
          await updates.update(copy, setRow(id, `${id} paused`));
        }),
      ),
    );
    expect(texts(slack.messages(CHANNEL).find((m) => m.ts === posted.ts)!.blocks)).toEqual(ids.map((id) => `${id} paused`));
  }, 15_000);
});

describe('seenAt', () => {
  it('reads Slack’s action_ts (seconds, microsecond digits) as the moment the copy was taken', () => {
    expect(seenAt({ action_ts: '1764064800.123456' }).toISOString()).toBe('2025-11-25T10:00:00.123Z');
  });
});
