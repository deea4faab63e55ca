import type { Button } from '@slack/types';
import type { ActionableKind, EntityKind, EntityRef } from '../src/model';
import { plainTitle, title } from './format';
import { button } from './kit';

/** What the Whop objects are called in messages, and how a row names one. */
const NOUN: Record<EntityKind, string> = { ad: 'ad', ad_group: 'ad group', ad_campaign: 'campaign' };

export const noun = (kind: EntityKind): string => NOUN[kind];

const STATUS: Record<string, string> = {
  active: ':large_green_circle: Active',
  paused: ':double_vertical_bar: Paused',
  rejected: ':no_entry: Rejected',
  in_review: ':hourglass_flowing_sand: In review',
};

export const statusLabel = (status: string): string => STATUS[status] ?? status.replace(/_/g, ' ');

/** How an item is named in a row; the same text lets a later update find it and show a new status. */
export const mention = (entity: EntityRef): string => `*${title(entity.title, entity.id, 60)}* (${noun(entity.kind)}, ${statusLabel(entity.status)})`;

/**
 * Pause for anything that can deliver, Unpause for what is paused. The suffix keeps action ids unique
 * in a block; `named` puts the entity's title on the button, for rows with several buttons.
 */
export function toggleButton(entity: EntityRef & { kind: ActionableKind }, options: { suffix?: string; named?: boolean } = {}): Button {
  const tail = options.suffix === undefined ? '' : `:${options.suffix}`;
  const label = (verb: string) => (options.named ? `${verb} · ${plainTitle(entity.title, entity.id, 60)}` : verb);
  if (entity.status === 'paused') return button(label('Unpause'), `${entity.kind}.unpause${tail}`, entity.id);
  const name = title(entity.title, entity.id, 60);
  return button(label('Pause'), `${entity.kind}.pause${tail}`, entity.id, {
    style: 'danger',
    confirm: {
      title: `Pause this ${noun(entity.kind)}?`,
      text: `*${name}* will stop delivering until someone unpauses it.`,
      confirm: 'Pause',
    },
  });
}
