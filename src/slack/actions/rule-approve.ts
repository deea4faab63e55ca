import { clock } from '../../../blocks/format';
import { actionWords, firingText } from '../../../blocks/rule-action';
import { actingRuleOf, completeApproved } from '../../automation/act';
import { applyStep } from '../../automation/firing-steps';
import { openingStands } from '../../automation/rule-deps';
import type { Firing } from '../../store/types';
import type { BotDeps } from '../deps';
import { firingButton, refused, ruleDepsOf } from './rule-firing';

function answer(deps: BotDeps, after: Firing): string {
  if (after.state === 'done') return `Done: ${actionWords(after, 'past', deps.timeZone)}.`;
  if (after.state === 'acting') return 'Whop has not confirmed the change yet; the next alert check completes it. Nothing will be done twice.';
  return `Not done: ${after.detail ?? 'Whop refused it'}. Nothing was changed.`;
}

/**
 * Approve on a rule's proposal: an operator's click (authorized from the request), taken once; the firing moves
 * from awaiting to acting for exactly one click, is re-checked (the condition, the entity as it is now, the
 * guardrails) and only then applied. Works from the alert or from App Home alike.
 */
export const onRuleApprove = (deps: BotDeps) =>
  firingButton(
    deps,
    'approve what rules propose',
    (firing, request) => ({
      target: applyStep({ gateway: deps.gateway, limits: deps.limits }, firing, '').target,
      act: async () => {
        const now = deps.now();
        const current = (await deps.firings.get(firing.id)) ?? firing;
        const expired = current.state === 'expired' || (current.state === 'awaiting' && current.expiresAt !== null && current.expiresAt <= now);
        if (expired) {
          const at = current.expiresAt ? clock(current.expiresAt, deps.timeZone) : '';
          return refused(current, 'change_expired', `This request expired at ${at}: it can no longer be approved. Nothing was changed.`, 'approve: expired');
        }
        // Its alert resolved or opened again (with a request of its own) since: the next check expires it; until then it is over too.
        if (current.state === 'awaiting' && !(await openingStands(deps.alerts, current)))
          return refused(
            current,
            'change_expired',
            'This request no longer stands: its alert resolved or opened again since. It can no longer be approved. Nothing was changed.',
            'approve: alert no longer open',
          );
        const moved = current.state === 'awaiting' ? await deps.firings.move(firing.id, ['awaiting'], 'acting', { actedBy: request.who.userId, actedAt: now }) : undefined;
        if (!moved) {
          // The line as the alert shows it, without its emoji, as a sentence of its own (a done line ends with the rule's name).
          const said = firingText(current, deps.timeZone)
            .replace(/^:[a-z_]+: /, '')
            .replace(/\.?$/, '.');
          return refused(current, 'change_used', `${said} Nothing more was changed.`, 'approve: already answered');
        }
        const alert = deps.settings.alerts.find((a) => a.channel === firing.channel && actingRuleOf(a.rules, firing.rule));
        const { attempt, firing: after } = await completeApproved(ruleDepsOf(deps), alert, moved, request.who.userId);
        return { ...attempt, result: { firing: after } };
      },
    }),
    (after) => answer(deps, after),
  );
