import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../deps';
import { publishHome } from '../home';
import { requesterOfEvent } from '../requester';

/** With the ack src/slack/listeners.ts gives events, so they queue like every other listener. */
type Args = Omit<SlackEventMiddlewareArgs<'app_home_opened'>, 'ack'> & AllMiddlewareArgs & { ack: () => Promise<void> };

/** Someone opened the Home tab: their view, published for them alone. The Messages tab needs nothing. */
export const onHomeOpened =
  (deps: BotDeps) =>
  async ({ ack, event, body, client }: Args): Promise<void> => {
    await ack();
    if (event.tab !== 'home') return;
    try {
      await publishHome(deps, client, requesterOfEvent(body, event.user), true);
    } catch (err) {
      deps.log.warn({ err, user: event.user }, 'could not publish App Home');
    }
  };
