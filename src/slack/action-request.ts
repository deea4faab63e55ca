import type { BlockAction, ButtonAction, SlashCommand, ViewSubmitAction } from '@slack/bolt';
import type { ActionRequest } from '../actions/request';
import { clickKey, commandKey, submissionKey } from './request-keys';
import { requesterOf } from './requester';

/** A click, as the action pipeline takes it: who clicked, read from the request itself, and the click's own key. */
export const clickRequest = (body: BlockAction, action: ButtonAction): ActionRequest => ({
  who: requesterOf(body),
  key: clickKey(body, action),
  channel: body.channel?.id ?? null,
  messageTs: body.message?.ts ?? null,
});

export const commandRequest = (command: SlashCommand): ActionRequest => ({
  who: requesterOf(command),
  key: commandKey(command.trigger_id),
  channel: command.channel_id,
  messageTs: null,
});

/** `where`: the message the form was opened from, as the bot stored it when it opened the form. */
export const submissionRequest = (body: ViewSubmitAction, where: { channel: string | null; messageTs: string | null }): ActionRequest => ({
  who: requesterOf(body),
  key: submissionKey(body.view),
  ...where,
});
