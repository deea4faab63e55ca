// mrkdwn injection through Whop data: ad, ad group and campaign titles and issue messages that try to
// ping everyone, mention someone, or smuggle a link. Every message, ephemeral answer and modal the bot
// sends must show them as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT } from '../../blocks/budget';
import { Harness } from '../e2e/harness';
import { blockActionsBody, viewSubmissionPayload } from '../support/slack-request';
import { CHANNEL, digestYaml, waitFor } from './support';

const HOSTILE = ['<!channel> Flash sale', '<@U123> look here', '*bold* & _italic_ ~gone~ `code`', '<https://evil.example|click> now', '<#C999> &amp; <!here> <!subteam^S123>'];
/** Markup that only data could have put there: the bot itself never writes these. */
const SMUGGLED = /<!(?:channel|here|everyone|subteam)|<@U123|<#C999|<https?:\/\/evil/;

let h: Harness;
/** The immediate answers to slash commands (ack bodies), which fake Slack does not record. */
const acks: unknown[] = [];

beforeAll(async () => {
  h = await Harness.start({ yaml: digestYaml('budget:\n  max_amount: 100000\n  confirm_change_pct: 50') });
  const { campaigns, adGroups, ads, issues } = h.sandbox.account;
  campaigns.forEach((c, i) => (c.title = `${HOSTILE[i % HOSTILE.length]} campaign ${i}`));
  adGroups.forEach((g, i) => (g.title = `${HOSTILE[(i + 1) % HOSTILE.length]} group ${i}`));
  ads.forEach((a, i) => (a.title = `${HOSTILE[(i + 2) % HOSTILE.length]} ad ${i}`));
  issues.forEach((issue, i) => (issue.message = `${HOSTILE[(i + 3) % HOSTILE.length]}: fix <https://evil.example/pay|here> & now`));
});
afterAll(async () => {
  await h?.stop();
});

async function command(name: '/adgroup' | '/ads', text: string, channel = CHANNEL) {
  const sent = await h.command(name, text, 'U0MARIA', channel);
  if (sent.body) acks.push(JSON.parse(sent.body));
  return sent;
}

const digestTs = () => h.slack.messages(CHANNEL).find((m) => !m.thread_ts && JSON.stringify(m.blocks).includes('Ads digest'))!.ts;
const shown = (ts: string) => JSON.stringify(h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks);

/** Every text Slack would render as mrkdwn, and every plain_text, in anything the bot sent. */
function texts(node: unknown, out: { mrkdwn: string[]; plain: string[] }, topLevel = true): void {
  if (Array.isArray(node)) return node.forEach((n) => texts(n, out, false));
  if (typeof node !== 'object' || node === null) return;
  const o = node as Record<string, unknown>;
  // A message's own `text` (the fallback and notification) is mrkdwn unless mrkdwn: false.
  if (topLevel && typeof o.text === 'string') (o.mrkdwn === false ? out.plain : out.mrkdwn).push(o.text);
  if (o.type === 'mrkdwn' && typeof o.text === 'string') out.mrkdwn.push(o.text);
  if (o.type === 'plain_text' && typeof o.text === 'string') out.plain.push(o.text);
  for (const [key, value] of Object.entries(o)) if (key !== 'text' || typeof value === 'object') texts(value, out, false);
}

describe('mrkdwn in Whop data is shown as text everywhere the bot writes it', () => {
  it('digest, clicks, answers, cards, search, budget changes, Share and the budget modal', async () => {
    // A digest, asked for with /ads digest.
    await command('/ads', 'digest last_30d');
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok);
    await waitFor(() => h.slack.messages(CHANNEL).length > 0);
    const ts = digestTs();
    const inDigest = (kind: 'adGroups' | 'ads', status = 'active') =>
      (h.sandbox.account[kind] as Array<{ id: string; status: string }>).filter((e) => e.status === status && shown(ts).includes(`"${e.id}"`));

    // Pause from the digest: the row is rewritten and a line goes into the thread.
    const [pauseMe, pausedElsewhere, failing, slackFails] = inDigest('adGroups');
    expect(pauseMe && pausedElsewhere && failing && slackFails).toBeTruthy();
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: pauseMe!.id });
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    // Already paused in Whop, rejected since the digest, Whop failing, Slack refusing the update.
    pausedElsewhere!.status = 'paused';
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: pausedElsewhere!.id });
    const ad = inDigest('ads')[0];
    if (ad) {
      ad.status = 'rejected';
      await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: ad.id });
    }
    h.sandbox.faults.failNext(1, 500, { path: /\/pause$/ });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: failing!.id });
    await waitFor(() => h.slack.responses.some((r) => JSON.stringify(r.body).includes('did not confirm the pause')));
    h.slack.failNext('chat.update', 1, 'http_500');
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: slackFails!.id });
    await waitFor(() => h.slack.responses.some((r) => JSON.stringify(r.body).includes('did not let me update')));

    // Cards and search.
    const daily = h.sandbox.account.adGroups.find((g) => g.budget_amount !== null && g.status === 'active' && g.id !== slackFails!.id)!;
    const lookup = await command('/adgroup', daily.id);
    const [card] = await h.responsesTo(lookup.responseUrl);
    const several = await command('/adgroup', 'group');
    await h.responsesTo(several.responseUrl);
    const none = await command('/adgroup', '<!channel> zebra');
    await h.responsesTo(none.responseUrl);
    const byCampaign = h.sandbox.account.adGroups.find((g) => g.budget_amount === null)!;
    const noBudget = await command('/adgroup', `budget ${byCampaign.id} 50`);
    await h.responsesTo(noBudget.responseUrl);

    // Budget changes: a small one (applied, with Undo), a large one (confirm), the same one again.
    const from = daily.budget_amount!;
    const small = await command('/adgroup', `budget ${daily.id} ${(from * 1.1).toFixed(2)}`);
    const [changed] = await h.responsesTo(small.responseUrl);
    const same = await command('/adgroup', `budget ${daily.id} ${(from * 1.1).toFixed(2)}`);
    await h.responsesTo(same.responseUrl);
    const large = await command('/adgroup', `budget ${daily.id} ${(from * 4).toFixed(2)}`);
    const [prompt] = await h.responsesTo(large.responseUrl);
    const confirmed = await h.clickIn(prompt!.blocks!, 'ad_group.budget.confirm');
    await h.responsesTo(confirmed.responseUrl);
    const undone = await h.clickIn(changed!.blocks!, 'ad_group.budget.undo');
    await h.responsesTo(undone.responseUrl); // moved on meanwhile: refused, naming the ad group

    // Share in channel, then Edit budget on the shared card: modal, a refused amount, a good one.
    await h.clickIn(card!.blocks!, 'ad_group.share');
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && String(JSON.stringify(c.args.blocks)).includes('Shared by'));
    const shared = h.slack.messages(CHANNEL).find((m) => JSON.stringify(m.blocks).includes('Shared by'))!;
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts: shared.ts, value: daily.id, actionId: 'ad_group.budget.edit' });
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok);
    const view = h.slack.views().find((v) => v.view.callback_id === 'ad_group.budget.modal')!;
    const submit = async (value: string) => {
      const payload = viewSubmissionPayload({
        user: 'U0MARIA',
        view: { id: view.id, callback_id: 'ad_group.budget.modal', private_metadata: String(view.view.private_metadata) },
        values: { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: { type: 'plain_text_input', value } } },
      });
      const answer = await h.send(blockActionsBody(payload));
      if (answer.body) acks.push(JSON.parse(answer.body));
    };
    await submit('<!channel>');
    await submit(String(daily.budget_amount));
    await submit(String(Math.round(daily.budget_amount! * 105) / 100));
    await h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.ok);
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok && c.args.ts === shared.ts);

    // Everything the bot sent: Web API calls, response_url answers and slash-command acks.
    const sent = [...h.slack.calls.filter((c) => /^(chat\.|views\.)/.test(c.method)).map((c) => c.args), ...h.slack.responses.map((r) => r.body), ...acks];
    const out = { mrkdwn: [] as string[], plain: [] as string[] };
    for (const message of sent) texts(message, out);
    expect(out.mrkdwn.length).toBeGreaterThan(50);
    const all = out.mrkdwn.join('\n');
    // The hostile data really was shown (escaped), in the digest, the card, answers and the modal.
    expect(all).toContain('&lt;!channel&gt; Flash sale');
    expect(all).toContain('&lt;@U123&gt; look here');
    expect(all).toContain('&lt;https://evil.example|click&gt; now');
    expect(all).toContain('&amp;amp;');

    const smuggled = out.mrkdwn.filter((t) => SMUGGLED.test(t));
    expect(smuggled).toEqual([]);
    const looseAmpersands = out.mrkdwn.filter((t) => /&(?!amp;|lt;|gt;)/.test(t));
    expect(looseAmpersands).toEqual([]);
    // plain_text is shown as typed, so it is not escaped: "&lt;" there would be shown to people as is.
    expect(out.plain.filter((t) => /&lt;|&gt;/.test(t))).toEqual([]);
    expect(out.plain.some((t) => HOSTILE.some((hostile) => t.includes(hostile)))).toBe(true);
  });
});
