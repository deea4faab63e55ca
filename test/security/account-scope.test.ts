// With WHOP_COMPANY_ID set, an ad group of another account the same Whop key reaches is, to everyone in Slack,
// an id Whop does not know: no card, no budget change, no pause.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AdGroupRecord, type CampaignRecord, moveToAccount, SANDBOX_ACCOUNT_ID } from '../../src/sandbox';
import { Harness } from '../e2e/harness';
import { blockActionPayload, blockActionsBody } from '../support/slack-request';
import { auditFor, CHANNEL, digestYaml, sleep, waitForAudit, whopWrites } from './support';

const UNKNOWN = 'adgrp_NoSuchGroup01';

let h: Harness;
let theirs: AdGroupRecord;
let ours: AdGroupRecord;
let theirFailedPayment: CampaignRecord;

beforeAll(async () => {
  h = await Harness.start({ yaml: digestYaml(), env: { WHOP_COMPANY_ID: SANDBOX_ACCOUNT_ID } });
  const active = (g: AdGroupRecord) => g.status === 'active' && g.budget_amount !== null;
  theirs = h.sandbox.account.adGroups.find(active)!;
  moveToAccount(h.sandbox.account, theirs.ad_campaign_id, 'biz_OtherAccount');
  ours = h.sandbox.account.adGroups.find((g) => active(g) && g.ad_campaign_id !== theirs.ad_campaign_id)!;
  theirFailedPayment = h.sandbox.account.campaigns.find((c) => c.title === 'Retargeting – 2024 (legacy)')!;
  moveToAccount(h.sandbox.account, theirFailedPayment.id, 'biz_OtherAccount');
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  h.slack.reset();
  h.sandbox.requests.length = 0;
});

/** What `/adgroup <text>` answers, with the id in it replaced so two answers can be compared. */
async function adgroup(text: string, id: string) {
  const sent = await h.command('/adgroup', text, 'U0MARIA', CHANNEL);
  const [answer] = await h.responsesTo(sent.responseUrl);
  return answer!.text!.replaceAll(id, '<id>');
}

/** A Pause click on an id, as a forged or old button would send it. */
async function pause(id: string) {
  const payload = blockActionPayload({
    user: 'U0MARIA',
    channel: CHANNEL,
    message: { ts: '1732540000.000100', blocks: [] },
    action: { action_id: 'ad_group.pause', block_id: 'row', value: id },
    response_url: h.slack.responseUrl(),
    trigger_id: h.slack.triggerId(),
  });
  await h.send(blockActionsBody(payload));
  const [answer] = await h.responsesTo(payload.response_url as string);
  return answer!.text!.replaceAll(id, '<id>');
}

describe('another account’s ad group, with WHOP_COMPANY_ID set', () => {
  it('a lookup answers exactly as for an id Whop does not know', async () => {
    const answer = await adgroup(theirs.id, theirs.id);
    expect(answer).toBe(await adgroup(UNKNOWN, UNKNOWN));
    expect(answer).toContain('There is no ad group `<id>` in this Whop account');
  });

  it('a budget change answers exactly as for an unknown id, changes nothing and is audited alike', async () => {
    const before = theirs.budget_amount;
    const answer = await adgroup(`budget ${theirs.id} 42`, theirs.id);
    expect(answer).toBe(await adgroup(`budget ${UNKNOWN} 42`, UNKNOWN));
    const [row] = await waitForAudit(h, theirs.id);
    const [unknownRow] = await waitForAudit(h, UNKNOWN);
    const alike = (entry: object, id: string) => JSON.stringify({ ...entry, at: null }).replaceAll(id, '<id>');
    expect(alike(row!, theirs.id)).toBe(alike(unknownRow!, UNKNOWN));
    expect(whopWrites(h)).toEqual([]);
    expect(theirs.budget_amount).toBe(before);
  });

  it('a Pause click answers exactly as for an unknown id and pauses nothing', async () => {
    const answer = await pause(theirs.id);
    expect(answer).toBe(await pause(UNKNOWN));
    expect(answer).toContain('Whop has no such item');
    await sleep(100);
    expect(whopWrites(h)).toEqual([]);
    expect(theirs.status).toBe('active');
    expect((await auditFor(h, theirs.id)).at(-1)).toMatchObject({ outcome: 'failed', action: 'ad_group.pause' });
  });

  it('Retry payment on its campaign with a failed payment answers exactly as for an unknown campaign and charges nothing', async () => {
    const retry = async (id: string) => {
      const payload = blockActionPayload({
        user: 'U0MARIA',
        channel: CHANNEL,
        message: { ts: '1732540000.000200', blocks: [] },
        action: { action_id: 'ad_campaign.retry_payment', block_id: 'alert-controls', value: id },
        response_url: h.slack.responseUrl(),
        trigger_id: h.slack.triggerId(),
      });
      await h.send(blockActionsBody(payload));
      const [answer] = await h.responsesTo(payload.response_url as string);
      return answer!.text!.replaceAll(id, '<id>');
    };
    const answer = await retry(theirFailedPayment.id);
    expect(answer).toBe(await retry('adcamp_NoSuchCampaign1'));
    expect(answer).toContain('Whop has no such item');
    await sleep(100);
    expect(whopWrites(h)).toEqual([]);
    expect(theirFailedPayment.status).toBe('payment_failed');
  });

  it('the account’s own ad groups still change', async () => {
    const sent = await h.command('/adgroup', `budget ${ours.id} ${(ours.budget_amount ?? 10) + 1}`, 'U0MARIA', CHANNEL);
    expect((await h.responsesTo(sent.responseUrl))[0]!.text).toContain('Budget of');
    expect(await waitForAudit(h, ours.id)).toMatchObject([{ outcome: 'done' }]);
    expect(whopWrites(h).map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /ad_groups/${ours.id}`]);
  });
});
