import { afterEach, describe, expect, it } from 'vitest';
import { addIssue, type CampaignRecord, demoAccount, PAYMENT_FAILED, type SandboxAccount } from '../../src/sandbox';
import { blockActionPayload, blockActionsBody } from '../support/slack-request';
import { HARNESS_NOW, Harness } from './harness';

const CHANNEL = 'C0ALERTS';
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const yaml = (rules: string, extra = '') =>
  ['timezone: America/New_York', 'alerts:', `  - channel: ${CHANNEL}`, '    schedule: "0 0 1 1 *"', '    rules:', ...rules.split('\n').map((r) => `      ${r}`), extra].join('\n');

const text = (x: unknown) => JSON.stringify(x);
const posts = (h: Harness) => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && !c.args.thread_ts);
const postsAbout = (h: Harness, words: string) => posts(h).filter((c) => text(c.args.blocks).includes(words));
const retries = (h: Harness, id: string) => h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/ad_campaigns/${id}/retry_payment`);
const campaign = (h: Harness, title: string) => h.sandbox.account.campaigns.find((c) => c.title === title)!;
const alertAbout = (h: Harness, id: string) => h.slack.messages(CHANNEL).find((m) => text(m.blocks).includes(`"value":"${id}"`) && text(m.blocks).includes('Payment failed'))!;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A new click on Retry payment in a copy of the message as someone still sees it (Slack has not redrawn it yet). */
function clickOnCopy(h: Harness, shown: { ts: string; text?: string; blocks: unknown[] }, user: string, id: string): string {
  const payload = blockActionPayload({
    user,
    channel: CHANNEL,
    message: { ts: shown.ts, text: shown.text, blocks: shown.blocks },
    action: { action_id: 'ad_campaign.retry_payment', value: id },
    response_url: h.slack.responseUrl(),
    trigger_id: h.slack.triggerId(),
  });
  return blockActionsBody(payload);
}

const OPERATORS = 'access:\n  operators: [U0BOSS]';

async function paymentAlert(extra = OPERATORS, account?: SandboxAccount) {
  const h = (harness = await Harness.start({ yaml: yaml('new_issues: true\ndelivery_status: [payment_failed]', extra), ...(account ? { account } : {}) }));
  await h.checkAlerts();
  const brand = campaign(h, 'Brand awareness');
  return { h, brand, message: alertAbout(h, brand.id) };
}

describe('Whop’s delivery status, end to end', () => {
  it('a failed payment is one alert with Retry payment and Whop’s words; the issue it carries is not alerted apart, and later checks post nothing more', async () => {
    const { h, brand, message } = await paymentAlert();
    expect(postsAbout(h, 'Brand awareness')).toHaveLength(1);
    expect(text(message.blocks)).toContain(`"action_id":"ad_campaign.retry_payment","value":"${brand.id}"`);
    expect(text(message.blocks)).toContain('Meta could not charge the card on file');
    expect(text(message.blocks)).toContain(`Whop says: ${PAYMENT_FAILED.slice(0, 40)}`);
    expect(postsAbout(h, PAYMENT_FAILED.slice(0, 40))).toHaveLength(1);

    const before = posts(h).length;
    await h.checkAlerts();
    await h.restart();
    await h.checkAlerts();
    expect(posts(h)).toHaveLength(before);
  });

  it('an operator’s Retry payment calls Whop once though Slack delivers the click twice; the alert says who and that it worked; a later click calls nothing', async () => {
    const { h, brand, message } = await paymentAlert();
    const shown = structuredClone({ ts: message.ts, text: message.text, blocks: message.blocks });
    const click = h.clickBody({ user: 'U0BOSS', channel: CHANNEL, ts: message.ts, value: brand.id, actionId: 'ad_campaign.retry_payment' });
    await Promise.all([h.send(click.body), h.send(click.body, 1)]);
    await until(() => h.slack.responses.length === 1, 'the answer to the click');
    await until(() => h.logs.some((l) => l.includes('repeated request ignored')), 'the repeat to be handled');

    expect(retries(h, brand.id)).toHaveLength(1);
    expect(retries(h, brand.id)[0]!.idempotencyKey).toBeTruthy();
    expect(brand.payment_failed).toBe(false);
    expect(text(h.slack.responses[0]!.body)).toContain('Whop charged the card');
    const updated = h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!;
    expect(text(updated.blocks)).toMatch(/:credit_card: <@U0BOSS> retried the payment at \d\d:\d\d: Whop charged the card/);
    // The demo's first check lists its new problems in one message: only this campaign's button goes.
    expect(text(updated.blocks)).not.toContain(`"action_id":"ad_campaign.retry_payment","value":"${brand.id}"`);
    expect(await h.auditFor(brand.id)).toMatchObject([{ action: 'ad_campaign.retry_payment', userId: 'U0BOSS', outcome: 'done', before: 'payment_failed', after: 'active' }]);

    // The old copy of the message still has the button: a second click reads Whop first and sends nothing.
    await h.send(clickOnCopy(h, shown, 'U0BOSS', brand.id));
    await until(() => h.slack.responses.length === 2, 'the answer to the second click');
    expect(text(h.slack.responses[1]!.body)).toContain('no longer fails');
    expect(retries(h, brand.id)).toHaveLength(1);
    expect(await h.auditFor(brand.id)).toHaveLength(2);

    // Resolved after resolve_after_checks (2) healthy checks.
    await h.checkAlerts();
    expect(text(h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.blocks)).not.toContain('*Resolved*');
    await h.checkAlerts();
    expect(text(h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.blocks)).toContain('*Resolved*');
  });

  it('someone who is not an operator is refused in a short private answer, Whop is not called, and the refusal is audited', async () => {
    const { h, brand, message } = await paymentAlert();
    await h.click({ user: 'U0STRANGER', channel: CHANNEL, ts: message.ts, value: brand.id, actionId: 'ad_campaign.retry_payment' });
    await until(() => h.slack.responses.length === 1, 'the refusal');

    const answer = h.slack.responses[0]!.body as { text: string; response_type: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('not allowed to retry payments');
    expect(answer.text).toContain('<@U0BOSS>');
    expect(retries(h, brand.id)).toHaveLength(0);
    expect(h.sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/ad_campaigns/${brand.id}`)).toHaveLength(0);
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
    expect(await h.auditFor(brand.id)).toMatchObject([{ action: 'ad_campaign.retry_payment', userId: 'U0STRANGER', outcome: 'refused', reason: 'not_operator' }]);
  });

  it('a forged Retry payment on another alert’s message charges as the operator asked but leaves that alert as it was', async () => {
    const { h, brand } = await paymentAlert();
    const ad = h.sandbox.account.ads.find((a) => a.status === 'active')!;
    addIssue(h.sandbox.account, ad.id, 'Audience overlap with another ad group');
    await h.checkAlerts();
    const other = h.slack.messages(CHANNEL).find((m) => !m.thread_ts && text(m.blocks).includes('Audience overlap'))!;
    const before = text(other.blocks);
    const payload = blockActionPayload({
      user: 'U0BOSS',
      channel: CHANNEL,
      message: { ts: other.ts, text: other.text, blocks: other.blocks },
      action: { action_id: 'ad_campaign.retry_payment', block_id: 'alert-controls', value: brand.id },
      response_url: h.slack.responseUrl(),
      trigger_id: h.slack.triggerId(),
    });
    await h.send(blockActionsBody(payload));
    await until(() => h.slack.responses.length === 1, 'the answer');

    expect(retries(h, brand.id)).toHaveLength(1);
    expect(text(h.slack.messages(CHANNEL).find((m) => m.ts === other.ts)!.blocks)).toBe(before);
  });

  it('a card declined again: the alert says so and keeps its button; audited as declined', async () => {
    const account = demoAccount({ now: () => HARNESS_NOW });
    (account.campaigns.find((c) => c.title === 'Brand awareness') as CampaignRecord).card_declined = true;
    const { h, brand, message } = await paymentAlert(OPERATORS, account);
    await h.click({ user: 'U0BOSS', channel: CHANNEL, ts: message.ts, value: brand.id, actionId: 'ad_campaign.retry_payment' });
    await until(() => h.slack.responses.length === 1, 'the answer');

    expect(retries(h, brand.id)).toHaveLength(1);
    expect(text(h.slack.responses[0]!.body)).toContain('was declined again');
    const updated = h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!;
    expect(text(updated.blocks)).toContain('<@U0BOSS> retried the payment at');
    expect(text(updated.blocks)).toContain('the card was declined again');
    expect(text(updated.blocks)).toContain('ad_campaign.retry_payment');
    expect(await h.auditFor(brand.id)).toMatchObject([{ outcome: 'failed', reason: 'card_declined' }]);
  });

  it('Whop refusing answers privately in plain words and leaves the alert as it was', async () => {
    const { h, brand, message } = await paymentAlert();
    h.sandbox.faults.failNext(1, 403, { path: /retry_payment$/ });
    await h.click({ user: 'U0BOSS', channel: CHANNEL, ts: message.ts, value: brand.id, actionId: 'ad_campaign.retry_payment' });
    await until(() => h.slack.responses.length === 1, 'the answer');

    expect(text(h.slack.responses[0]!.body)).toContain("Couldn't retry the payment of campaign *Brand awareness*");
    expect(text(h.slack.responses[0]!.body)).toContain('Nothing was charged.');
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
    expect(await h.auditFor(brand.id)).toMatchObject([{ outcome: 'failed', reason: 'whop_failed' }]);
  });

  it('no answer from Whop (applied, then a 502): the campaign is read back and the person told it may have gone through', async () => {
    const { h, brand, message } = await paymentAlert();
    h.sandbox.faults.applyThenFailNext(1, 502, { path: /retry_payment$/ });
    await h.click({ user: 'U0BOSS', channel: CHANNEL, ts: message.ts, value: brand.id, actionId: 'ad_campaign.retry_payment' });
    await until(() => h.slack.responses.length === 1, 'the answer');

    expect(retries(h, brand.id)).toHaveLength(1);
    expect(text(h.slack.responses[0]!.body)).toContain('Whop did not confirm the payment retry');
    expect(text(h.slack.responses[0]!.body)).toContain('no longer reports a failed payment');
    expect(await h.auditFor(brand.id)).toMatchObject([{ outcome: 'failed', reason: 'whop_unsure', detail: expect.stringContaining('Whop now says active') }]);
  });

  it('learning limited, every ad rejected and all ad groups off: one alert each over several checks, none of their rejections alerted apart', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true\nrejected: true\ndelivery_status: true') }));
    await h.checkAlerts();
    await h.checkAlerts();
    await h.checkAlerts();

    expect(postsAbout(h, '*Learning limited*')).toHaveLength(1);
    expect(text(postsAbout(h, '*Learning limited*'))).toContain('Gift guide – Lookalike 3%');
    expect(postsAbout(h, '*Every ad rejected*')).toHaveLength(1);
    expect(text(postsAbout(h, '*Every ad rejected*'))).toContain('Back to school – Bundles');
    expect(postsAbout(h, '*All ad groups off*')).toHaveLength(1);
    expect(text(postsAbout(h, '*All ad groups off*'))).toContain('Evergreen – Always on');
    // The two rejected ads of Back to school, and Whop's reason for them, are in that one alert only.
    expect(postsAbout(h, 'Straight A’s bundle')).toHaveLength(0);
    expect(postsAbout(h, 'straight A’s, guaranteed')).toHaveLength(1);
    expect(posts(h).flatMap((c) => text(c.args.blocks).match(/\*Payment failed\*/g) ?? [])).toHaveLength(2);
  });
});

describe('creative fatigue, end to end', () => {
  const FATIGUE = 'fatigue: { days: 3 }';

  it('the ad group whose frequency rises and CTR falls every day is alerted once with both trends; no other is', async () => {
    const h = (harness = await Harness.start({ yaml: yaml(FATIGUE) }));
    await h.checkAlerts();
    await h.checkAlerts();

    expect(posts(h)).toHaveLength(1);
    const alert = text(posts(h)[0]!.args.blocks);
    expect(alert).toContain('*Creative fatigue*: over the last 3 days the people *Cart abandoners – 7 days*');
    expect(alert).toMatch(/frequency \d[\d.]* → \d[\d.]*\) and clicked less \(CTR [\d.]+% → [\d.]+%\)/);
    // Each complete day asked for on its own, today not among them: midnight to midnight in New York.
    const days = new Set(h.sandbox.requests.filter((r) => r.path === '/ad_groups' && r.query.status === 'active').map((r) => `${r.query.stats_from}/${r.query.stats_to}`));
    expect([...days].sort()).toEqual([
      '2026-11-21T05:00:00.000Z/2026-11-22T05:00:00.000Z',
      '2026-11-22T05:00:00.000Z/2026-11-23T05:00:00.000Z',
      '2026-11-23T05:00:00.000Z/2026-11-24T05:00:00.000Z',
    ]);
  });

  it('the same ad group with flat days is not alerted', async () => {
    const account = demoAccount({ now: () => HARNESS_NOW });
    const group = account.adGroups.find((g) => g.title === 'Cart abandoners – 7 days')!;
    for (const ad of account.ads.filter((a) => a.ad_group_id === group.id)) {
      const { values } = ad.daily;
      const width = values.length / 60;
      const template = values.slice(40 * width, 41 * width);
      for (let day = 50; day < 60; day++) values.set(template, day * width);
    }
    const h = (harness = await Harness.start({ account, yaml: yaml(FATIGUE) }));
    await h.checkAlerts();

    expect(posts(h)).toHaveLength(0);
  });
});
