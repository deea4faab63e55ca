import { clock } from '../../../blocks/format';
import { notAllowed } from '../../../blocks/notices';
import { actionWords, firingText } from '../../../blocks/rule-action';
import { actingRuleOf, completeApproved } from '../../automation/act';
import { applyStep } from '../../automation/firing-steps';
import { clickRequest } from '../action-request';
import type { BotDeps } from '../deps';
import { type ButtonArgs, type FiringClick, firingOf, gone, redrawFiring, refused, ruleDepsOf, tell } from './rule-firing';

/**
 * Approve on a rule's proposal: an operator's click (authorized from the request), taken once; the firing moves
 * from awaiting to acting for exactly one click, is re-checked (the condition, the entity as it is now, the
 * guardrails) and only then applied. Works from the alert or from App Home alike.
 */
export const onRuleApprove =
  (deps: BotDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const firing = await firingOf(deps, args);
    if (!firing) return tell(args, gone);
    const request = clickRequest(args.body, args.action);
    const who = request.who.userId;
    const alert = deps.settings.alerts.find((a) => a.channel === firing.channel && actingRuleOf(a.rules, firing.rule));
    const ran = await deps.actions.run<FiringClick>(request, {
      target: applyStep({ gateway: deps.gateway, limits: deps.limits }, firing, '').target,
      act: async () => {
        const now = deps.now();
        const current = (await deps.firings.get(firing.id)) ?? firing;
        const expired = current.state === 'expired' || (current.state === 'awaiting' && current.expiresAt !== null && current.expiresAt <= now);
        if (expired) {
          const at = current.expiresAt ? clock(current.expiresAt, deps.timeZone) : '';
          return refused(current, 'change_expired', `This request expired at ${at}: it can no longer be approved. Nothing was changed.`, 'approve: expired');
        }
        const moved = current.state === 'awaiting' ? await deps.firings.move(firing.id, ['awaiting'], 'acting', { actedBy: who, actedAt: now }) : undefined;
        if (!moved)
          return refused(current, 'change_used', `${firingText(current, deps.timeZone).replace(/^:[a-z_]+: /, '')} Nothing more was changed.`, 'approve: already answered');
        const { attempt, firing: after } = await completeApproved(ruleDepsOf(deps), alert, moved, who);
        return { ...attempt, result: { firing: after } };
      },
    });
    if (ran.status === 'repeat') return;
    if (ran.status === 'refused') return tell(args, notAllowed(ran.reason, 'approve what rules propose', deps.authz.operatorsMention()));
    const result = ran.attempt.result;
    if ('refusal' in result) return tell(args, result.refusal);
    await redrawFiring(deps, args, result.firing);
    const after = result.firing;
    if (after.state === 'done') return tell(args, `Done: ${actionWords(after, 'past', deps.timeZone)}.`);
    if (after.state === 'acting') return tell(args, 'Whop has not confirmed the change yet; the next alert check completes it. Nothing will be done twice.');
    return tell(args, `Not done: ${after.detail ?? 'Whop refused it'}. Nothing was changed.`);
  };
