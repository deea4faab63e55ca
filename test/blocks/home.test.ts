import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { auditPageModal, HOME_POST_DIGEST_ACTION, type HomeData, homeView, onboardingMessage, postDigestModal, statusMessage } from '../../blocks/home';
import { blocksChars, LIMITS } from '../../blocks/limits';
import { currencyOf } from '../../src/currency';
import { blocksAsText } from '../../src/demo/blocks-as-text';
import type { AuditEntry } from '../../src/store/types';
import { blockKitProblems, homeProblems, modalProblems } from '../support/block-kit-rules';

const NOW = new Date('2026-11-24T15:42:00Z');
const HOUR = 3_600_000;
const ACTIONS = { approve: 'rule_action.approve', skip: 'rule_action.skip' };
const long = (what: string) => `<!channel> ${what} & ${'w'.repeat(300)}`;

const auditRow = (i: number): AuditEntry => ({
  at: new Date(NOW.getTime() - i * HOUR),
  userId: `U0USER${i}`,
  action: 'ad_group.budget',
  entityKind: 'ad_group',
  entityId: `adgrp_${i}`,
  entityTitle: long(`group ${i}`),
  before: '100.00',
  after: '150.00',
  channel: 'C0DIGEST',
  messageTs: '1.1',
  outcome: i % 3 ? 'done' : 'refused',
  reason: i % 3 ? null : 'not_operator',
  detail: null,
});

/** 20 digests, 20 alert entries, 50 open alerts, 100 audit rows, 30 approvals and every title as long and hostile as can be. */
function bigSetup(mayAct: boolean): HomeData {
  const run = { job: 'j', startedAt: new Date(NOW.getTime() - HOUR), finishedAt: NOW, outcome: 'failed' as const, detail: long('Slack refused'), messageTs: null };
  return {
    now: NOW,
    timeZone: 'America/New_York',
    sandbox: true,
    accountId: 'biz_123',
    account: { name: 'default', choices: ['default'] },
    currency: currencyOf('usd'),
    whop: { reachable: false, since: new Date(NOW.getTime() - 5 * HOUR), reason: long('Whop 503') },
    problems: Array.from({ length: 40 }, (_, i) => `Channel C0CH${i} (digest) was not found: check its id in ads-bot.yml; if it is private, invite me with /invite @Whop Ads.`),
    digests: Array.from({ length: 20 }, (_, i) => ({ channel: `C0DIG${i}`, window: 'yesterday', schedule: 'weekdays at 9:00 America/New_York', next: NOW, last: run })),
    alerts: Array.from({ length: 20 }, (_, i) => ({
      channel: `C0ALR${i}`,
      schedule: 'every 15 minutes America/New_York',
      next: NOW,
      last: run,
      skipped: { roas: { min_spend: 3, min_impressions: 2 }, cost_per_result: { min_spend: 1 } },
    })),
    openAlerts: Array.from({ length: 50 }, (_, i) => ({
      channel: `C0ALR${i % 20}`,
      problem: { key: `k${i}`, rule: 'issue', message: long(`issue ${i}`), entities: [] },
      openedAt: NOW,
      snoozedUntil: i % 2 ? new Date(NOW.getTime() + HOUR) : null,
      untilRecovered: false,
      awaitingApproval: i % 5 === 0,
      link: `https://team.slack.com/archives/C0ALR${i % 20}/p17325400000001${i}`,
    })),
    approvals: mayAct
      ? Array.from({ length: 30 }, (_, i) => ({
          id: `C0ALR1:k${i}:2026-11-24T10:00:00.000Z`,
          channel: 'C0ALR1',
          entityTitle: long(`group ${i}`),
          entityId: `adgrp_${i}`,
          why: long('cost per result'),
          expiresAt: NOW,
        }))
      : [],
    audit: Array.from({ length: 100 }, (_, i) => auditRow(i)),
    moreAudit: true,
    operators: Array.from({ length: 30 }, (_, i) => (i % 2 ? `U0OP${i}` : `S0GR${i}`)),
    mayAct,
    guidedStart: true,
    rulesToSimulate: true,
  };
}

describe('App Home for a large setup', () => {
  it('stays within Slack limits, lists every digest and alert entry, and counts what it leaves out (open alerts past 30, approvals past 10, audit rows past 10)', () => {
    const view = homeView(bigSetup(true), ACTIONS);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerHome);
    expect(homeProblems(view)).toEqual([]);
    const text = blocksAsText(view.blocks);
    for (let i = 0; i < 20; i++) {
      expect(text).toContain(`<#C0DIG${i}>`);
      expect(text).toContain(`<#C0ALR${i}>`);
    }
    expect(text).toContain('and 20 more open alerts: each is in its channel');
    expect(text).toContain('and 20 more awaiting approval: Approve or Skip them on their alerts');
    expect(text).toContain('and 30 more setup problems: each is a warning line in the log');
    expect(text).toContain('[ Older actions ]');
    expect(JSON.stringify(view.blocks)).not.toContain('<!channel>');
    expect(view.blocks.filter((b) => b.type === 'actions' && JSON.stringify(b).includes(ACTIONS.approve))).toHaveLength(10);
  });

  it('with 30 accounts: a button for each (the shown one marked), names it and its Home, and still fits Slack', () => {
    const choices = Array.from({ length: 30 }, (_, i) => `client-${i}`);
    const view = homeView({ ...bigSetup(true), account: { name: 'client-7', choices } }, ACTIONS);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerHome);
    expect(homeProblems(view)).toEqual([]);
    expect(view.private_metadata).toBe('client-7');
    const pickers = view.blocks.filter((b) => b.type === 'actions' && JSON.stringify(b).includes('home.account:'));
    expect(pickers.map((b) => (b as { elements: unknown[] }).elements.length)).toEqual([25, 5]);
    expect(JSON.stringify(pickers)).toContain('"text":"• client-7"');
    expect(JSON.stringify(view.blocks)).toContain('*Account* *client-7* · `biz_123`');
    // `/ads status` answers for one account and offers no buttons.
    expect(JSON.stringify(statusMessage({ ...bigSetup(true), account: { name: 'client-7', choices } }).blocks)).not.toContain('home.account:');
  });

  it('for someone who may not act: no Approve, Skip or Post a digest now, whatever the data holds', () => {
    const data = { ...bigSetup(true), mayAct: false };
    const json = JSON.stringify(homeView(data, ACTIONS).blocks);
    expect(json).not.toContain(ACTIONS.approve);
    expect(json).not.toContain(ACTIONS.skip);
    expect(json).not.toContain(HOME_POST_DIGEST_ACTION);
    expect(blocksAsText(homeView(data, ACTIONS).blocks)).toContain('You can look but not act here');
  });

  it('/ads status fits one message: 50 blocks, the whole-message character budget, no buttons', () => {
    const message = statusMessage(bigSetup(true));
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(blocksChars(message.blocks)).toBeLessThanOrEqual(LIMITS.messageBlocksChars);
    expect(blockKitProblems(message.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(message.blocks)).not.toContain('action_id');
    expect(blocksAsText(message.blocks)).toContain('and 35 more setup problems');
    expect(blocksAsText(message.blocks)).toContain('and 12 more digests: ads-bot.yml lists them all');
    expect(blocksAsText(message.blocks)).toContain('and 40 more open alerts: each is in its channel');
  });
});

describe('a rule in the audit log', () => {
  it('is named as the rule on Home, in /ads status and in Older actions, never as a mention of a user that does not exist', () => {
    const ruleRow = { ...auditRow(1), userId: 'rule:cost_per_result_above', entityTitle: 'Broad' };
    const data = { ...bigSetup(true), audit: [ruleRow] };
    for (const blocks of [homeView(data, ACTIONS).blocks, statusMessage(data).blocks, auditPageModal([ruleRow], 0, false, 'America/New_York', 'default').blocks]) {
      const text = blocksAsText(blocks as KnownBlock[]);
      expect(text).toContain('the `cost_per_result_above` rule · `ad_group.budget` Broad');
      expect(JSON.stringify(blocks)).not.toContain('<@rule:');
    }
  });
});

describe('the forms and the onboarding message', () => {
  it('Post a digest now lists configured channels (at most 100) with all four windows; none configured says how', () => {
    const channels = Array.from({ length: 150 }, (_, i) => ({ id: `C0CH${i}`, name: i % 2 ? `ads-${i}` : null }));
    const form = postDigestModal(channels);
    expect(modalProblems(form)).toEqual([]);
    const text = JSON.stringify(form.blocks);
    expect(text).toContain('"#ads-1"');
    expect(text).toContain('"C0CH0"');
    expect(text).not.toContain('C0CH100');
    expect(modalProblems(postDigestModal([]))).toEqual([]);
    expect(JSON.stringify(postDigestModal([]).blocks)).toContain('No channel is configured yet');
  });

  it('onboarding names what it posts, escaped, or says how to configure the channel', () => {
    const message = onboardingMessage('C0X', [{ window: 'yesterday', schedule: 'weekdays at 9:00 <UTC>' }], [{ schedule: 'every 15 minutes UTC' }], []);
    expect(blocksAsText(message.blocks as KnownBlock[])).toContain('a digest of yesterday, weekdays at 9:00 <UTC>');
    expect(JSON.stringify(message.blocks)).toContain('&lt;UTC&gt;');
    expect(message.text.length).toBeLessThanOrEqual(300);
    expect(onboardingMessage('C0X', [], [], []).text).toContain('add C0X under digests: or alerts:');
    const summary = onboardingMessage('C0X', [], [], [{ window: 'yesterday', schedule: 'weekdays at 8:00 UTC' }]);
    expect(blocksAsText(summary.blocks as KnownBlock[])).toContain('a summary across accounts of yesterday, weekdays at 8:00 UTC');
  });
});
