import { actionWords, notUndone, type UndoNote } from '../../../blocks/rule-action';
import { reverseStep } from '../../automation/firing-steps';
import { changedSince, firingMark } from '../../automation/rule-deps';
import type { BotDeps } from '../deps';
import { firingButton, refused } from './rule-firing';

/**
 * Undo of what a rule did (by itself or approved): operators only; refused when anyone changed the entity since,
 * naming who, so a person's later change is never reverted by an old button.
 */
export const onRuleUndo = (deps: BotDeps) =>
  firingButton(
    deps,
    'undo what rules did',
    (firing, request) => {
      const stepDeps = { gateway: deps.gateway, limits: deps.limits };
      return {
        target: reverseStep(stepDeps, firing, '').target,
        act: async () => {
          const current = await deps.firings.get(firing.id);
          if (current?.state !== 'done') return refused(firing, 'change_used', 'This was undone or put back already. Nothing was changed.', 'undo: not done');
          const by = await changedSince(deps.audit, current);
          if (by)
            return refused(current, 'moved_on', notUndone({ userId: by.userId, action: by.action, at: by.at }, null, deps.timeZone), `undo: ${firingMark(current)}: changed since`);
          const attempt = await reverseStep(stepDeps, current, `undo: ${firingMark(current)}`).act();
          const effect = attempt.result;
          if (effect.kind === 'done' || effect.kind === 'already') {
            const note: UndoNote = { by: request.who.userId, at: deps.now().toISOString() };
            const moved = await deps.firings.move(firing.id, ['done'], 'undone', { detail: JSON.stringify(note) });
            return { ...attempt, result: moved ? { firing: moved } : { refusal: 'This was undone or put back already. Nothing more was changed.' } };
          }
          if (effect.kind === 'moved_on') return { ...attempt, result: { refusal: notUndone(null, effect.now, deps.timeZone) } };
          const words = effect.kind === 'refused' ? effect.reason : effect.message;
          const tail = effect.kind === 'unsure' ? ' Whop may have applied it; check before trying again.' : ' Nothing was changed.';
          return { ...attempt, result: { refusal: `Not undone: ${words}.${tail}` } };
        },
      };
    },
    (after) => `Undone: ${actionWords(after, 'past', deps.timeZone)} is put back.`,
  );
