// A budget amount shaped to make a pattern backtrack, sent over signed requests by someone who may not change
// budgets: it is refused in plain words at once, before any permission check, and the bot keeps answering others.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT } from '../../blocks/budget';
import type { AdGroupRecord } from '../../src/sandbox';
import { Harness } from '../e2e/harness';
import { CHANNEL, digestYaml, slackWrites, whopWrites } from './support';

/** Slack's own deadline for an answer. The old pattern spent over 3 s on the first of these, and every request waited. */
const SLACK_WAITS_MS = 3_000;
const OPERATOR = 'U0BOSS';
const STRANGER = 'U0OTHER';

/** 3,000 characters each: what took the old amount pattern seconds, and its neighbours. */
const ADVERSARIAL = [`${' '.repeat(1_499)}1${' '.repeat(1_499)}x`, ' '.repeat(3_000), '1'.repeat(3_000), ', '.repeat(1_500)];

let h: Harness;
let group: AdGroupRecord;
let budgetBefore: number | null;

beforeAll(async () => {
  h = await Harness.start({ yaml: digestYaml(`access:\n  operators: [${OPERATOR}]`) });
  group = h.sandbox.account.adGroups.find((g) => g.budget_amount !== null && g.status === 'active')!;
  budgetBefore = group.budget_amount;
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  h.slack.reset();
  h.sandbox.requests.length = 0;
});

/** The operator looks an ad group up just after the hostile requests went out: the answer and the card come back in time. */
async function lookupMeanwhile() {
  const sent = await h.command('/adgroup', group.id, OPERATOR, CHANNEL);
  const [card] = await h.responsesTo(sent.responseUrl);
  return { ms: sent.ms, card: JSON.stringify(card) };
}

function expectNothingChanged() {
  expect(group.budget_amount).toBe(budgetBefore);
  expect(whopWrites(h)).toEqual([]);
}

describe('a 3,000-character adversarial amount from someone who is not an operator', () => {
  it('in the Edit budget form: refused under the field at once, other requests answered meanwhile, nothing changed', async () => {
    const sent = await h.command('/adgroup', group.id, STRANGER, CHANNEL);
    const [card] = await h.responsesTo(sent.responseUrl);
    await h.clickIn(card!.blocks!, 'ad_group.budget.edit', STRANGER);
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && JSON.stringify(c.args.view).includes(AMOUNT_INPUT));
    const viewId = h.slack.views().at(-1)!.id;
    const callsBefore = slackWrites(h).length;

    const hostile = ADVERSARIAL.map((amount) => h.submitView(viewId, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: amount } }, STRANGER));
    const [lookup, ...saved] = await Promise.all([lookupMeanwhile(), ...hostile]);

    expect([lookup, ...saved].map((answer) => answer.ms < SLACK_WAITS_MS)).toEqual([true, ...saved.map(() => true)]);
    expect(lookup.card).toContain(group.id);
    for (const answer of saved) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({
        response_action: 'errors',
        errors: { [AMOUNT_BLOCK]: 'An amount is 40 characters at most: write it like 150, $1,250.50 or 200 USD' },
      });
    }
    expectNothingChanged();
    // The form stays open as it was, with the error under the field: no update, no message.
    expect(slackWrites(h)).toHaveLength(callsBefore);
  });

  it('in `/adgroup budget`: refused in plain words at once, other requests answered meanwhile, nothing changed', async () => {
    const hostile = ADVERSARIAL.map((amount) => h.command('/adgroup', `budget ${group.id} ${amount}`, STRANGER, CHANNEL));
    const [lookup, ...answers] = await Promise.all([lookupMeanwhile(), ...hostile]);

    expect([lookup, ...answers].map((answer) => answer.ms < SLACK_WAITS_MS)).toEqual([true, ...answers.map(() => true)]);
    expect(lookup.card).toContain(group.id);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.body) as { text: string }).text).toContain('`/adgroup` takes 200 characters at most');
    }
    expectNothingChanged();
    expect(slackWrites(h)).toEqual([]);
  });
});
