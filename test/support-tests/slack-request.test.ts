import { createHmac } from 'node:crypto';
import { verifySlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { blockActionPayload, blockActionsBody, signSlackRequest, slashCommandBody, viewSubmissionPayload } from '../support/slack-request';
import { APP_ID, TEAM } from '../support/test-workspace';

// The worked example from Slack's "Verifying requests from Slack" guide.
const DOCS = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
    '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com' +
    '%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('signSlackRequest', () => {
  it("reproduces the signature in Slack's documentation", () => {
    const headers = signSlackRequest(DOCS.secret, DOCS.body, DOCS.timestamp);
    const byFormula = `v0=${createHmac('sha256', DOCS.secret).update(`v0:${DOCS.timestamp}:${DOCS.body}`).digest('hex')}`;
    expect(byFormula).toBe(DOCS.signature);
    expect(headers).toEqual({
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': DOCS.signature,
    });
  });

  it("passes Bolt's own verification and sends events as JSON", () => {
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'app_mention' } });
    const headers = signSlackRequest('s3cret', body);
    expect(headers['Content-Type']).toBe('application/json');
    expect(() =>
      verifySlackRequest({
        signingSecret: 's3cret',
        body,
        headers: {
          'x-slack-signature': headers['X-Slack-Signature'],
          'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
        },
      }),
    ).not.toThrow();
  });
});

describe('request bodies', () => {
  it('fills in the fields Slack sends with a slash command', () => {
    const form = new URLSearchParams(slashCommandBody({ command: '/ads', text: 'digest now', response_url: 'http://127.0.0.1:1/response/1' }));
    expect(Object.fromEntries(form)).toMatchObject({
      command: '/ads',
      text: 'digest now',
      team_id: TEAM.id,
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: 'http://127.0.0.1:1/response/1',
      user_id: expect.stringMatching(/^U/),
      channel_id: expect.stringMatching(/^C/),
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
    });
  });

  it('builds a block_actions payload from the clicked button in a message', () => {
    const message = {
      ts: '1732540000.000100',
      text: 'Spring sale',
      blocks: [
        {
          type: 'section',
          block_id: 'adgrp_1',
          text: { type: 'mrkdwn', text: '*Spring sale*' },
          accessory: { type: 'button', action_id: 'ad_group.pause', value: 'adgrp_1', text: { type: 'plain_text', text: 'Pause' } },
        },
      ],
    };
    const payload = blockActionPayload({
      user: 'U0ALICE',
      channel: 'C0ADS',
      message,
      action: { action_id: 'ad_group.pause' },
      response_url: 'http://127.0.0.1:1/response/2',
    });
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', team_id: TEAM.id },
      container: { type: 'message', message_ts: message.ts, channel_id: 'C0ADS', is_ephemeral: false },
      channel: { id: 'C0ADS' },
      message: { ts: message.ts, blocks: message.blocks },
      actions: [{ action_id: 'ad_group.pause', block_id: 'adgrp_1', value: 'adgrp_1', type: 'button', text: { text: 'Pause' } }],
    });
    const decoded = new URLSearchParams(blockActionsBody(payload)).get('payload');
    expect(JSON.parse(decoded ?? '')).toEqual(payload);
  });

  it('a click on a thread reply carries the parent’s ts as thread_ts, as Slack sends it', () => {
    const payload = blockActionPayload({
      user: 'U0ALICE',
      channel: 'C0ADS',
      message: { ts: '1732540000.000300', thread_ts: '1732540000.000100', blocks: [] },
      action: { action_id: 'ad.pause', block_id: 'row', value: 'ad_1' },
      response_url: 'http://127.0.0.1:1/response/3',
    });
    expect(payload).toMatchObject({
      container: { message_ts: '1732540000.000300', thread_ts: '1732540000.000100' },
      message: { ts: '1732540000.000300', thread_ts: '1732540000.000100' },
    });
  });

  it('a click from elsewhere carries that team, organisation and user.team_id, as Slack sends them', () => {
    const base = {
      user: 'U0ALICE',
      channel: 'C0ADS',
      message: { ts: '1.000001', blocks: [] },
      action: { action_id: 'ad.pause', block_id: 'row', value: 'ad_1' },
      response_url: 'http://127.0.0.1:1/response/4',
    };
    expect(blockActionPayload(base)).toMatchObject({ team: { id: TEAM.id }, enterprise: null, user: { team_id: TEAM.id } });
    expect(blockActionPayload({ ...base, from: { userTeamId: 'T0OTHER' } })).toMatchObject({ team: { id: TEAM.id }, user: { team_id: 'T0OTHER' } });
    // Enterprise Grid: user.team_id is the organisation's E… id.
    const grid = blockActionPayload({ ...base, from: { enterprise: { id: 'E0ORG', name: 'Org' } } });
    expect(grid).toMatchObject({ team: { id: TEAM.id, enterprise_id: 'E0ORG' }, enterprise: { id: 'E0ORG' }, user: { team_id: 'E0ORG' } });
    const view = viewSubmissionPayload({ user: 'U0ALICE', view: { id: 'V1' }, values: {}, from: { teamId: 'T0OTHER' } });
    expect(view).toMatchObject({ team: { id: 'T0OTHER' }, user: { team_id: 'T0OTHER' }, enterprise: null });
  });

  it('refuses to click a button the message does not have', () => {
    expect(() =>
      blockActionPayload({
        user: 'U0ALICE',
        channel: 'C0ADS',
        message: { ts: '1.000001', blocks: [] },
        action: { action_id: 'ad.pause' },
        response_url: 'http://127.0.0.1:1/response/3',
      }),
    ).toThrow(/no element with action_id ad.pause/);
  });

  it('builds a view_submission payload carrying the state values', () => {
    const values = { budget: { amount: { type: 'number_input', value: '125.50' } } };
    const payload = viewSubmissionPayload({
      user: 'U0ALICE',
      view: { id: 'V00000001', callback_id: 'ad_group.budget', private_metadata: 'adgrp_1' },
      values,
    });
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: 'U0ALICE' },
      view: { id: 'V00000001', callback_id: 'ad_group.budget', private_metadata: 'adgrp_1', state: { values } },
    });
  });
});
