import type { WebClient } from '@slack/web-api';
import { homeView } from '../../blocks/home';
import { RULE_APPROVE_ACTION, RULE_SKIP_ACTION } from '../automation/rule-action';
import { homeData } from '../home/summary';
import type { Requester } from './authz';
import type { BotDeps } from './deps';

/**
 * Publishes one person's Home tab: who they are decides, at every publish, whether it shows Approve, Skip and Post a
 * digest now. `firstLook`: an open of the tab, which may show the once-ever guided start.
 */
export async function publishHome(deps: BotDeps, client: WebClient, who: Requester, firstLook: boolean): Promise<void> {
  const verdict = await deps.authz.check(who);
  const data = await homeData(deps.summary, { userId: who.userId, mayAct: verdict.ok, firstLook });
  await client.views.publish({ user_id: who.userId, view: homeView(data, { approve: RULE_APPROVE_ACTION, skip: RULE_SKIP_ACTION }) });
}
