import type { BlockAction, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import type { Requester } from './authz';

const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

/**
 * Who sent a click, a form or a command, from the fields Slack signs: the user, the workspace and organisation
 * the request came from, and (interactivity only) the user's own team.
 */
export function requesterOf(payload: BlockAction | ViewSubmitAction | SlashCommand): Requester {
  if ('user_id' in payload) {
    return { userId: payload.user_id, teamId: orNull(payload.team_id), enterpriseId: orNull(payload.enterprise_id), userTeamId: null };
  }
  return {
    userId: payload.user.id,
    teamId: orNull(payload.team?.id),
    enterpriseId: orNull(payload.enterprise?.id ?? payload.team?.enterprise_id),
    userTeamId: orNull(payload.user.team_id),
  };
}

/** Who an Events API event is about, from its envelope's workspace and organisation (events name no user team). */
export function requesterOfEvent(envelope: { team_id?: string; enterprise_id?: string }, userId: string): Requester {
  return { userId, teamId: orNull(envelope.team_id), enterpriseId: orNull(envelope.enterprise_id), userTeamId: null };
}
