import { createHash } from 'node:crypto';
import type { BlockAction, ButtonAction } from '@slack/bolt';

const hash = (parts: ReadonlyArray<string | undefined>) => createHash('sha256').update(parts.join('|')).digest('hex');

/** One key per click: Slack's retries repeat it exactly, a second click has its own action_ts. */
export const clickKey = (body: BlockAction, action: ButtonAction): string =>
  hash([body.team?.id, body.channel?.id, body.message?.ts, action.action_id, action.value, action.action_ts, body.user.id]);

/** One key per slash command: Slack gives each invocation its own trigger_id, and a retry repeats it. */
export const commandKey = (triggerId: string): string => hash(['command', triggerId]);

/**
 * One key per form submission: a second Save of the same form with the same values repeats it (Slack keeps
 * the view's id and hash until the bot updates the form); a corrected value after an inline error does not.
 */
export const submissionKey = (view: { id: string; hash: string; state: { values: unknown } }): string => hash(['view', view.id, view.hash, JSON.stringify(view.state.values)]);

/** The Idempotency-Key for one item of a click that acts on several (Pause all). */
export const itemKey = (click: string, id: string): string => hash([click, id]);
