import type { BlockAction, ButtonAction, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import type { ActionRequest } from '../actions/request';
import type { Requester } from './authz';
import { clickKey, commandKey, submissionKey } from './request-keys';

/** Who clicked or submitted: the user, their own team (a Slack Connect guest's differs from the channel's), the enterprise. */
function requesterOf(body: BlockAction | ViewSubmitAction): Requester {
  const user = body.user as { id: string; team_id?: string };
  return { userId: user.id, teamId: user.team_id ?? body.team?.id ?? null, enterpriseId: body.enterprise?.id ?? null };
}

export const clickRequest = (body: BlockAction, action: ButtonAction): ActionRequest => ({
  who: requesterOf(body),
  key: clickKey(body, action),
  channel: body.channel?.id ?? null,
  messageTs: body.message?.ts ?? null,
});

export function commandRequest(command: SlashCommand): ActionRequest {
  const own = command as SlashCommand & { user_team_id?: string };
  return {
    who: { userId: command.user_id, teamId: own.user_team_id ?? command.team_id ?? null, enterpriseId: command.enterprise_id ?? null },
    key: commandKey(command.trigger_id),
    channel: command.channel_id,
    messageTs: null,
  };
}

/** `where`: the message the form was opened from, as the bot stored it when it opened the form. */
export const submissionRequest = (body: ViewSubmitAction, where: { channel: string | null; messageTs: string | null }): ActionRequest => ({
  who: requesterOf(body),
  key: submissionKey(body.view),
  ...where,
});
