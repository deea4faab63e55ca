import { notAllowed } from '../../../blocks/notices';
import { actionWords, notUndone, type UndoNote } from '../../../blocks/rule-action';
import { reverseStep } from '../../automation/firing-steps';
import { changedSince, firingMark } from '../../automation/rule-deps';
import { clickRequest } from '../action-request';
import type { BotDeps } from '../deps';
import { type ButtonArgs, type FiringClick, firingOf, gone, redrawFiring, refused, tell } from './rule-firing';

/**
 * Undo of what a rule did (by itself or approved): operators only; refused when anyone changed the entity since,
 * naming who, so a person's later change is never reverted by an old button.
 */
export const onRuleUndo =
  (deps: BotDeps) =>
  async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const firing = await firingOf(deps, args);
    if (!firing) return tell(args, gone);
    const request = clickRequest(args.body, args.action);
    const step = reverseStep({ gateway: deps.gateway, limits: deps.limits }, firing, `undo: ${firingMark(firing)}`);
    const ran = await deps.actions.run<FiringClick>(request, {
      target: step.target,
      act: async () => {
        const current = await deps.firings.get(firing.id);
        if (current?.state !== 'done') return refused(firing, 'change_used', 'This was undone or put back already. Nothing was changed.', 'undo: not done');
        const by = await changedSince(deps.audit, current);
        if (by)
          return refused(current, 'moved_on', notUndone({ userId: by.userId, action: by.action, at: by.at }, null, deps.timeZone), `undo: ${firingMark(current)}: changed since`);
        const attempt = await reverseStep({ gateway: deps.gateway, limits: deps.limits }, current, `undo: ${firingMark(current)}`).act();
        const effect = attempt.result;
        if (effect.kind === 'done' || effect.kind === 'already') {
          const note: UndoNote = { by: request.who.userId, at: deps.now().toISOString() };
          const moved = await deps.firings.move(firing.id, ['done'], 'undone', { detail: JSON.stringify(note) });
          return { ...attempt, result: moved ? { firing: moved } : { refusal: 'This was undone or put back already. Nothing more was changed.' } };
        }
        if (effect.kind === 'moved_on') return { ...attempt, result: { refusal: notUndone(null, effect.now, deps.timeZone) } };
        const words = effect.kind === 'refused' ? effect.reason : effect.message;
        return {
          ...attempt,
          result: { refusal: `Not undone: ${words}.${effect.kind === 'unsure' ? ' Whop may have applied it; check before trying again.' : ' Nothing was changed.'}` },
        };
      },
    });
    if (ran.status === 'repeat') return;
    if (ran.status === 'refused') return tell(args, notAllowed(ran.reason, 'undo what rules did', deps.authz.operatorsMention()));
    const result = ran.attempt.result;
    if ('refusal' in result) return tell(args, result.refusal);
    await redrawFiring(deps, args, result.firing);
    await tell(args, `Undone: ${actionWords(result.firing, 'past', deps.timeZone)} is put back.`);
  };
