import { type AdGroupCardView, adGroupCard } from '../../blocks/ad-group-card';
import { couldNot, noSuchAdGroup } from '../../blocks/notices';
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

/** The card, or what to tell the person instead. */
export type CardOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

export async function loadCard(deps: CardDeps, id: string, sharedBy?: string): Promise<CardOutcome<ReturnType<typeof adGroupCard>>> {
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
