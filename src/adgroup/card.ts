import { type AdGroupCardView, adGroupCard } from '../../blocks/ad-group-card';
import { couldNot, noSuchAdGroup } from '../../blocks/notices';
import type { Outcome } from '../budget/budget-change';
import { statsWindow } from '../digest/window';
import type { AdsGateway } from '../whop/gateway';

/** Cards show the last full week: a steadier picture of an ad group than a single day. */
export const CARD_WINDOW = 'last_7d' as const;

export interface CardDeps {
  gateway: AdsGateway;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
}

export async function loadCard(deps: CardDeps, id: string, sharedBy?: string): Promise<Outcome<ReturnType<typeof adGroupCard>>> {
  const window = statsWindow(CARD_WINDOW, deps.now(), deps.timeZone);
  const group = await deps.gateway.adGroup(id, { ...window, timeZone: deps.timeZone });
  if (!group.ok) {
    return { ok: false, message: group.error.kind === 'not_found' ? noSuchAdGroup(id) : couldNot(`look up \`${id}\``, group.error.message) };
  }
  const campaign = await deps.gateway.campaign(group.value.ad_campaign.id);
  const view: AdGroupCardView = {
    group: group.value,
    campaign: campaign.ok ? { id: campaign.value.id, title: campaign.value.title, platform: campaign.value.platform } : null,
    window: { name: CARD_WINDOW, timeZone: deps.timeZone },
    sandbox: deps.sandbox,
    ...(sharedBy ? { sharedBy } : {}),
  };
  return { ok: true, value: adGroupCard(view) };
}
