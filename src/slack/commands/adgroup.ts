import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { searchResults } from '../../../blocks/ad-group-card';
import { budgetChanged, confirmPrompt } from '../../../blocks/budget';
import { adGroupHelp } from '../../../blocks/help';
import { couldNot, notAllowed } from '../../../blocks/notices';
import { loadCard } from '../../adgroup/card';
import { auditRefusal } from '../../audit-refusal';
import { applyBudgetChange, budgetTarget, prepareBudgetChange } from '../../budget/budget-change';
import { REFUSAL_DETAIL } from '../authz';
import type { BotDeps } from '../deps';
import { requesterOf } from '../requester';
import { commandKey } from '../request-keys';
import { parseAdGroupCommand } from './parse';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

const SEARCH_PAGE = 100;
const SEARCH_SHOWN = 10;

/** `/adgroup`: lookup by id, search by words, or a budget change; answers only the person who asked. */
export const onAdGroupCommand =
  (deps: BotDeps) =>
  async ({ command, ack, respond }: Args): Promise<void> => {
    const parsed = parseAdGroupCommand(command.text);
    if (parsed.kind === 'help' || parsed.kind === 'invalid') {
      await ack({ response_type: 'ephemeral', text: adGroupHelp(parsed.kind === 'invalid' ? parsed.problem : undefined) });
      return;
    }
    await ack(); // answers that need Whop go through respond(), so a slow Whop never breaks Slack's 3 s
    const reply = (message: { text: string; blocks?: KnownBlock[] }) => respond({ response_type: 'ephemeral', ...message });

    if (parsed.kind === 'lookup') {
      const card = await loadCard(deps, parsed.id);
      await reply(card.ok ? card.value : { text: card.message });
      return;
    }

    if (parsed.kind === 'search') {
      const found = await deps.gateway.searchAdGroups(parsed.query, SEARCH_PAGE);
      if (!found.ok) return void (await reply({ text: couldNot('search ad groups', found.error.message) }));
      const { groups, more } = found.value;
      if (groups.length === 1) {
        const card = await loadCard(deps, groups[0]!.id);
        return void (await reply(card.ok ? card.value : { text: card.message }));
      }
      const rest = more ? 'many' : Math.max(0, groups.length - SEARCH_SHOWN);
      await reply(searchResults(parsed.query, groups.slice(0, SEARCH_SHOWN), rest));
      return;
    }

    const actor = { userId: command.user_id, channel: command.channel_id, messageTs: null };
    const verdict = await deps.authz.check(requesterOf(command));
    if (!verdict.ok) {
      await auditRefusal(deps, budgetTarget(parsed.id), actor, REFUSAL_DETAIL[verdict.reason]);
      await reply({ text: notAllowed(verdict.reason, 'change budgets', deps.authz.operatorsMention()) });
      return;
    }
    // Slack sends a command once per trigger_id; a retried delivery must not change the budget twice.
    if (!(await deps.clicks.claim(commandKey(command.trigger_id), deps.now()))) return;
    const prepared = await prepareBudgetChange(deps, parsed.id, parsed.amount);
    if (!prepared.ok) {
      await auditRefusal(deps, budgetTarget(parsed.id), actor, prepared.message);
      return void (await reply({ text: prepared.message }));
    }
    const { change, needsConfirm } = prepared.value;
    if (needsConfirm) {
      await reply(confirmPrompt(change, command.user_id, deps.limits.confirm_change_pct));
      return;
    }
    const applied = await deps.locks.run(change.id, () =>
      applyBudgetChange(deps, change, actor),
    );
    await reply(applied.ok ? budgetChanged(applied.value, command.user_id, deps.now(), deps.timeZone) : { text: applied.message });
  };
