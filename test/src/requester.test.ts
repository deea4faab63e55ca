import type { BlockAction, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { requesterOf } from '../../src/slack/requester';
import { blockActionPayload, slashCommandBody, viewSubmissionPayload } from '../support/slack-request';

const click = (from?: Parameters<typeof blockActionPayload>[0]['from']) =>
  blockActionPayload({
    user: 'U0ALICE',
    channel: 'C0ADS',
    message: { ts: '1.000001', blocks: [] },
    action: { action_id: 'ad.pause', block_id: 'row', value: 'ad_1' },
    response_url: 'http://127.0.0.1:1/response/1',
    from,
  }) as unknown as BlockAction;

describe('who sent a request, read from the request itself', () => {
  it('a click: the user, the workspace, the organisation and the user’s own team', () => {
    expect(requesterOf(click())).toEqual({ userId: 'U0ALICE', teamId: 'T0TEST', enterpriseId: null, userTeamId: 'T0TEST' });
    expect(requesterOf(click({ userTeamId: 'T0OTHER' }))).toMatchObject({ teamId: 'T0TEST', userTeamId: 'T0OTHER' });
    expect(requesterOf(click({ enterprise: { id: 'E0ORG', name: 'Org' } }))).toMatchObject({ enterpriseId: 'E0ORG', userTeamId: 'E0ORG' });
  });

  it('the organisation from team.enterprise_id when the payload has no enterprise object', () => {
    const payload = click({ enterprise: { id: 'E0ORG', name: 'Org' } });
    expect(requesterOf({ ...payload, enterprise: undefined })).toMatchObject({ enterpriseId: 'E0ORG' });
  });

  it('a form submission', () => {
    const payload = viewSubmissionPayload({ user: 'U0BOB', view: { id: 'V1' }, values: {}, from: { teamId: 'T0OTHER' } }) as unknown as ViewSubmitAction;
    expect(requesterOf(payload)).toEqual({ userId: 'U0BOB', teamId: 'T0OTHER', enterpriseId: null, userTeamId: 'T0OTHER' });
  });

  it('a slash command, which carries no user.team_id; an empty enterprise_id is none', () => {
    const form = new URLSearchParams(slashCommandBody({ command: '/adgroup', response_url: 'http://127.0.0.1:1/r', user_id: 'W0BOB', enterprise_id: '' }));
    const command = Object.fromEntries(form) as unknown as SlashCommand;
    expect(requesterOf(command)).toEqual({ userId: 'W0BOB', teamId: 'T0TEST', enterpriseId: null, userTeamId: null });
  });
});
