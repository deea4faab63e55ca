// Who may change ads, decided from each request as Slack signs it: people of the bot's own workspace only,
// guests only when listed by their own id, and everyone told who may act and how that is set.
import { afterEach, describe, expect, it } from 'vitest';
import { REFUSAL_DETAIL } from '../../src/slack/authz';
import { Harness, type HarnessOptions } from '../e2e/harness';
import type { RequestOrigin } from '../support/slack-request';
import { activeGroupIn, answersTo, auditFor, CHANNEL, digestYaml, sleep, waitFor, waitForAudit, whopWrites } from './support';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(access = '', options: HarnessOptions = {}) {
  harness = await Harness.start({ yaml: digestYaml(access), ...options });
  const ts = await harness.postDigestNow(CHANNEL);
  return { h: harness, ts, group: activeGroupIn(harness, ts) };
}

const OTHER_TEAM = 'T0OTHERORG';

/** A click on the group's Pause button; resolves with what the clicker was told, once the bot is done with it. */
async function clickPause(h: Harness, ts: string, groupId: string, user: string, from?: RequestOrigin) {
  const click = await h.click({ user, channel: CHANNEL, ts, value: groupId, from });
  const url = click.payload.response_url as string;
  await waitFor(() => answersTo(h, url).length > 0 || h.slack.callsTo('chat.update').some((c) => c.ok), 5_000, 'an answer');
  return answersTo(h, url).join('\n');
}

/** The click was refused: nothing sent to Whop, the message untouched, and exactly one audit row saying why. */
async function expectRefused(h: Harness, groupId: string, detail: string) {
  const rows = await waitForAudit(h, groupId);
  await sleep(150);
  expect(whopWrites(h)).toEqual([]);
  expect(h.slack.callsTo('chat.update')).toEqual([]);
  expect(h.sandbox.account.adGroups.find((g) => g.id === groupId)!.status).toBe('active');
  expect(await auditFor(h, groupId)).toHaveLength(1);
  expect(rows[0]).toMatchObject({ outcome: 'refused', detail, action: 'ad_group.pause' });
}

/** `earlier`: how many audit rows (refusals) the ad group had before this click. */
async function expectPaused(h: Harness, groupId: string, user: string, earlier = 0) {
  await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
  expect(h.sandbox.account.adGroups.find((g) => g.id === groupId)!.status).toBe('paused');
  const rows = await waitForAudit(h, groupId, earlier + 1);
  expect(rows.filter((r) => r.outcome === 'done')).toMatchObject([{ userId: user, action: 'ad_group.pause' }]);
}

const warnings = (h: Harness, words: string) => h.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((l) => l.level === 40 && l.msg.includes(words));

describe('requests from another workspace or organisation', () => {
  it('a click sent from another workspace pauses nothing, even with access.operators empty; one audit row says why', async () => {
    const { h, ts, group } = await start();
    const answer = await clickPause(h, ts, group.id, 'U0MARIA', { teamId: OTHER_TEAM, userTeamId: OTHER_TEAM });
    expect(answer).toContain('another workspace or organisation');
    expect(answer).toContain('Nothing was changed');
    expect(answer).toContain('every member of this workspace may act, guests excepted');
    expect(answer).toContain('`access.operators` in ads-bot.yml');
    await expectRefused(h, group.id, REFUSAL_DETAIL.other_workspace);
  });

  it('in a Slack Connect channel, a person of the other organisation (their user.team_id) pauses nothing', async () => {
    const { h, ts, group } = await start();
    const answer = await clickPause(h, ts, group.id, 'U0PARTNER', { userTeamId: OTHER_TEAM });
    expect(answer).toContain('another workspace or organisation');
    await expectRefused(h, group.id, REFUSAL_DETAIL.other_workspace);
  });

  it('a person whom Slack’s users.info places in another organisation is refused, whatever the payload says', async () => {
    const { h, ts, group } = await start('', { users: { U0PARTNER: { team_id: OTHER_TEAM } } });
    await clickPause(h, ts, group.id, 'U0PARTNER');
    await expectRefused(h, group.id, REFUSAL_DETAIL.other_workspace);
  });

  it('a budget command from another workspace changes no budget; one audit row says why', async () => {
    const { h, group } = await start();
    const before = group.budget_amount;
    const sent = await h.command('/adgroup', `budget ${group.id} 77`, 'U0MARIA', CHANNEL, { team_id: OTHER_TEAM, team_domain: 'other-org' });
    const [answer] = await h.responsesTo(sent.responseUrl);
    expect(answer!.text).toContain('another workspace or organisation');
    expect(answer!.text).toContain('`access.operators` in ads-bot.yml');
    const rows = await waitForAudit(h, group.id);
    await sleep(150);
    expect(whopWrites(h)).toEqual([]);
    expect(group.budget_amount).toBe(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'refused', action: 'ad_group.budget', detail: REFUSAL_DETAIL.other_workspace });
  });

  it('on Enterprise Grid, a click from another organisation is refused and one from the bot’s own organisation acts', async () => {
    const org = { id: 'E0ORG', name: 'Our org' };
    const { h, ts, group } = await start('', { enterprise: org });
    await clickPause(h, ts, group.id, 'W0STRANGER', { enterprise: { id: 'E0THEIRS', name: 'Their org' } });
    await expectRefused(h, group.id, REFUSAL_DETAIL.other_workspace);

    await clickPause(h, ts, group.id, 'W0MARIA', { enterprise: org });
    await expectPaused(h, group.id, 'W0MARIA', 1);
  });
});

describe('guests', () => {
  it('a guest pauses nothing while access.operators is empty (everyone means members, not guests)', async () => {
    const { h, ts, group } = await start('', { users: { U0GUEST: { guest: 'multi_channel' } } });
    const answer = await clickPause(h, ts, group.id, 'U0GUEST');
    expect(answer).toContain('Guest accounts may pause ad groups only when their own user id is listed in `access.operators`');
    await expectRefused(h, group.id, REFUSAL_DETAIL.guest);
  });

  it('a single-channel guest listed by their own user id may pause', async () => {
    const { h, ts, group } = await start('access:\n  operators: [U0BOSS, U0GUEST]', { users: { U0GUEST: { guest: 'single_channel' } } });
    await clickPause(h, ts, group.id, 'U0GUEST');
    await expectPaused(h, group.id, 'U0GUEST');
  });

  it('a guest who is an operator only through a user group is refused; a member of that group who is no guest may pause', async () => {
    const { h, ts, group } = await start('access:\n  operators: [S0ADS]', {
      userGroups: { S0ADS: ['U0GUEST', 'U0MARIA'] },
      users: { U0GUEST: { guest: 'multi_channel' } },
    });
    const answer = await clickPause(h, ts, group.id, 'U0GUEST');
    expect(answer).toContain('Those who may act: <!subteam^S0ADS>');
    expect(answer).toContain('add your user id to `access.operators` in ads-bot.yml');
    await expectRefused(h, group.id, REFUSAL_DETAIL.guest);

    await clickPause(h, ts, group.id, 'U0MARIA');
    await expectPaused(h, group.id, 'U0MARIA', 1);
  });

  it('when Slack cannot say who is clicking (users.info fails), the click is refused and logged; the next one is asked again', async () => {
    const { h, ts, group } = await start();
    h.slack.failNext('users.info', 1, 'user_not_found');
    const answer = await clickPause(h, ts, group.id, 'U0MARIA');
    expect(answer).toContain('Slack could not tell me who you are');
    await expectRefused(h, group.id, REFUSAL_DETAIL.unverified);
    expect(warnings(h, 'users.info')).toHaveLength(1);

    await clickPause(h, ts, group.id, 'U0MARIA');
    await expectPaused(h, group.id, 'U0MARIA', 1);
  });
});

describe('saying who may act', () => {
  const EMPTY = 'access.operators is empty';

  it('with a real Whop key and no operators, the bot warns once at start: who may act and how to choose', async () => {
    harness = await Harness.start({ yaml: digestYaml() });
    const [warning, ...more] = warnings(harness, EMPTY);
    expect(more).toEqual([]);
    expect(warning!.msg).toContain('every member of this Slack workspace (not guests, not people of other organisations) may pause, unpause and change budgets');
    expect(warning!.msg).toContain('under access.operators in ads-bot.yml');
  });

  it.each([
    ['operators are set', { yaml: digestYaml('access:\n  operators: [U0BOSS]') }],
    ['the ads are the sandbox’s', { yaml: digestYaml(), env: { WHOP_SANDBOX: '1' } }],
  ])('no such warning when %s', async (_when, options: HarnessOptions) => {
    harness = await Harness.start(options);
    expect(warnings(harness, EMPTY)).toEqual([]);
    expect(harness.logs.some((line) => line.includes('bot listening'))).toBe(true);
  });
});
