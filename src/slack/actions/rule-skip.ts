import { notAllowed } from '../../../blocks/notices';
import { firingTarget } from '../../automation/rule-deps';
import { clickRequest } from '../action-request';
import type { BotDeps } from '../deps';
import { type ButtonArgs, type FiringClick, firingOf, gone, redrawFiring, refused, tell } from './rule-firing';

/** Skip on a rule's proposal: an operator's click turns it down for good; the alert says who, in place. */
export const onRuleSkip =
  (deps: BotDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const firing = await firingOf(deps, args);
    if (!firing) return tell(args, gone);
    const request = clickRequest(args.body, args.action);
    const ran = await deps.actions.run<FiringClick>(request, {
      target: firingTarget('rule_action.skip', firing),
      act: async () => {
        const moved = await deps.firings.move(firing.id, ['awaiting'], 'skipped', { actedBy: request.who.userId, actedAt: deps.now() });
        if (!moved) return refused(firing, 'change_used', 'This request was answered already or expired. Nothing was changed.', 'skip: not awaiting');
        return { outcome: 'done', reason: null, title: firing.entityTitle, before: 'awaiting', after: 'skipped', detail: null, result: { firing: moved } };
      },
    });
    if (ran.status === 'repeat') return;
    if (ran.status === 'refused') return tell(args, notAllowed(ran.reason, 'answer what rules propose', deps.authz.operatorsMention()));
    const result = ran.attempt.result;
    if ('refusal' in result) return tell(args, result.refusal);
    await redrawFiring(deps, args, result.firing);
    await tell(args, 'Skipped: the rule does nothing about it. Nothing was changed.');
  };
