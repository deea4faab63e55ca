// Whop misbehaving while someone clicks Pause: rate limits, errors, lost replies and timeouts, with the
// SDK's retries (as the bot runs: maxRetries 2) and without them (as most e2e tests run: maxRetries 0).
import { afterEach, describe, expect, it } from 'vitest';
import { money } from '../../blocks/format';
import { USD } from '../../src/currency';
import { addIssue } from '../../src/sandbox';
import { Harness, type HarnessOptions } from '../e2e/harness';
import { activeGroupIn, answersTo, CHANNEL, digestYaml, messageJson, waitFor, waitForAudit } from '../security/support';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(options: Partial<HarnessOptions> = {}) {
  harness = await Harness.start({ yaml: digestYaml(), ...options });
  const ts = await harness.postDigestNow(CHANNEL);
  return { h: harness, ts, group: activeGroupIn(harness, ts) };
}

const pauses = (h: Harness, id: string) => h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/ad_groups/${id}/pause`);
const reads = (h: Harness, id: string) => h.sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/ad_groups/${id}`);
const updated = (h: Harness) => h.slack.waitFor((c) => c.method === 'chat.update' && c.ok, 8_000);
const threadReplies = (h: Harness, ts: string) => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);

describe('Whop rate limits (429 with Retry-After)', () => {
  it('with retries, the SDK waits as long as Whop says, then the pause goes through once and the row says so', async () => {
    const { h, ts, group } = await start({ whop: { maxRetries: 2 } });
    h.sandbox.faults.failNext(1, 429, { path: /\/pause$/, retryAfterSeconds: 0.9 });
    const started = Date.now();
    const click = await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    expect(click.ms).toBeLessThan(1_000); // acked at once, whatever Whop does
    await updated(h);
    // The SDK's own backoff for a first retry is 0.375–0.5 s: waiting 0.9 s is Retry-After at work.
    expect(Date.now() - started).toBeGreaterThanOrEqual(880);
    const calls = pauses(h, group.id);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]!.idempotencyKey).toBe(calls[1]!.idempotencyKey);
    expect(group.status).toBe('paused');
    expect(messageJson(h, ts)).toMatch(/Paused by <@U0MARIA>/);
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    expect(threadReplies(h, ts)).toHaveLength(1);
    expect((await waitForAudit(h, group.id)).map((r) => r.outcome)).toEqual(['done']);
  });

  it('without retries, the clicker is told Whop is rate-limiting, the message is untouched and nothing changed', async () => {
    const { h, ts, group } = await start();
    const before = messageJson(h, ts);
    h.sandbox.faults.failNext(1, 429, { path: /\/pause$/, retryAfterSeconds: 30 });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1);
    expect(answersTo(h)[0]).toContain('Whop is rate-limiting the bot. Try again in a minute.');
    expect(answersTo(h)[0]).toContain('Nothing was changed');
    expect(group.status).toBe('active');
    expect(messageJson(h, ts)).toBe(before);
    expect(h.slack.callsTo('chat.update')).toEqual([]);
    expect((await waitForAudit(h, group.id))[0]).toMatchObject({ outcome: 'failed', after: null });
  });
});

describe('Whop errors (500)', () => {
  it('with retries, one 500 is retried and the ad group is paused once', async () => {
    const { h, ts, group } = await start({ whop: { maxRetries: 2 } });
    h.sandbox.faults.failNext(1, 500, { path: /\/pause$/ });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await updated(h);
    expect(pauses(h, group.id).map((c) => c.status)).toEqual([500, 200]);
    expect(group.status).toBe('paused');
    expect(messageJson(h, ts)).toMatch(/Paused by <@U0MARIA>/);
  });

  it('500s on every attempt: the clicker is told it may have gone through and that Whop, read again, still shows it active', async () => {
    const { h, ts, group } = await start({ whop: { maxRetries: 1 } });
    const before = messageJson(h, ts);
    h.sandbox.faults.failNext(2, 500, { path: /\/pause$/ });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1, 8_000);
    expect(pauses(h, group.id).map((c) => c.status)).toEqual([500, 500]);
    // Read once before the pause, once after it failed.
    expect(reads(h, group.id)).toHaveLength(2);
    expect(answersTo(h)[0]).toContain(`Whop did not confirm the pause of ad group *${group.title}*`);
    expect(answersTo(h)[0]).toContain('It may still go through; for now it is :large_green_circle: Active. Look again in a minute');
    expect(answersTo(h)[0]).not.toContain('Nothing was changed');
    expect(group.status).toBe('active');
    expect(messageJson(h, ts)).toBe(before);
    expect((await waitForAudit(h, group.id))[0]).toMatchObject({
      outcome: 'failed',
      detail: expect.stringMatching(/^no answer, may have been applied: .*; Whop now says active$/),
    });
  });

  it('applied, then 500 on every attempt: the clicker is told it may have gone through and that Whop now shows it paused', async () => {
    const { h, ts, group } = await start({ whop: { maxRetries: 1 } });
    h.sandbox.faults.applyThenFailNext(2, 500, { path: /\/pause$/ });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1, 8_000);
    expect(pauses(h, group.id).map((c) => c.status)).toEqual([500, 500]);
    expect(group.status).toBe('paused');
    expect(answersTo(h)[0]).toContain(`"Whop did not confirm the pause of ad group *${group.title}*. It may have gone through: the ad group is now :double_vertical_bar: Paused."`);
    // The row shows what Whop says, with an Unpause button, but names nobody: the change may not be this click's.
    await updated(h);
    expect(h.button(CHANNEL, ts, group.id).button.action_id).toBe('ad_group.unpause');
    expect(messageJson(h, ts)).not.toContain('Paused by');
    expect(threadReplies(h, ts)).toEqual([]);
    expect((await waitForAudit(h, group.id))[0]).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('may have been applied') });
  });

  it('applied, then 500, and the read back fails too: the clicker is told it may have gone through and to look again', async () => {
    const { h, ts, group } = await start();
    const before = messageJson(h, ts);
    const read = { method: 'GET', path: new RegExp(`^/ad_groups/${group.id}$`) };
    h.sandbox.faults.hangNext(1, 0, read); // lets the read before the pause through
    h.sandbox.faults.applyThenFailNext(1, 500, { path: /\/pause$/ });
    h.sandbox.faults.failNext(1, 503, read);
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1);
    expect(reads(h, group.id).map((r) => r.status)).toEqual([200, 503]);
    expect(group.status).toBe('paused');
    expect(answersTo(h)[0]).toContain('It may have gone through, and I could not read it back: look at it again in a minute');
    expect(messageJson(h, ts)).toBe(before);
    expect((await waitForAudit(h, group.id))[0]).toMatchObject({ detail: expect.stringContaining('could not read it back') });
  });
});

describe('a lost reply (Whop paused it, the connection dropped before the answer)', () => {
  it('with retries, the SDK retries with the same Idempotency-Key, Whop replays its answer: paused once, the clicker sees success', async () => {
    const { h, ts, group } = await start({ whop: { maxRetries: 2 } });
    h.sandbox.faults.resetNext(1, { path: /\/pause$/ });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await updated(h);
    const [lost, retried] = pauses(h, group.id);
    expect(pauses(h, group.id)).toHaveLength(2);
    expect(lost).toMatchObject({ status: 0, replayed: false });
    expect(retried).toMatchObject({ status: 200, replayed: true, idempotencyKey: lost!.idempotencyKey });
    expect(group.status).toBe('paused');
    expect(messageJson(h, ts)).toMatch(/Paused by <@U0MARIA>/);
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    expect(threadReplies(h, ts)).toHaveLength(1);
    expect(h.slack.responses).toEqual([]); // no error shown
    expect((await waitForAudit(h, group.id)).map((r) => r.outcome)).toEqual(['done']);
  });

  it('without retries, the clicker is told it may have gone through (not "nothing was changed"), with what Whop shows now: paused', async () => {
    const { h, ts, group } = await start();
    h.sandbox.faults.resetNext(1, { path: /\/pause$/ });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1);
    expect(group.status).toBe('paused'); // Whop did it
    expect(answersTo(h)[0]).toContain('It may have gone through: the ad group is now :double_vertical_bar: Paused.');
    expect(answersTo(h)[0]).not.toContain('Nothing was changed');
    expect((await waitForAudit(h, group.id))[0]).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('may have been applied') });
    await updated(h);
    expect(pauses(h, group.id)).toHaveLength(1);
    expect(h.button(CHANNEL, ts, group.id).button.action_id).toBe('ad_group.unpause');
  });
});

describe('a budget change Whop does not confirm (500 after the SDK’s retries)', () => {
  async function budgetChange(fault: (h: Harness, path: RegExp) => void) {
    harness = await Harness.start({ yaml: digestYaml(), whop: { maxRetries: 1 } });
    const h = harness;
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && g.budget_type === 'daily' && g.budget_amount !== null)!;
    const from = group.budget_amount!;
    const to = Math.round(from * 1.2 * 100) / 100;
    fault(h, new RegExp(`^/ad_groups/${group.id}$`));
    const sent = await h.command('/adgroup', `budget ${group.id} ${to}`);
    const [reply] = await h.responsesTo(sent.responseUrl, 1, 8_000);
    const patches = h.sandbox.requests.filter((r) => r.method === 'PATCH').map((r) => r.status);
    return { h, group, from, to, reply: reply!.text!, patches };
  }

  it('not applied: the person is told it may still go through and what Whop, read again, says the budget is', async () => {
    const { h, group, from, to, reply, patches } = await budgetChange((h, path) => h.sandbox.faults.failNext(2, 500, { method: 'PATCH', path }));
    expect(patches).toEqual([500, 500]);
    expect(group.budget_amount).toBe(from);
    expect(reply).toBe(
      `Whop did not confirm the change of *${group.title}*’s budget to ${money(to, USD)}. It may still go through; for now the budget is ${money(from, USD)}. Check \`/adgroup ${group.id}\` in a minute before trying again.`,
    );
    expect(await waitForAudit(h, group.id)).toMatchObject([
      {
        action: 'ad_group.budget',
        outcome: 'failed',
        before: String(from),
        after: null,
        detail: expect.stringMatching(new RegExp(`may have been applied: .*; Whop now says ${from}$`)),
      },
    ]);
  });

  it('applied before the 500s: the person is told it may have gone through, and the budget Whop now shows', async () => {
    const { group, to, reply, patches } = await budgetChange((h, path) => h.sandbox.faults.applyThenFailNext(2, 500, { method: 'PATCH', path }));
    expect(patches).toEqual([500, 500]);
    expect(group.budget_amount).toBe(to);
    expect(reply).toBe(`Whop did not confirm the change of *${group.title}*’s budget to ${money(to, USD)}. It may have gone through: the budget is now ${money(to, USD)}.`);
    expect(reply).not.toContain('Nothing was changed');
  });
});

describe('Pause all when Whop does not confirm some pauses', () => {
  it('the person is told which may have gone through, each with what Whop shows now; the thread line counts them apart', async () => {
    const yaml = ['timezone: America/New_York', 'alerts:', `  - channel: ${CHANNEL}`, '    schedule: "0 0 1 1 *"', '    rules:', '      new_issues: true'].join('\n');
    harness = await Harness.start({ yaml });
    const h = harness;
    // The seeded issues first: many new problems in one check are one grouped message.
    await h.checkAlerts();
    const ads = h.sandbox.account.ads.filter((a) => a.status === 'active').slice(0, 3);
    for (const ad of ads) addIssue(h.sandbox.account, ad.id, 'Policy: misleading claims in the headline');
    await h.checkAlerts();
    const message = h.slack.messages(CHANNEL).find((m) => JSON.stringify(m.blocks).includes('misleading claims'))!;
    const key = /"action_id":"alert\.snooze\.1h","value":"([^"]+)"/.exec(JSON.stringify(message.blocks))![1]!;
    h.sandbox.faults.applyThenFailNext(1, 500, { path: new RegExp(`^/ads/${ads[0]!.id}/pause$`) });
    h.sandbox.faults.failNext(1, 502, { path: new RegExp(`^/ads/${ads[1]!.id}/pause$`) });

    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts: message.ts, value: key, actionId: 'alert.pause_all' });
    await waitFor(() => h.slack.responses.length === 1, 8_000);

    expect(ads.map((a) => a.status)).toEqual(['paused', 'active', 'paused']);
    expect(answersTo(h)[0]).toContain(
      `Whop did not confirm the pause of 2 ads, so it may have gone through: *${ads[0]!.title}* is now :double_vertical_bar: Paused, *${ads[1]!.title}* is now :large_green_circle: Active.`,
    );
    const line = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === message.ts);
    expect(String(line.args.text)).toBe(`<@U0MARIA> paused 1 of 3 ads: *${ads[2]!.title}* · 2 not confirmed by Whop`);
  });
});

describe('Whop timeouts', () => {
  it('no retries: the clicker is told at the timeout, nothing half-done (message untouched); a later click shows what Whop did', async () => {
    const { h, ts, group } = await start({ whop: { timeoutMs: 300, maxRetries: 0 } });
    const before = messageJson(h, ts);
    h.sandbox.faults.hangNext(1, 700, { path: /\/pause$/ });
    const started = Date.now();
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1);
    expect(Date.now() - started).toBeLessThan(650);
    expect(answersTo(h)[0]).toContain('Whop did not confirm the pause');
    expect(answersTo(h)[0]).toContain('It may still go through; for now it is :large_green_circle: Active.');
    expect(messageJson(h, ts)).toBe(before);
    expect(h.slack.callsTo('chat.update')).toEqual([]);
    expect(threadReplies(h, ts)).toEqual([]);
    expect((await waitForAudit(h, group.id))[0]).toMatchObject({ outcome: 'failed' });

    // Whop finishes the held request after the bot gave up, as a real server may.
    await waitFor(() => group.status === 'paused', 3_000);
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await updated(h);
    expect(messageJson(h, ts)).toContain('Paused');
    expect(pauses(h, group.id)).toHaveLength(1);
  });

  it('with retries, a timed-out pause is retried with the same key and counted once', async () => {
    const { h, ts, group } = await start({ whop: { timeoutMs: 500, maxRetries: 2 } });
    h.sandbox.faults.hangNext(1, 800, { path: /\/pause$/ });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await updated(h);
    const calls = pauses(h, group.id);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(1);
    // Applied by the first request only; every retry got the stored answer back.
    expect(calls.filter((c) => !c.replayed)).toHaveLength(1);
    expect(group.status).toBe('paused');
    expect(messageJson(h, ts)).toMatch(/Paused by <@U0MARIA>/);
    expect(h.slack.responses).toEqual([]);
  });
});

describe('scheduled digests after a failed run', () => {
  it('a run that fails (Whop 500, then Slack 500) is logged, and the next run posts the digest', async () => {
    const yaml = ['timezone: UTC', 'digests:', '  - channel: C0SCHED', '    schedule: "* * * * * *"'].join('\n');
    harness = await Harness.start({ yaml });
    const h = harness;
    h.sandbox.faults.failNext(1, 500, { path: /^\/ad_campaigns$/ });
    const failedWhop = () => h.logs.some((l) => l.includes('digest not posted: Whop failed'));
    await waitFor(failedWhop, 6_000, 'a run Whop failed');
    // The channel was told about that one; now Slack refuses the next digest itself.
    await waitFor(() => h.slack.messages('C0SCHED').length === 1, 3_000, 'the failure notice');
    h.slack.failNext('chat.postMessage', 1, 'http_500');
    const failedSlack = () => h.logs.some((l) => l.includes('scheduled run failed'));
    await waitFor(failedSlack, 6_000, 'a run Slack failed');
    const postedBefore = h.slack.messages('C0SCHED').length;
    await waitFor(() => h.slack.messages('C0SCHED').length > postedBefore, 3_000, 'a digest after the failures');
    const digest = h.slack.messages('C0SCHED').at(-1)!;
    expect(JSON.stringify(digest.blocks)).toContain('Ads digest');
    // The failed Slack call was not half-posted: besides the notice, every message there is a whole digest.
    const [notice, ...rest] = h.slack.messages('C0SCHED');
    expect(notice!.text).toMatch(/^I could not build today's digest|^The digest posts again/);
    expect(rest.every((m) => JSON.stringify(m.blocks).includes('Ads digest') || m.thread_ts)).toBe(true);
  });

  it('a digest Whop stops (bad key) tells its channel once, in plain words; later fires try again; the digest that posts again closes the notice', async () => {
    const yaml = ['timezone: UTC', 'digests:', '  - channel: C0SCHED', '    schedule: "* * * * * *"'].join('\n');
    harness = await Harness.start({ yaml });
    const h = harness;
    h.sandbox.faults.failNext(10_000, 401);
    const failedFires = () => h.logs.filter((l) => l.includes('digest not posted: Whop failed')).length;
    await waitFor(() => failedFires() >= 3, 8_000, 'three failed fires');
    const topLevel = () => h.slack.messages('C0SCHED').filter((m) => !m.thread_ts);
    expect(topLevel()).toHaveLength(1);
    const notice = topLevel()[0]!;
    expect(notice.text).toBe("I could not build today's digest: Whop rejected the bot’s API key. An admin needs to check WHOP_API_KEY.");
    const told = JSON.stringify(notice.blocks);
    expect(told).toMatch(/I will try again at the next scheduled time \(\w{3} \d{1,2}, \d\d:\d\d:?\d* UTC\)\./);
    // Later failures change the notice in place (how many, the next try) instead of posting again.
    await waitFor(() => notice.updates >= 1, 3_000, 'the notice following the failures');
    expect(JSON.stringify(notice.blocks)).toMatch(/It failed \d+ times in a row since/);

    h.sandbox.faults.reset();
    await waitFor(() => topLevel().some((m) => JSON.stringify(m.blocks).includes('Ads digest')), 5_000, 'a digest once Whop answers');
    await waitFor(() => notice.text === 'The digest posts again', 3_000, 'the notice closed');
    expect(JSON.stringify(notice.blocks)).toMatch(/The digest posts again\* since .* It could not be built \d+ times in a row, from /);
    expect(
      topLevel()
        .filter((m) => m !== notice)
        .every((m) => JSON.stringify(m.blocks).includes('Ads digest')),
    ).toBe(true);
  });
});
