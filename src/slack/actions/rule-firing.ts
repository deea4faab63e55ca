// What the Approve, Skip and Undo buttons of a rule's firing share: the firing read from the store (the button
// carries only its id), the rule's dependencies from the bot's, the answer to the person, the alert redrawn.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { notAllowed } from '../../../blocks/notices';
import type { Attempt, Step } from '../../actions/pipeline';
import type { ActionRequest } from '../../actions/request';
import { showFiring } from '../../automation/firing-message';
import type { RuleDeps } from '../../automation/rule-deps';
import type { Firing } from '../../store/types';
import { clickRequest } from '../action-request';
import type { BotDeps } from '../deps';
import { publishHome } from '../home';
import { seenAt } from '../message-updates';
import { requesterOf } from '../requester';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export const ruleDepsOf = (deps: BotDeps): RuleDeps => deps;

/** What a click on a firing did: the firing as it is now, or why nothing was done, in words for the person. */
type FiringClick = { firing: Firing; said?: string } | { refusal: string };

export const refused = (firing: Firing, reason: Attempt<FiringClick>['reason'], refusal: string, detail: string): Attempt<FiringClick> => ({
  outcome: 'refused',
  reason,
  title: firing.entityTitle,
  before: firing.state,
  after: null,
  detail,
  result: { refusal },
});

/** An ephemeral answer where the click came from: a message's response_url; App Home has none, and its view shows the outcome. */
async function tell({ body, respond }: ButtonArgs, text: string): Promise<void> {
  if (body.response_url) await respond({ response_type: 'ephemeral', replace_original: false, text });
}

/** The firing a button names, read from the store; the button's value is its id and nothing else. */
async function firingOf(deps: BotDeps, args: ButtonArgs): Promise<Firing | undefined> {
  const id = args.action.value;
  return id ? deps.firings.get(id) : undefined;
}

/** Redraws the firing's line in its alert; from the clicked message's own copy when the click came from it. */
async function redrawFiring(deps: BotDeps, { body, action }: ButtonArgs, firing: Firing): Promise<void> {
  const fromAlert = body.message && body.channel?.id === firing.channel && body.message.ts === firing.messageTs;
  const shown = fromAlert ? { blocks: (body.message?.blocks ?? []) as KnownBlock[], seenAt: seenAt(action), text: body.message?.text ?? 'Alert' } : undefined;
  try {
    await showFiring(deps, firing, shown);
  } catch (err) {
    deps.log.warn({ err, firing: firing.id }, 'rule firing changed but its alert was not redrawn');
  }
}

const told = (answered: Promise<void>) => answered.then(() => true);

const gone = 'This request is no longer tracked (older than a month, or from another bot). Nothing was changed.';

/**
 * A button on a rule's firing, from any message or view: ack, read the firing its value names, run the step through
 * the pipeline (who, once, lock, act, audit: the click authorized from the request), redraw the alert, answer.
 * `doing`: what a refusal says the person may not do ("approve what rules propose").
 */
export function firingButton(deps: BotDeps, doing: string, stepOf: (firing: Firing, request: ActionRequest) => Step<FiringClick>, answer: (firing: Firing) => string) {
  /** Answers the click; false for a request Slack delivered before, which is answered already. */
  const click = async (args: ButtonArgs): Promise<boolean> => {
    const firing = await firingOf(deps, args);
    if (!firing) return told(tell(args, gone));
    const request = clickRequest(args.body, args.action);
    const ran = await deps.actions.run<FiringClick>(request, stepOf(firing, request));
    if (ran.status === 'repeat') return false;
    if (ran.status === 'refused') return told(tell(args, notAllowed(ran.reason, doing, deps.authz.operatorsMention())));
    const result = ran.attempt.result;
    if ('refusal' in result) return told(tell(args, result.refusal));
    await redrawFiring(deps, args, result.firing);
    return told(tell(args, answer(result.firing)));
  };
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    if (!(await click(args)) || args.body.view?.type !== 'home') return;
    await republishHome(deps, args);
  };
}

/** A click from App Home, which has no response_url: the clicker's Home drawn again is how they see what it did. */
async function republishHome(deps: BotDeps, { body, client }: ButtonArgs): Promise<void> {
  try {
    await publishHome(deps, client, requesterOf(body), false);
  } catch (err) {
    deps.log.warn({ err, user: body.user.id }, 'rule firing answered from App Home, but the Home tab was not published again');
  }
}
