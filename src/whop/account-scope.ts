import type Whop from '@whop/sdk';
import { NotFoundError } from '@whop/sdk';

/** The account's campaigns are listed again after this long, so a campaign moved or added shows up. */
const CAMPAIGNS_TTL_MS = 60_000;
/** An id not among them is looked for again in a fresh list, at most this often (a campaign created meanwhile). */
const RELIST_AFTER_MS = 5_000;
const PAGE_SIZE = 100;

export type ScopedKind = 'ad_campaign' | 'ad_group' | 'ad';

const NOUN: Record<ScopedKind, string> = { ad_campaign: 'campaign', ad_group: 'ad group', ad: 'ad' };

/**
 * Whop scopes lists by `account_id`, but not retrieve, update, pause or unpause: their params have none
 * (@whop/sdk AdGroupRetrieveParams, AdGroupUpdateParams, AdGroupPauseParams), so by id they reach whatever
 * the key reaches, another account's items too. With WHOP_COMPANY_ID set, an item is the account's when its
 * campaign is among the campaigns listed with that account_id; any other is answered as Whop answers an id
 * it does not know (404), so the bot says exactly what it says of an unknown id.
 */
export class AccountScope {
  private listed: { ids: Set<string>; at: number } | undefined;
  private pending: Promise<Set<string>> | undefined;
  /** Which campaign each item read by id belongs to: items never change campaign, so a write needs no second read. */
  private readonly campaignOf = new Map<string, string>();

  constructor(
    private readonly client: Whop,
    private readonly accountId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The item as read, once its campaign is found to be the account's; else the same NotFoundError Whop throws. */
  async confirm<T extends { id: string }>(kind: ScopedKind, item: T, campaignId: string): Promise<T> {
    this.campaignOf.set(item.id, campaignId);
    if (!(await this.hasCampaign(campaignId))) throw this.notFound(kind, item.id);
    return item;
  }

  /** Before a write by id: throws unless the item is the account's, reading it first if it was not read yet (a campaign is its own). */
  async confirmId(kind: ScopedKind, id: string): Promise<void> {
    let campaignId = kind === 'ad_campaign' ? id : this.campaignOf.get(id);
    if (campaignId === undefined) {
      const item = kind === 'ad' ? await this.client.ads.retrieve(id) : await this.client.adGroups.retrieve(id);
      campaignId = item.ad_campaign.id;
    }
    await this.confirm(kind, { id }, campaignId);
  }

  private async hasCampaign(campaignId: string): Promise<boolean> {
    const age = this.listed ? this.now() - this.listed.at : Infinity;
    if (this.listed && age < CAMPAIGNS_TTL_MS && this.listed.ids.has(campaignId)) return true;
    if (this.listed && age < RELIST_AFTER_MS) return false;
    return (await this.list()).has(campaignId);
  }

  private list(): Promise<Set<string>> {
    this.pending ??= (async () => {
      try {
        const ids = new Set<string>();
        for await (const campaign of this.client.adCampaigns.list({ account_id: this.accountId, first: PAGE_SIZE })) ids.add(campaign.id);
        this.listed = { ids, at: this.now() };
        return ids;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  private notFound(kind: ScopedKind, id: string): NotFoundError {
    const message = `${NOUN[kind]} ${id} is not in account ${this.accountId} (WHOP_COMPANY_ID)`;
    return new NotFoundError(404, { error: { message } }, message, new Headers());
  }
}
