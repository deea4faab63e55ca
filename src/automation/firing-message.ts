// Where a firing is told: its line in the alert, redrawn in place whatever its state (from the check, the revert
// job or a click anywhere: a message, App Home), and the alert itself when a crash left an action untold.
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { updateRow } from '../../blocks/action-result';
import { alertMessage, problemLine } from '../../blocks/alert';
import { ruleLineBlocks, withRuleLine } from '../../blocks/rule-action';
import { firingIdOf, viewOf } from '../alerts/alert-view';
import type { Firing } from '../store/types';
import { alertLock, patchFiring, type RuleDeps } from './rule-deps';

/** What a toggle firing left the entity as: paused after a pause, active again once undone or put back. */
function statusShown(firing: Firing): string | null {
  if (firing.plan.kind !== 'toggle') return null;
  const after = firing.plan.verb === 'pause' ? 'paused' : 'active';
  const before = firing.plan.verb === 'pause' ? 'active' : 'paused';
  if (firing.state === 'done') return after;
  return firing.state === 'undone' || firing.state === 'reverted' ? before : null;
}

type MessageDeps = Pick<RuleDeps, 'alerts' | 'messages' | 'firings' | 'timeZone' | 'sandbox' | 'log'>;

/** The alert record of this very opening (not a later one under the same key). */
async function recordOf(deps: MessageDeps, firing: Firing) {
  const record = await deps.alerts.get(firing.channel, firing.alertKey);
  return record && firingIdOf(record) === firing.id ? record : undefined;
}

/**
 * Redraws the firing's line in its alert. `shown`: the message as a click carried it; without it (a click from App
 * Home, a check) the stored copy, or the alert drawn again from its record.
 */
export async function showFiring(deps: MessageDeps, firing: Firing, shown?: { blocks: KnownBlock[]; seenAt: Date; text?: string }): Promise<void> {
  if (!firing.messageTs) return;
  const record = await recordOf(deps, firing);
  const grouped = record?.groupTs != null ? record.key : undefined;
  const line = ruleLineBlocks({ firing }, deps.timeZone);
  const view = record ? viewOf(deps, record, { rule: { firing }, ...(record.state === 'resolved' && record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}) }) : undefined;
  const drawn = view ? (grouped ? problemLine(view) : alertMessage(view).blocks) : null;
  const blocks = shown?.blocks ?? drawn;
  // Nothing to draw the rest of the message from: leave it rather than replace it with the line alone.
  if (!blocks) return;
  const status = statusShown(firing);
  const entity = { kind: firing.entityKind, id: firing.entityId, title: firing.entityTitle, status: status ?? '' };
  await deps.messages.update({ channel: firing.channel, ts: firing.messageTs, text: shown?.text ?? 'Alert', blocks, seenAt: shown?.seenAt ?? new Date(0) }, (current) => {
    const lined = withRuleLine(current, line, grouped);
    // The alert's own row of the entity shows its status now, and the toggle that goes with it.
    return status ? updateRow(lined, { entity }) : lined;
  });
}

/**
 * A firing that acted but whose alert Slack never took (the process died between Whop and Slack, or Slack refused
 * the post): the alert is posted now, saying what the rule did, and the firing notes its message.
 */
export function postUntold(deps: MessageDeps & Pick<RuleDeps, 'locks'> & { slack: WebClient }, untold: Firing): Promise<void> {
  return deps.locks.run(alertLock(untold.channel, untold.alertKey), async () => {
    // Read again under the alert's lock: the check that fired it may just have posted it.
    const firing = await deps.firings.get(untold.id);
    if (!firing || firing.messageTs) return;
    await tell(deps, firing);
  });
}

async function tell(deps: MessageDeps & { slack: WebClient }, firing: Firing): Promise<void> {
  const record = await recordOf(deps, firing);
  if (record?.ts) {
    const told = await patchFiring(deps.firings, firing.id, { messageTs: record.ts });
    if (told) await showFiring(deps, told);
    return;
  }
  const message = record ? alertMessage(viewOf(deps, record, { rule: { firing } })) : { text: `The ${firing.rule} rule acted`, blocks: ruleLineBlocks({ firing }, deps.timeZone) };
  const posted = await deps.slack.chat.postMessage({ channel: firing.channel, ...message });
  // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
  const ts = posted.ts!;
  if (record) await deps.alerts.save({ ...record, ts });
  await patchFiring(deps.firings, firing.id, { messageTs: ts });
  deps.log.info({ firing: firing.id }, 'untold rule action posted');
}
