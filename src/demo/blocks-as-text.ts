import type { KnownBlock } from '@slack/types';

/** Renders Block Kit as terminal text, roughly as Slack would show it, for the demo and the README. */

const EMOJI: Record<string, string> = {
  ':large_green_circle:': '🟢',
  ':double_vertical_bar:': '⏸',
  ':no_entry:': '⛔',
  ':hourglass_flowing_sand:': '⏳',
  ':warning:': '⚠️',
  ':white_check_mark:': '✅',
  ':test_tube:': '🧪',
  ':thread:': '🧵',
  ':raised_hand:': '✋',
  ':zzz:': '💤',
  ':red_circle:': '🔴',
  ':no_entry_sign:': '🚫',
  ':x:': '❌',
};

const plain = (mrkdwn: string) =>
  mrkdwn
    .replace(/:[a-z_]+:/g, (code) => EMOJI[code] ?? code)
    .replace(/\*([^*\n]+)\*/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

type TextObject = { text: string };
type Element = { type: string; text?: TextObject; action_id?: string };

const buttonLabel = (element: Element) => `[ ${element.text?.text ?? element.type} ]`;

function blockText(block: KnownBlock): string {
  switch (block.type) {
    case 'header':
      return `\n${block.text.text.toUpperCase()}\n${'═'.repeat(Math.min(block.text.text.length, 72))}`;
    case 'divider':
      return '─'.repeat(72);
    case 'context':
      return indent(block.elements.map((e) => ('text' in e ? plain(e.text) : '')).join('  '));
    case 'section': {
      const parts: string[] = [];
      if (block.text) parts.push(plain(block.text.text));
      if (block.fields) {
        const cells = block.fields.map((f) => plain(f.text).replace('\n', ': '));
        for (let i = 0; i < cells.length; i += 2) parts.push(`${(cells[i] ?? '').padEnd(38)}${cells[i + 1] ?? ''}`);
      }
      const accessory = block.accessory as Element | undefined;
      if (accessory?.type === 'button') parts.push(`      ${buttonLabel(accessory)}`);
      return parts.join('\n');
    }
    case 'actions':
      return `      ${(block.elements as Element[]).map(buttonLabel).join(' ')}`;
    default:
      return `(${block.type})`;
  }
}

export function blocksAsText(blocks: readonly KnownBlock[]): string {
  return blocks.map(blockText).join('\n');
}
