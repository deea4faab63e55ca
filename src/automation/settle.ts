// What each alert check (and the revert job) finishes before anything new: requests past their time expire,
// actions a crash left unconfirmed or untold are completed (never made twice), and time-boxed changes are put back.
import type { WebClient } from '@slack/web-api';
import { notRevertedReply, revertedReply } from '../../blocks/rule-action';
import type { AlertSettings } from '../config';
import type { Firing } from '../store/types';
import { actingRuleOf, applyAuto, completeApproved } from './act';
import { postUntold, showFiring } from './firing-message';
import { reverseStep } from './firing-steps';
import { changedSince, firingMark, firingTarget, openingStands, patchFiring, type RuleDeps, ruleRequest } from './rule-deps';

export type SettleDeps = RuleDeps & { slack: WebClient };

/** Expires an unanswered request: one audit row, and the alert says so in place. */
async function expire(deps: SettleDeps, firing: Firing): Promise<void> {
  const attempt = await deps.actions.runAsRule(ruleRequest(firing, 'expire'), {
    target: firingTarget('rule_action.expire', firing),
    act: async () => {
      const moved = await deps.firings.move(firing.id, ['awaiting'], 'expired');
      return { outcome: moved ? 'done' : 'already', reason: null, title: firing.entityTitle, before: 'awaiting', after: 'expired', detail: firingMark(firing), result: moved };
    },
  });
  if (attempt.result) await showFiring(deps, attempt.result);
}

/**
 * The channel's firings left unfinished, finished: expiry, actions to confirm, alerts to post. Answers the alert
 * keys whose action is still untold (Slack did not take the post): the check leaves those alone until it does.
 */
export async function settleFirings(deps: SettleDeps, alert: AlertSettings): Promise<Set<string>> {
  const untold = new Set<string>();
  const now = deps.now();
  for (const firing of await deps.firings.unfinished(alert.channel)) {
    try {
      let current = firing;
      if (current.state === 'awaiting') {
        if ((current.expiresAt && current.expiresAt <= now) || !(await openingStands(deps.alerts, current))) await expire(deps, current);
        continue;
      }
      if (current.state === 'acting') {
        current =
          current.mode === 'auto'
            ? await applyAuto(deps, current, actingRuleOf(alert.rules, current.rule))
            : (
                await deps.actions.runAsRule(ruleRequest(current, 'approve'), {
                  target: { action: `${current.entityKind}.rule`, entityKind: current.entityKind, entityId: current.entityId },
                  act: async () => {
                    // Read again under the lock: the Approve click that moved it may be completing it right now.
                    const fresh = (await deps.firings.get(firing.id)) ?? current;
                    if (fresh.state !== 'acting')
                      return {
                        outcome: 'already',
                        reason: null,
                        title: fresh.entityTitle,
                        before: null,
                        after: null,
                        detail: `${firingMark(fresh)}: completed elsewhere`,
                        result: fresh,
                      };
                    const { attempt, firing: done } = await completeApproved(deps, alert, fresh, fresh.actedBy ?? 'rule');
                    return { ...attempt, result: done };
                  },
                })
              ).result;
        if (current.messageTs) await showFiring(deps, current);
      }
      if (current.state === 'done' && !current.messageTs) {
        untold.add(current.alertKey);
        await postUntold(deps, current);
        untold.delete(current.alertKey);
      }
    } catch (err) {
      deps.log.warn({ err, firing: firing.id }, 'unfinished rule firing left for the next check');
    }
  }
  await revertDue(deps, alert.channel);
  return untold;
}

/** The thread an alert's replies go to: its grouped message's, or its own. */
async function threadOf(deps: SettleDeps, firing: Firing): Promise<string | null> {
  const record = await deps.alerts.get(firing.channel, firing.alertKey);
  return record?.ts ? (record.groupTs ?? record.ts) : firing.messageTs;
}

/**
 * Puts back what time-boxed firings changed (revert_after_hours, pause_until) once due: only while the entity is
 * as the rule left it, else someone's change wins and the thread says who. `channel`: only its firings.
 */
export async function revertDue(deps: SettleDeps, channel?: string): Promise<void> {
  const now = deps.now();
  for (const due of await deps.firings.dueReverts(now)) {
    if (channel !== undefined && due.channel !== channel) continue;
    try {
      const step = reverseStep({ gateway: deps.gateway, limits: deps.settings.budget }, due, `revert: ${firingMark(due)}`);
      const attempt = await deps.actions.runAsRule(ruleRequest(due, 'revert'), {
        target: step.target,
        act: async () => {
          const current = await deps.firings.get(due.id);
          if (current?.state !== 'done' || !current.revertAt)
            return { outcome: 'already', reason: null, title: due.entityTitle, before: null, after: null, detail: `revert: ${firingMark(due)}: done elsewhere`, result: null };
          return step.act();
        },
      });
      const effect = attempt.result;
      if (!effect || effect.kind === 'failed' || effect.kind === 'unsure') continue;
      const thread = await threadOf(deps, due);
      if (effect.kind === 'done' || effect.kind === 'already') {
        const reverted = await deps.firings.move(due.id, ['done'], 'reverted');
        if (!reverted) continue;
        if (thread) await deps.slack.chat.postMessage({ channel: due.channel, thread_ts: thread, text: revertedReply(reverted, now, deps.timeZone) });
        await showFiring(deps, reverted);
        continue;
      }
      const cleared = await patchFiring(deps.firings, due.id, { revertAt: null });
      if (!cleared) continue;
      const by = await changedSince(deps.audit, due);
      const seenNow = effect.kind === 'moved_on' ? effect.now : null;
      if (thread)
        await deps.slack.chat.postMessage({
          channel: due.channel,
          thread_ts: thread,
          text: notRevertedReply(due, by ? { userId: by.userId, at: by.at } : null, seenNow, deps.timeZone),
        });
      await showFiring(deps, cleared);
    } catch (err) {
      deps.log.warn({ err, firing: due.id }, 'revert left for the next pass');
    }
  }
}
