import { firingTarget } from '../../automation/rule-deps';
import type { BotDeps } from '../deps';
import { firingButton, refused } from './rule-firing';

/** Skip on a rule's proposal: an operator's click turns it down for good; the alert says who, in place. */
export const onRuleSkip = (deps: BotDeps) =>
  firingButton(
    deps,
    'answer what rules propose',
    (firing, request) => ({
      target: firingTarget('rule_action.skip', firing),
      act: async () => {
        const moved = await deps.firings.move(firing.id, ['awaiting'], 'skipped', { actedBy: request.who.userId, actedAt: deps.now() });
        if (!moved) return refused(firing, 'change_used', 'This request was answered already or expired. Nothing was changed.', 'skip: not awaiting');
        return { outcome: 'done', reason: null, title: firing.entityTitle, before: 'awaiting', after: 'skipped', detail: null, result: { firing: moved } };
      },
    }),
    () => 'Skipped: the rule does nothing about it. Nothing was changed.',
  );
