import { afterEach, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT } from '../../blocks/budget';
import { blockActionsBody, viewSubmissionPayload } from '../support/slack-request';
import { Harness } from './harness';

const YAML = 'timezone: America/New_York\nbudget:\n  max_amount: 5000\n  confirm_change_pct: 50\n';
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const start = async (yaml = YAML, options: Parameters<typeof Harness.start>[0] = {}) => {
  harness = await Harness.start({ yaml, ...options });
  return harness;
};

/** An ad group with its own daily budget, and one whose budget is the campaign's. */
const groups = (h: Harness) => ({
  daily: h.sandbox.account.adGroups.find((g) => g.budget_amount !== null && g.budget_type === 'daily' && g.status === 'active')!,
  byCampaign: h.sandbox.account.adGroups.find((g) => g.budget_amount === null)!,
});
const patches = (h: Harness) => h.sandbox.requests.filter((r) => r.method === 'PATCH');
const text = (x: unknown) => JSON.stringify(x);

describe('/adgroup', () => {
  it('by id answers the person with the card: budget, campaign, stats, buttons', async () => {
    const h = await start();
    const { daily } = groups(h);
    const sent = await h.command('/adgroup', daily.id);
    expect(sent.status).toBe(200);
    const [card] = await h.responsesTo(sent.responseUrl);
    expect(card!.blocks![0]).toMatchObject({ type: 'header', text: { text: daily.title } });
    const body = text(card);
    expect(body).toContain(`*Budget*\\n$${daily.budget_amount!.toFixed(2)} daily`);
    expect(body).toContain('*Platform*\\nMeta');
    expect(body).toContain('"action_id":"ad_group.pause"');
    expect(body).toContain('"action_id":"ad_group.budget.edit"');
    expect(body).toContain('"action_id":"ad_group.share"');
    expect((card as { response_type?: string }).response_type).toBe('ephemeral');
  });

  it('Pause on the card pauses the ad group and redraws the card for the clicker with who did it', async () => {
    const h = await start();
    const { daily } = groups(h);
    const sent = await h.command('/adgroup', daily.id);
    const [card] = await h.responsesTo(sent.responseUrl);
    const click = await h.clickIn(card!.blocks!, 'ad_group.pause');
    const [redrawn] = await h.responsesTo(click.responseUrl);
    expect(daily.status).toBe('paused');
    expect(redrawn!.replace_original).toBe(true);
    expect(text(redrawn!.blocks)).toMatch(/Paused by <@U0MARIA> · \d\d:\d\d/);
    expect(text(redrawn!.blocks)).toContain('"action_id":"ad_group.unpause"');
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('by words lists matches with Open buttons, opens a single match, and says when nothing matches', async () => {
    const h = await start();
    const several = await h.command('/adgroup', '–');
    const [list] = await h.responsesTo(several.responseUrl);
    expect(text(list)).toContain('"action_id":"ad_group.open"');
    const one = h.sandbox.account.adGroups[2]!;
    const single = await h.command('/adgroup', one.title);
    const [card] = await h.responsesTo(single.responseUrl);
    expect(card!.blocks![0]).toMatchObject({ type: 'header', text: { text: one.title } });
    const none = await h.command('/adgroup', 'zebra crossing');
    expect(text((await h.responsesTo(none.responseUrl))[0])).toContain('No ad group matches “zebra crossing”');
  });

  it('budget: applies a small change, replies old → new with the type and an Undo, and audits it', async () => {
    const h = await start();
    const { daily } = groups(h);
    const from = daily.budget_amount!;
    const to = Math.round(from * 1.2 * 100) / 100;
    const sent = await h.command('/adgroup', `budget ${daily.id} $${to}`);
    const [reply] = await h.responsesTo(sent.responseUrl);
    expect(daily.budget_amount).toBe(to);
    expect(reply!.text).toContain(`$${from.toFixed(2)} → *$${to.toFixed(2)}* daily (+20%), by <@U0MARIA>`);
    expect(text(reply)).toContain('"action_id":"ad_group.budget.undo"');
    expect(await h.auditFor(daily.id)).toMatchObject([{ action: 'ad_group.budget', before: String(from), after: String(to), outcome: 'done' }]);

    const undo = await h.clickIn(reply!.blocks!, 'ad_group.budget.undo');
    await h.responsesTo(undo.responseUrl);
    expect(daily.budget_amount).toBe(from);
  });

  it('budget: a large change waits for Confirm by the person who asked, still allowed then, and applies once', async () => {
    const h = await start(`${YAML}access:\n  operators: [U0MARIA, U0BOSS]\n`);
    const { daily } = groups(h);
    const from = daily.budget_amount!;
    const sent = await h.command('/adgroup', `budget ${daily.id} ${from * 3} usd`);
    const [prompt] = await h.responsesTo(sent.responseUrl);
    expect(prompt!.text).toContain('Confirm');
    expect(text(prompt)).toContain('(+200%)');
    expect(daily.budget_amount).toBe(from);
    expect(patches(h)).toHaveLength(0);

    const stranger = await h.clickIn(prompt!.blocks!, 'ad_group.budget.confirm', 'U0OTHER');
    expect((await h.responsesTo(stranger.responseUrl))[0]!.text).toContain('You are not allowed to change budgets');
    const otherOperator = await h.clickIn(prompt!.blocks!, 'ad_group.budget.confirm', 'U0BOSS');
    expect((await h.responsesTo(otherOperator.responseUrl))[0]!.text).toContain('Only <@U0MARIA>, who asked for this change, can confirm or cancel it');
    expect(patches(h)).toHaveLength(0);
    const confirm = await h.clickIn(prompt!.blocks!, 'ad_group.budget.confirm');
    const [done] = await h.responsesTo(confirm.responseUrl);
    expect(done!.text).toContain(`→ *$${(from * 3).toFixed(2)}*`);
    expect(daily.budget_amount).toBe(from * 3);
    const again = await h.clickIn(prompt!.blocks!, 'ad_group.budget.confirm');
    expect((await h.responsesTo(again.responseUrl))[0]!.text).toContain('already used');
    expect(patches(h)).toHaveLength(1);
    // Every attempt is one row: two refusals, the request, the change, the repeat.
    expect((await h.auditFor(daily.id)).map((r) => [r.userId, r.outcome, r.reason])).toEqual([
      ['U0MARIA', 'asked', 'needs_confirmation'],
      ['U0OTHER', 'refused', 'not_operator'],
      ['U0BOSS', 'refused', 'not_requester'],
      ['U0MARIA', 'done', null],
      ['U0MARIA', 'refused', 'change_used'],
    ]);
  });

  it.each([
    ['abc', 'is not an amount'],
    ['0', 'more than zero'],
    ['-5', 'more than zero'],
    ['NaN', 'is not an amount'],
    ['Infinity', 'is not an amount'],
    ['1.999', 'is not an amount'],
    ['9000', 'above the bot’s limit of $5,000.00'],
    ['20 EUR', 'not EUR'],
  ])('budget %s is refused with a clear message and nothing is patched', async (amount, words) => {
    const h = await start();
    const sent = await h.command('/adgroup', `budget ${groups(h).daily.id} ${amount}`);
    const answer = sent.body ? JSON.parse(sent.body) : (await h.responsesTo(sent.responseUrl))[0];
    expect(text(answer)).toContain(words);
    await new Promise((r) => setTimeout(r, 100));
    expect(patches(h)).toHaveLength(0);
  });

  it('budget on an unknown id or a campaign-budget ad group is refused and nothing is patched', async () => {
    const h = await start();
    const unknown = await h.command('/adgroup', 'budget adgrp_nope 100');
    expect((await h.responsesTo(unknown.responseUrl))[0]!.text).toContain('There is no ad group `adgrp_nope`');
    const campaign = await h.command('/adgroup', `budget ${groups(h).byCampaign.id} 100`);
    expect((await h.responsesTo(campaign.responseUrl))[0]!.text).toContain('set by its campaign');
    expect(patches(h)).toHaveLength(0);
    expect(await h.auditFor(groups(h).byCampaign.id)).toMatchObject([{ action: 'ad_group.budget', outcome: 'refused', userId: 'U0MARIA' }]);
  });

  it('budget from someone who is not an operator is refused', async () => {
    const h = await start(`${YAML}access:\n  operators: [U0BOSS]\n`);
    const sent = await h.command('/adgroup', `budget ${groups(h).daily.id} 100`, 'U0STRANGER');
    expect((await h.responsesTo(sent.responseUrl))[0]!.text).toContain('not allowed to change budgets');
    expect(patches(h)).toHaveLength(0);
  });

  it('Edit budget opens a modal; a bad amount shows an error under the field; a good one applies and updates the card', async () => {
    const h = await start();
    const { daily } = groups(h);
    const from = daily.budget_amount!;
    const sharedCard = await h.command('/adgroup', daily.id);
    const [card] = await h.responsesTo(sharedCard.responseUrl);
    await h.clickIn(card!.blocks!, 'ad_group.share');
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && text(c.args.blocks).includes('Shared by <@U0MARIA>'));
    const message = h.slack.messages('C0DIGEST').find((m) => text(m.blocks).includes('Shared by <@U0MARIA>'))!;
    const edit = await h.click({ user: 'U0MARIA', channel: 'C0DIGEST', ts: message.ts, value: daily.id, actionId: 'ad_group.budget.edit' });
    expect(edit.ms).toBeLessThan(2_000);
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok);
    const [view] = h.slack.views();
    expect(text(view!.view)).toContain(from.toFixed(2));

    const submit = (value: string) =>
      h.send(
        blockActionsBody(
          viewSubmissionPayload({
            user: 'U0MARIA',
            view: { id: view!.id, callback_id: String(view!.view.callback_id), private_metadata: String(view!.view.private_metadata) },
            values: { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: { type: 'plain_text_input', value } } },
          }),
        ),
      );
    const bad = await submit('lots');
    expect(JSON.parse(bad.body)).toMatchObject({ response_action: 'errors', errors: { [AMOUNT_BLOCK]: expect.stringContaining('is not an amount') } });
    expect(patches(h)).toHaveLength(0);

    const to = Math.round(from * 1.1 * 100) / 100;
    const good = await submit(`${to}`);
    expect(good.status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(daily.budget_amount).toBe(to);
    const updated = h.slack.messages('C0DIGEST').find((m) => m.ts === message.ts)!;
    expect(text(updated.blocks)).toContain(`*Budget*\\n$${to.toFixed(2)} daily`);
    expect(text(updated.blocks)).toContain('Shared by <@U0MARIA>');
    const told = await h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.ok);
    expect(String(told.args.text)).toContain(`→ *$${to.toFixed(2)}*`);
  });
});

describe('/ads', () => {
  it('digest posts a digest to the channel it was typed in', async () => {
    const h = await start();
    const sent = await h.command('/ads', 'digest last_7d', 'U0MARIA', 'C0TEAM');
    expect(sent.status).toBe(200);
    const posted = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === 'C0TEAM');
    expect(text(posted.args.blocks)).toContain('Last 7 days');
  });

  it.each([
    ['/ads', 'help', '/ads digest today'],
    ['/ads', 'launch rockets', "I don't know “launch”"],
    ['/ads', 'digest fortnight', '“fortnight” is not a window'],
    ['/adgroup', 'help', '/adgroup budget adgrp_'],
    ['/adgroup', '', '/adgroup black friday'],
  ] as const)('%s %s answers with usage', async (command, words, expected) => {
    const h = await start();
    const sent = await h.command(command, words);
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.body).text).toContain(expected);
  });
});
