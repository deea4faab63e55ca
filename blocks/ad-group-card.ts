import type { KnownBlock } from '@slack/types';
import { currencyOf } from '../src/currency';
import { type EntityRef, isActionable, type WindowName } from '../src/model';
import type { AdGroup } from '../src/whop/types';
import { mention, toggleButton } from './entity';
import { count, day, esc, money, percent, ratio, title } from './format';
import { actions, button, context, fields, header, section } from './kit';
import { head } from './limits';
import { sandboxMark } from './sandbox-mark';

export type CardGroup = Pick<
  AdGroup,
  | 'id'
  | 'title'
  | 'status'
  | 'delivery_status'
  | 'budget_amount'
  | 'budget_type'
  | 'starts_at'
  | 'ends_at'
  | 'spend'
  | 'spend_currency'
  | 'results'
  | 'cost_per_result'
  | 'return_on_ad_spend'
  | 'click_through_rate'
  | 'issues'
>;

export interface AdGroupCardView {
  group: CardGroup;
  campaign: { id: string; title: string; platform: string } | null;
  window: { name: WindowName; timeZone: string };
  sandbox: boolean;
  /** Ephemeral cards offer Share in channel; the shared copy says who shared it instead. */
  sharedBy?: string;
}

const SHARED_BY = 'Shared by ';

/** Who shared a card, read back from the card itself (the inverse of the line adGroupCard writes). */
export function sharedByOf(blocks: readonly KnownBlock[]): string | undefined {
  for (const block of blocks) {
    const match = block.type === 'section' ? new RegExp(`${SHARED_BY}<@([UW][A-Z0-9]+)>`).exec(block.text?.text ?? '') : null;
    if (match) return match[1];
  }
  return undefined;
}

export const SHARE_ACTION = 'ad_group.share';
export const EDIT_BUDGET_ACTION = 'ad_group.budget.edit';
export const OPEN_ACTION = 'ad_group.open';

const WINDOW_LABEL: Record<WindowName, string> = {
  today: 'today so far',
  yesterday: 'yesterday',
  last_7d: 'the last 7 days',
  last_30d: 'the last 30 days',
};

const PLATFORM: Record<string, string> = { meta: 'Meta', tiktok: 'TikTok' };

export function budgetText(group: Pick<CardGroup, 'budget_amount' | 'budget_type' | 'spend_currency'>): string {
  if (group.budget_amount === null) return 'Set by the campaign';
  return `${money(group.budget_amount, currencyOf(group.spend_currency))} ${group.budget_type ?? ''}`.trim();
}

function schedule(group: CardGroup, timeZone: string): string {
  // The SDK types these as any string: one that is no date is shown as unknown, not thrown on.
  const dayOf = (iso: string) => (Number.isNaN(Date.parse(iso)) ? '—' : day(new Date(iso), timeZone));
  const start = group.starts_at ? dayOf(group.starts_at) : 'Now';
  const end = group.ends_at ? dayOf(group.ends_at) : 'until paused';
  return `${start} – ${end}`;
}

export const groupRef = (group: Pick<CardGroup, 'id' | 'title' | 'status'>): EntityRef => ({
  kind: 'ad_group',
  id: group.id,
  title: group.title,
  status: group.status,
});

export function adGroupCard(view: AdGroupCardView): { text: string; blocks: KnownBlock[] } {
  const { group, campaign } = view;
  const currency = currencyOf(group.spend_currency);
  const cash = (n: number | null) => (n === null ? '—' : money(n, currency));
  const ref = groupRef(group);
  const blocks: KnownBlock[] = [
    header(`${group.title?.trim() || group.id}`),
    fields([
      `*Campaign*\n${campaign ? title(campaign.title, campaign.id, 60) : '—'}`,
      `*Platform*\n${campaign ? (PLATFORM[campaign.platform] ?? esc(campaign.platform)) : '—'}`,
      `*Budget*\n${budgetText(group)}`,
      `*Schedule*\n${schedule(group, view.window.timeZone)}`,
      `*Delivery*\n${esc(group.delivery_status.replace(/_/g, ' '))}`,
      `*Spend*\n${money(group.spend, currency)}`,
      `*Results*\n${group.results === null ? '—' : count(group.results)}`,
      `*Cost per result*\n${cash(group.results ? group.cost_per_result : null)}`,
      `*ROAS*\n${ratio(group.return_on_ad_spend)}`,
      `*CTR*\n${percent(group.click_through_rate)}`,
    ]),
    context([sandboxMark(view.sandbox), `Stats for ${WINDOW_LABEL[view.window.name]} (${esc(view.window.timeZone)}) · \`${group.id}\``].filter(Boolean).join(' · ')),
  ];
  if (group.issues.length > 0) {
    const list = group.issues.slice(0, 10).map((issue) => `• ${esc(head(issue.message, 280))}`);
    const more = group.issues.length > 10 ? `\n…and ${group.issues.length - 10} more` : '';
    blocks.push(section(`:warning: *Open issues*\n${list.join('\n')}${more}`));
  }
  blocks.push(section(`${mention(ref)}${view.sharedBy ? `\n${SHARED_BY}<@${view.sharedBy}>` : ''}`));
  const buttons = [
    ...(isActionable(ref) ? [toggleButton(ref)] : []),
    ...(group.budget_amount !== null ? [button('Edit budget', EDIT_BUDGET_ACTION, group.id)] : []),
    ...(view.sharedBy ? [] : [button('Share in channel', SHARE_ACTION, group.id)]),
  ];
  if (buttons.length > 0) blocks.push(actions(buttons, `card-${group.id}`));
  return { text: `Ad group ${title(group.title, group.id)}: ${money(group.spend, currency)} spent, budget ${budgetText(group)}`, blocks };
}

/** Search results: up to ten rows, each with an Open button, and how many more matched. */
export function searchResults(
  query: string,
  groups: readonly Pick<CardGroup, 'id' | 'title' | 'status' | 'budget_amount' | 'budget_type' | 'spend_currency'>[],
  more: number | 'many',
): { text: string; blocks: KnownBlock[] } {
  if (groups.length === 0) {
    return { text: `No ad group matches “${esc(query)}”`, blocks: [section(`No ad group matches “${esc(query)}”. Try fewer words, or paste the id (adgrp_…).`)] };
  }
  const blocks: KnownBlock[] = [section(`Ad groups matching “${esc(query)}”:`)];
  for (const group of groups) {
    blocks.push(section(`${mention(groupRef(group))}\nBudget: ${budgetText(group)}`, button('Open', OPEN_ACTION, group.id)));
  }
  if (more !== 0) blocks.push(context(`${more === 'many' ? 'More' : `${count(more)} more`} — refine your search`));
  return { text: `${groups.length} ad groups match “${esc(query)}”`, blocks };
}

/** The same card with its Budget field showing a new budget; everything else untouched. */
export function withBudget(blocks: readonly KnownBlock[], group: Pick<CardGroup, 'budget_amount' | 'budget_type' | 'spend_currency'>): KnownBlock[] {
  return blocks.map((block) =>
    block.type === 'section' && block.fields?.some((f) => f.text.startsWith('*Budget*\n'))
      ? { ...block, fields: block.fields.map((f) => (f.text.startsWith('*Budget*\n') ? { ...f, text: `*Budget*\n${budgetText(group)}` } : f)) }
      : block,
  );
}
