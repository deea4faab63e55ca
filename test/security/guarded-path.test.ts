// The one guarded path every change to ads goes through (src/actions/pipeline.ts), attacked over signed requests:
// stale or forged confirmations, a revoked operator, Slack failing while someone else waits on the same ad.
import { afterEach, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT, MODAL_CALLBACK, MODAL_CONFIRM_CALLBACK } from '../../blocks/budget';
import { Harness } from '../e2e/harness';
import { blockActionsBody, viewSubmissionPayload } from '../support/slack-request';
import { activeGroupIn, answersTo, auditFor, CHANNEL, digestYaml, waitFor, waitForAudit } from './support';

const MINUTE = 60_000;
const LIMITS = 'budget:\n  max_amount: 5000\n  confirm_change_pct: 50';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const patches = (h: Harness) => h.sandbox.requests.filter((r) => r.method === 'PATCH');
const dailyGroup = (h: Harness) => h.sandbox.account.adGroups.find((g) => g.budget_amount !== null && g.budget_type === 'daily' && g.status === 'active')!;

/** A large budget change asked for with `/adgroup budget`, and its Confirm prompt as the person sees it. */
async function askLarge(h: Harness, user = 'U0MARIA') {
  const group = dailyGroup(h);
  const from = group.budget_amount!;
  const sent = await h.command('/adgroup', `budget ${group.id} ${from * 3}`, user);
  const [prompt] = await h.responsesTo(sent.responseUrl);
  expect(prompt!.text).toContain('Confirm');
  return { group, from, prompt: prompt! };
}

describe('a stale or forged Confirm changes nothing', () => {
  it('a Confirm clicked more than 15 minutes after it was asked for is refused in plain words and recorded once', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}` }));
    const { group, from, prompt } = await askLarge(h);
    h.now = new Date(h.now.getTime() + 16 * MINUTE);
    const late = await h.clickIn(prompt.blocks!, 'ad_group.budget.confirm');
    expect((await h.responsesTo(late.responseUrl))[0]!.text).toContain('more than 15 minutes ago');
    expect(group.budget_amount).toBe(from);
    expect(patches(h)).toHaveLength(0);
    expect((await h.auditFor(group.id)).map((r) => [r.outcome, r.reason])).toEqual([
      ['asked', 'needs_confirmation'],
      ['refused', 'change_expired'],
    ]);
  });

  it('an operator removed from access.operators after asking cannot apply the old prompt', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}\naccess:\n  operators: [U0MARIA, U0BOSS]` }));
    const { group, from, prompt } = await askLarge(h);
    await h.restart({ yaml: `timezone: UTC\n${LIMITS}\naccess:\n  operators: [U0BOSS]` });
    const revoked = await h.clickIn(prompt.blocks!, 'ad_group.budget.confirm');
    expect((await h.responsesTo(revoked.responseUrl))[0]!.text).toContain('You are not allowed to change budgets');
    expect(group.budget_amount).toBe(from);
    expect(patches(h)).toHaveLength(0);
    expect((await h.auditFor(group.id)).at(-1)).toMatchObject({ userId: 'U0MARIA', outcome: 'refused', reason: 'not_operator' });
  });

  it('the prompt’s buttons carry only an opaque id: who asked and the amount are nowhere in them', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}` }));
    const { group, from, prompt } = await askLarge(h);
    const values = JSON.stringify(prompt.blocks).match(/"value":"[^"]*"/g) ?? [];
    expect(values).toHaveLength(2);
    for (const value of values) {
      expect(value).toMatch(/^"value":"pc_[A-Za-z0-9_-]{22}"$/);
      expect(value).not.toContain('U0MARIA');
      expect(value).not.toContain(String(from * 3));
      expect(value).not.toContain(group.id);
    }
  });

  it('Cancel by the person who asked uses the prompt up: a later Confirm of it applies nothing', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}` }));
    const { group, from, prompt } = await askLarge(h);
    const cancel = await h.clickIn(prompt.blocks!, 'ad_group.budget.cancel');
    expect((await h.responsesTo(cancel.responseUrl))[0]!.text).toContain('cancelled');
    const confirm = await h.clickIn(prompt.blocks!, 'ad_group.budget.confirm');
    expect((await h.responsesTo(confirm.responseUrl))[0]!.text).toContain('already used');
    expect(group.budget_amount).toBe(from);
    expect(patches(h)).toHaveLength(0);
    expect((await h.auditFor(group.id)).map((r) => r.outcome)).toEqual(['asked', 'cancelled', 'refused']);
  });
});

describe('Slack failing on an update does not hold the ad', () => {
  it('with chat.update failing, a second person’s click on the same ad group is answered and acted on within seconds', async () => {
    const h = (harness = await Harness.start({ yaml: digestYaml(), clientOptions: {} }));
    const ts = await h.postDigestNow(CHANNEL);
    const group = activeGroupIn(h, ts);
    h.slack.failNext('chat.update', Number.POSITIVE_INFINITY, 'http_500');
    const first = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await h.send(first.body);
    // While the first click's update is still being retried against a failing Slack, the second arrives.
    await waitFor(() => h.slack.callsTo('chat.update').length >= 1, 5_000, 'the first update attempt');
    const started = Date.now();
    const second = h.clickBody({ user: 'U0LEE', channel: CHANNEL, ts, value: group.id });
    await h.send(second.body);
    await waitFor(() => group.status === 'paused' && h.slack.responses.length >= 2, 15_000, 'both clicks answered');
    expect(Date.now() - started).toBeLessThan(5_000);
    const answers = answersTo(h).join('\n');
    expect(answers).toContain('already');
    expect(h.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pause'))).toHaveLength(1);
  });
});

/** Opens the Edit budget form from the ad group's card as `user` would; the open form as the fake Slack holds it. */
async function openForm(h: Harness, id: string, user = 'U0MARIA') {
  const sent = await h.command('/adgroup', id, user);
  const [card] = await h.responsesTo(sent.responseUrl);
  await h.clickIn(card!.blocks!, 'ad_group.budget.edit', user);
  await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && JSON.stringify(c.args.view).includes(AMOUNT_INPUT));
  return h.slack.views().at(-1)!;
}

const viewJson = (h: Harness, id: string) => JSON.stringify(h.slack.views().find((v) => v.id === id)?.view);

describe('the Edit budget form', () => {
  it('a Confirm naming a confirmation that is unknown or of another kind is answered and leaves one audit row each', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}` }));
    const group = dailyGroup(h);
    const form = await openForm(h, group.id);
    const formId = String(form.view.private_metadata);
    for (const metadata of ['pc_AAAAAAAAAAAAAAAAAAAAAA', formId]) {
      const payload = viewSubmissionPayload({
        user: 'U0MARIA',
        view: { id: `V${metadata}`, hash: 'h1', callback_id: MODAL_CONFIRM_CALLBACK, private_metadata: metadata },
        values: {},
      });
      const answer = await h.send(blockActionsBody(payload));
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('not one this bot understands');
      expect(await waitForAudit(h, metadata)).toMatchObject([
        { action: 'ad_group.budget', entityKind: 'pending_change', outcome: 'refused', reason: 'change_unknown', userId: 'U0MARIA' },
      ]);
    }
    expect(patches(h)).toHaveLength(0);
  });

  it('someone who may not change budgets, saving an amount over the limit, hears only the refusal, never the limit', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}\naccess:\n  operators: [U0BOSS]` }));
    const group = dailyGroup(h);
    for (const amount of ['999999', '120 eur']) {
      const form = await openForm(h, group.id, 'U0OTHER');
      const saved = await h.submitView(form.id, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: amount } }, 'U0OTHER');
      expect(saved.body).not.toMatch(/5,000|5000|EUR|eur/);
      await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && JSON.stringify(c.args.view).includes('not allowed to change budgets'));
      expect(viewJson(h, form.id)).not.toMatch(/5,000|5000|EUR/);
      h.slack.calls.length = 0;
    }
    expect(patches(h)).toHaveLength(0);
    expect((await auditFor(h, group.id)).map((r) => [r.outcome, r.reason, r.userId])).toEqual([
      ['refused', 'not_operator', 'U0OTHER'],
      ['refused', 'not_operator', 'U0OTHER'],
    ]);
  });

  it('an operator saving an amount over the limit gets the form back with the limit, to correct it', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}\naccess:\n  operators: [U0BOSS]` }));
    const group = dailyGroup(h);
    const from = group.budget_amount!;
    const form = await openForm(h, group.id, 'U0BOSS');
    await h.submitView(form.id, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: '999999' } }, 'U0BOSS');
    const back = await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && JSON.stringify(c.args.view).includes(':warning:'));
    const view = back.args.view as { callback_id: string; private_metadata: string };
    expect(JSON.stringify(view)).toContain('$5,000.00');
    expect(JSON.stringify(view)).toContain(AMOUNT_INPUT);
    expect(view).toMatchObject({ callback_id: MODAL_CALLBACK, private_metadata: form.view.private_metadata });

    // Saved again from the form as it came back (sent as Slack would, whatever the fake last applied).
    const to = Math.round(from * 1.1 * 100) / 100;
    const payload = viewSubmissionPayload({
      user: 'U0BOSS',
      view: { id: form.id, hash: 'h2', callback_id: view.callback_id, private_metadata: view.private_metadata },
      values: { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: { type: 'plain_text_input', value: String(to) } } },
    });
    await h.send(blockActionsBody(payload));
    await waitFor(() => group.budget_amount === to, 5_000, 'the corrected change');
    expect((await auditFor(h, group.id)).map((r) => [r.outcome, r.reason])).toEqual([
      ['refused', 'above_limit'],
      ['done', null],
    ]);
  });

  it('a submission Slack delivers twice changes the budget once and leaves one audit row; its form carries only an id', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}` }));
    const group = dailyGroup(h);
    const from = group.budget_amount!;
    const to = Math.round(from * 1.1 * 100) / 100;
    const sent = await h.command('/adgroup', group.id);
    const [card] = await h.responsesTo(sent.responseUrl);
    await h.clickIn(card!.blocks!, 'ad_group.budget.edit');
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && JSON.stringify(c.args.view).includes(AMOUNT_INPUT));
    const form = h.slack.views().at(-1)!;
    expect(form.view.private_metadata).toMatch(/^pc_[A-Za-z0-9_-]{22}$/);

    const body = h.submissionBody(form.id, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: String(to) } });
    const [first, again] = [await h.send(body), await h.send(body)];
    expect([first.status, again.status]).toEqual([200, 200]);
    await h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.ok);
    await waitFor(() => group.budget_amount === to, 5_000, 'the change');
    expect(patches(h)).toHaveLength(1);
    const rows = await h.auditFor(group.id);
    expect(rows.map((r) => [r.outcome, r.before, r.after])).toEqual([['done', String(from), String(to)]]);
  });

  it('a form whose metadata was forged (another form’s state, a made-up id) changes nothing', async () => {
    const h = (harness = await Harness.start({ yaml: `timezone: UTC\n${LIMITS}` }));
    const group = dailyGroup(h);
    const from = group.budget_amount!;
    const forged = { id: group.id, title: null, from, type: 'daily', currency: 'usd', channel: 'C0DIGEST', ts: null, responseUrl: 'http://127.0.0.1:9/steal', sharedBy: null };
    for (const metadata of [JSON.stringify(forged), 'pc_AAAAAAAAAAAAAAAAAAAAAA']) {
      const payload = viewSubmissionPayload({
        user: 'U0MARIA',
        view: { id: `V${metadata.length}`, hash: 'h1', callback_id: MODAL_CALLBACK, private_metadata: metadata },
        values: { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: { type: 'plain_text_input', value: String(from + 1) } } },
      });
      const answer = await h.send(blockActionsBody(payload));
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('not one this bot understands');
    }
    expect(patches(h)).toHaveLength(0);
    expect(group.budget_amount).toBe(from);
  });
});
