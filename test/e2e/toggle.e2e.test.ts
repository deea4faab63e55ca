import { afterEach, describe, expect, it } from 'vitest';
import { scaledAccount } from '../../src/sandbox';
import { postToSlackEvents } from '../support/slack-request';
import { HARNESS_NOW, Harness, SIGNING_SECRET } from './harness';

const CHANNEL = 'C0DIGEST';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const yaml = (extra = '') => ['timezone: America/New_York', 'digests:', `  - channel: ${CHANNEL}`, '    schedule: "0 0 1 1 *"', extra].join('\n');

async function start(extra = '', options: Parameters<typeof Harness.start>[0] = {}) {
  harness = await Harness.start({ yaml: yaml(extra), ...options });
  const ts = await harness.postDigestNow(CHANNEL);
  return { h: harness, ts };
}

const whopCalls = (h: Harness, verb: 'pause' | 'unpause', id: string) => h.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${id}/${verb}`));

const waitForAudit = async (h: Harness, id: string, count = 1) => {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const rows = await h.auditFor(id);
    if (rows.length >= count) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no audit row for ${id}`);
};

describe('pause and unpause from a digest, end to end', () => {
  it('pausing an ad group changes Whop, updates the row in place with who did it, replies in the thread and keeps an audit row across a restart', async () => {
    const { h, ts } = await start();
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    const click = await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    expect(click.status).toBe(200);

    const update = await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(update.args.ts).toBe(ts);
    expect(h.sandbox.account.adGroups.find((g) => g.id === group.id)!.status).toBe('paused');
    const message = h.slack.messages(CHANNEL).find((m) => m.ts === ts)!;
    const text = JSON.stringify(message.blocks);
    expect(text).toMatch(/Paused by <@U0MARIA> · \d\d:\d\d/);
    expect(h.button(CHANNEL, ts, group.id).button.action_id).toBe('ad_group.unpause');

    const reply = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    expect(String(reply.args.text)).toContain('<@U0MARIA> paused ad group');
    expect(whopCalls(h, 'pause', group.id)).toHaveLength(1);

    await h.restart();
    const rows = await waitForAudit(h, group.id);
    expect(rows[0]).toMatchObject({ userId: 'U0MARIA', action: 'ad_group.pause', before: 'active', after: 'paused', outcome: 'done', messageTs: ts });
  });

  it('unpause (the undo) on an ad restores delivery and shows who did it', async () => {
    const { h, ts } = await start();
    const text = () => JSON.stringify(h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks);
    const ad = h.sandbox.account.ads.find((a) => a.status === 'active' && text().includes(`"${a.id}"`))!;
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: ad.id });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(h.sandbox.account.ads.find((a) => a.id === ad.id)!.status).toBe('paused');

    await h.click({ user: 'U0LEE', channel: CHANNEL, ts, value: ad.id });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok && h.slack.callsTo('chat.update').length === 2);
    expect(h.sandbox.account.ads.find((a) => a.id === ad.id)!.status).toBe('active');
    expect(text()).toMatch(/Unpaused by <@U0LEE>|unpaused by <@U0LEE>/);
    expect(h.button(CHANNEL, ts, ad.id).button.action_id).toMatch(/^ad\.pause/);
    expect(whopCalls(h, 'unpause', ad.id)).toHaveLength(1);
  });

  it('a click on a button in a thread reply (a digest’s overflow) puts its audit line in that thread, not under the reply', async () => {
    const { h, ts } = await start('', { account: scaledAccount({ adGroups: 12, ads: 40, issues: 80, now: () => HARNESS_NOW }) });
    const reply = h.slack.thread(CHANNEL, ts).find((m) => JSON.stringify(m.blocks).includes('"ad_group.pause'));
    if (!reply) throw new Error('the digest has no thread reply with a Pause button');
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(reply.blocks).includes(`"${g.id}"`))!;
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts: reply.ts, value: group.id });

    const line = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('paused ad group'));
    expect(line).toMatchObject({ ok: true, args: { thread_ts: ts } });
    expect(h.slack.thread(CHANNEL, ts).at(-1)!.text).toContain('<@U0MARIA> paused ad group');
    expect(h.slack.callsTo('chat.update').map((c) => c.args.ts)).toEqual([reply.ts]);
  });

  it.each([
    ['at the same moment', 0],
    ['the second’s Whop call ending after the first row was updated', 600],
  ])('two clicks on different rows of one digest, shown the same copy, keep both row updates: %s', async (_when, slowMs) => {
    const { h, ts } = await start();
    const text = () => JSON.stringify(h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks);
    const [first, second] = h.sandbox.account.adGroups.filter((g) => g.status === 'active' && text().includes(`"${g.id}"`));
    if (!first || !second) throw new Error('the digest lists fewer than two active ad groups');
    if (slowMs) h.sandbox.faults.hangNext(1, slowMs, { path: new RegExp(`/${second.id}/pause$`) });
    const clicks = [h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: first.id }), h.clickBody({ user: 'U0LEE', channel: CHANNEL, ts, value: second.id })];
    await Promise.all(clicks.map((click) => h.send(click.body)));
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok && h.slack.callsTo('chat.update').filter((u) => u.ok).length === 2);

    expect([first, second].map((g) => g.status)).toEqual(['paused', 'paused']);
    expect(text()).toMatch(/[Pp]aused by <@U0MARIA>/);
    expect(text()).toMatch(/[Pp]aused by <@U0LEE>/);
    expect([first, second].map((g) => h.button(CHANNEL, ts, g.id).button.action_id)).toEqual(['ad_group.unpause', 'ad_group.unpause']);
  });

  it('a retried request and a double click make one Whop call', async () => {
    const { h, ts } = await start();
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    const first = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    const second = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    const answers = await Promise.all([h.send(first.body), h.send(first.body, 1), h.send(second.body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    await new Promise((r) => setTimeout(r, 500));
    expect(whopCalls(h, 'pause', group.id)).toHaveLength(1);
    expect(h.slack.callsTo('chat.update').filter((c) => c.ok).length).toBeGreaterThanOrEqual(1);
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts)).toHaveLength(1);
  });

  it.each([
    ['user and user-group ids', 'access:\n  operators: [U0BOSS, S0ADS]', 'U0STRANGER', 'U0MARIA', '<@U0BOSS>'],
    ['Enterprise Grid user ids (W…)', 'access:\n  operators: [W0BOSS]', 'W0STRANGER', 'W0BOSS', '<@W0BOSS>'],
  ])('with operators given as %s, someone not among them is refused and Whop is not called; an operator may pause', async (_ids, access, stranger, operator, asked) => {
    const { h, ts } = await start(access, { userGroups: { S0ADS: ['U0MARIA'] } });
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    await h.click({ user: stranger, channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1);
    expect(JSON.stringify(h.slack.responses[0]!.body)).toContain('not allowed to pause');
    expect(JSON.stringify(h.slack.responses[0]!.body)).toContain(asked);
    expect(whopCalls(h, 'pause', group.id)).toHaveLength(0);
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);

    await h.click({ user: operator, channel: CHANNEL, ts, value: group.id });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(whopCalls(h, 'pause', group.id)).toHaveLength(1);
    expect(JSON.stringify(h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks)).toContain(`Paused by <@${operator}>`);
  });

  it('an ad group already paused elsewhere is not paused again; the row is refreshed', async () => {
    const { h, ts } = await start();
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    group.status = 'paused';
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    await waitFor(() => h.slack.responses.length === 1);
    expect(JSON.stringify(h.slack.responses[0]!.body)).toContain('already');
    expect(whopCalls(h, 'pause', group.id)).toHaveLength(0);
    expect(h.button(CHANNEL, ts, group.id).button.action_id).toBe('ad_group.unpause');
  });

  it('an ad rejected since the digest is not sent to Whop; the clicker learns why and the button goes away', async () => {
    const { h, ts } = await start();
    const text = () => JSON.stringify(h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks);
    const ad = h.sandbox.account.ads.find((a) => a.status === 'active' && text().includes(`"${a.id}"`))!;
    ad.status = 'rejected';
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: ad.id });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    await waitFor(() => h.slack.responses.length === 1);
    expect(JSON.stringify(h.slack.responses[0]!.body)).toContain('Rejected');
    expect(whopCalls(h, 'pause', ad.id)).toHaveLength(0);
    expect(() => h.button(CHANNEL, ts, ad.id)).toThrow(/no button/);
  });

  it.each([
    ['answers 500', (h: Harness) => h.sandbox.faults.failNext(5, 500, { path: /\/pause$/ })],
    ['times out', (h: Harness) => h.sandbox.faults.hangNext(5, 4_000, { path: /\/pause$/ })],
  ])('when Whop %s the clicker is told it may have gone through, Whop still shows it active, and the message is untouched', async (_name, fault) => {
    const { h, ts } = await start();
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    const before = JSON.stringify(h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks);
    fault(h);
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1, 8_000);
    expect(JSON.stringify(h.slack.responses[0]!.body)).toContain(
      `Whop did not confirm the pause of ad group *${group.title}*. It may still go through; for now it is :large_green_circle: Active.`,
    );
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
    expect(JSON.stringify(h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks)).toBe(before);
    const rows = await waitForAudit(h, group.id);
    expect(rows[0]).toMatchObject({ outcome: 'failed' });
  });

  it('a bad signature or a stale timestamp is rejected and nothing is done', async () => {
    const { h, ts } = await start();
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    const { body } = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    const forged = await postToSlackEvents(h.url, 'not-the-secret', body);
    const stale = await postToSlackEvents(h.url, SIGNING_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('acknowledges the click well within Slack’s 3 seconds even when Whop takes 5', async () => {
    const { h, ts } = await start('', { whop: { timeoutMs: 10_000 } });
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    h.sandbox.faults.latencyMs = 5_000;
    const click = await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    expect(click.status).toBe(200);
    expect(click.ms).toBeLessThan(2_000);
    h.sandbox.faults.latencyMs = 0;
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
