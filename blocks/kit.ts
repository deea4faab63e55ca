import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, SectionBlock } from '@slack/types';
import { LIMITS, truncate } from './limits';

/** Small Block Kit constructors that enforce Slack's per-element limits, so no view can break them. */

export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
});

export const section = (text: string, accessory?: Button): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
  ...(accessory ? { accessory } : {}),
});

export const fields = (items: string[]): SectionBlock => ({
  type: 'section',
  fields: items.slice(0, LIMITS.sectionFields).map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.fieldText) })),
});

export const context = (...items: string[]): ContextBlock => ({
  type: 'context',
  elements: items.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) })),
});

export const divider = (): DividerBlock => ({ type: 'divider' });

export interface Confirm {
  title: string;
  text: string;
  confirm: string;
  deny?: string;
}

export interface ButtonOptions {
  style?: 'primary' | 'danger';
  confirm?: Confirm;
}

export const button = (text: string, actionId: string, value: string, options: ButtonOptions = {}): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
  action_id: truncate(actionId, LIMITS.actionId),
  value: truncate(value, LIMITS.buttonValue),
  ...(options.style ? { style: options.style } : {}),
  ...(options.confirm
    ? {
        confirm: {
          title: { type: 'plain_text', text: truncate(options.confirm.title, 100) },
          text: { type: 'mrkdwn', text: truncate(options.confirm.text, 300) },
          confirm: { type: 'plain_text', text: truncate(options.confirm.confirm, 30) },
          deny: { type: 'plain_text', text: truncate(options.confirm.deny ?? 'Cancel', 30) },
        },
      }
    : {}),
});

export const actions = (elements: Button[], blockId?: string): ActionsBlock => ({
  type: 'actions',
  ...(blockId ? { block_id: blockId } : {}),
  elements: elements.slice(0, LIMITS.actionsElements),
});
