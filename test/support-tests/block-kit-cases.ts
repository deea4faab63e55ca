// Blocks that break exactly one of Slack's limits each, shared by the pure-rules test
// and the fake Web API test so both prove the same list.
const text = (n: number, ch = 'x'): string => ch.repeat(n);
const plain = (t: string) => ({ type: 'plain_text', text: t });
const mrkdwn = (t: string) => ({ type: 'mrkdwn', text: t });
const section = (t: string) => ({ type: 'section', text: mrkdwn(t) });
const button = (actionId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'button',
  text: plain('Pause'),
  action_id: actionId,
  value: 'ad_1',
  ...overrides,
});
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });

export interface BrokenCase {
  name: string;
  blocks: unknown[];
  /** What Slack's message names: the problem and the json-pointer to it. */
  problem: string;
  pointer: string;
}

export const brokenMessages: BrokenCase[] = [
  { name: 'more than 50 blocks', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })), problem: 'no more than 50 items', pointer: '/blocks' },
  { name: 'section text over 3000', blocks: [section(text(3001))], problem: 'less than 3001 characters', pointer: '/blocks/0/text/text' },
  { name: 'empty section text', blocks: [section('')], problem: 'more than 0 characters', pointer: '/blocks/0/text/text' },
  { name: 'section with neither text nor fields', blocks: [{ type: 'section' }], problem: 'either `text` or `fields`', pointer: '/blocks/0' },
  {
    name: 'more than 10 fields',
    blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }],
    problem: 'no more than 10 items',
    pointer: '/blocks/0/fields',
  },
  { name: 'a field over 2000', blocks: [{ type: 'section', fields: [mrkdwn(text(2001))] }], problem: 'less than 2001 characters', pointer: '/blocks/0/fields/0/text' },
  { name: 'header over 150', blocks: [{ type: 'header', text: plain(text(151)) }], problem: 'less than 151 characters', pointer: '/blocks/0/text/text' },
  { name: 'mrkdwn header', blocks: [{ type: 'header', text: mrkdwn('*Digest*') }], problem: 'must be plain_text', pointer: '/blocks/0/text/type' },
  {
    name: 'context with more than 10 elements',
    blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }],
    problem: 'no more than 10 items',
    pointer: '/blocks/0/elements',
  },
  { name: 'button text over 75', blocks: [actions(button('ad.pause', { text: plain(text(76)) }))], problem: 'less than 76 characters', pointer: '/blocks/0/elements/0/text/text' },
  { name: 'mrkdwn button text', blocks: [actions(button('ad.pause', { text: mrkdwn('*Pause*') }))], problem: 'must be plain_text', pointer: '/blocks/0/elements/0/text/type' },
  { name: 'button value over 2000', blocks: [actions(button('ad.pause', { value: text(2001) }))], problem: 'less than 2001 characters', pointer: '/blocks/0/elements/0/value' },
  { name: 'action_id over 255', blocks: [actions(button(text(256)))], problem: 'less than 256 characters', pointer: '/blocks/0/elements/0/action_id' },
  {
    name: 'accessory button text over 75',
    blocks: [{ ...section('Ad'), accessory: button('ad.pause', { text: plain(text(76)) }) }],
    problem: 'less than 76 characters',
    pointer: '/blocks/0/accessory/text/text',
  },
  { name: 'block_id over 255', blocks: [{ ...section('Ad'), block_id: text(256) }], problem: 'less than 256 characters', pointer: '/blocks/0/block_id' },
  {
    name: 'the same block_id twice',
    blocks: [
      { ...section('a'), block_id: 'row' },
      { ...section('b'), block_id: 'row' },
    ],
    problem: 'duplicate block_id: row',
    pointer: '/blocks/1/block_id',
  },
  {
    name: 'the same action_id twice in one actions block',
    blocks: [actions(button('ad.pause'), button('ad.pause'))],
    problem: 'duplicate action_id: ad.pause',
    pointer: '/blocks/0/elements/1/action_id',
  },
  {
    name: 'actions with more than 25 elements',
    blocks: [actions(...Array.from({ length: 26 }, (_, i) => button(`ad.pause:${i}`)))],
    problem: 'no more than 25 items',
    pointer: '/blocks/0/elements',
  },
  {
    name: 'confirm without deny',
    blocks: [actions(button('ad.pause', { confirm: { title: plain('Sure?'), text: plain('Pause it'), confirm: plain('Pause') } }))],
    problem: 'missing required field: deny',
    pointer: '/blocks/0/elements/0/confirm',
  },
  { name: 'an unknown block type', blocks: [{ type: 'sektion', text: mrkdwn('x') }], problem: 'unsupported block type: sektion', pointer: '/blocks/0/type' },
];

/** What the app's views look like at their fullest, still within every limit. */
export const fullButValidMessage: unknown[] = [
  { type: 'header', text: plain(text(150)) },
  { type: 'section', block_id: 'summary', text: mrkdwn(text(3000)), fields: Array.from({ length: 10 }, () => mrkdwn(text(200))) },
  {
    type: 'section',
    block_id: 'adgrp_1',
    text: mrkdwn('*Spring sale*'),
    accessory: button('ad_group.pause', {
      style: 'danger',
      confirm: { title: plain('Pause?'), text: mrkdwn('Pause *Spring sale*?'), confirm: plain('Pause'), deny: plain('Cancel') },
    }),
  },
  actions(...Array.from({ length: 25 }, (_, i) => button(`ad.pause:${i}`, { text: plain(text(75)), value: text(20) }))),
  { type: 'context', elements: Array.from({ length: 10 }, () => mrkdwn('c')) },
  ...Array.from({ length: 45 }, () => ({ type: 'divider' })),
];
