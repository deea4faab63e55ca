import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { searchResults } from '../../../blocks/ad-group-card';
import { adGroupHelp } from '../../../blocks/help';
import { couldNot } from '../../../blocks/notices';
import { loadCard } from '../../adgroup/card';
import { budgetTarget, requestBudgetChange } from '../../budget/budget-change';
import { commandRequest } from '../action-request';
import { budgetAnswer } from '../budget-answer';
import type { BotDeps } from '../deps';
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
      await ack({ response_type: 'ephemeral', text: adGroupHelp(parsed.kind === 'invalid' ? parsed.problem : undefined, deps.summary.account.choices) });
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
      const [only] = groups;
      if (only && groups.length === 1) {
        const card = await loadCard(deps, only.id);
        return void (await reply(card.ok ? card.value : { text: card.message }));
      }
      const rest = more ? 'many' : Math.max(0, groups.length - SEARCH_SHOWN);
      await reply(searchResults(parsed.query, groups.slice(0, SEARCH_SHOWN), rest));
      return;
    }

    const request = commandRequest(command);
    const ran = await deps.actions.run(request, {
      target: budgetTarget(parsed.id),
      act: () => requestBudgetChange(deps, request, parsed.id, parsed.amount),
    });
    const answer = budgetAnswer(deps, ran, request.who.userId);
    if (answer) await reply(answer);
  };
