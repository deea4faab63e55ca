import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import { type ActionableKind, type EntityRef, mention, noun, toggleButton } from './entity';
import { clock, title } from './format';
import { section } from './kit';

export type Toggle = 'pause' | 'unpause';

/** What to show for an item after a click: its status now and, when someone acted, who and when. */
export interface RowUpdate {
  entity: EntityRef & { kind: ActionableKind };
  done?: { verb: Toggle; by: string; at: Date; timeZone: string };
}

const TOGGLE_ID = /^(ad|ad_group)\.(pause|unpause)(?::(.*))?$/;

export function parseToggleId(actionId: string): { kind: ActionableKind; verb: Toggle; suffix?: string } | null {
  const match = TOGGLE_ID.exec(actionId);
  if (!match) return null;
  return { kind: match[1] as ActionableKind, verb: match[2] as Toggle, ...(match[3] !== undefined ? { suffix: match[3] } : {}) };
}

const PAST: Record<Toggle, { emoji: string; word: string }> = {
  pause: { emoji: ':double_vertical_bar:', word: 'Paused' },
  unpause: { emoji: ':arrow_forward:', word: 'Unpaused' },
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The line under a row saying who acted; `named` when the row names several items. */
function attribution(update: RowUpdate, named: boolean): { line: string; previous: RegExp } {
  const { emoji, word } = PAST[update.done!.verb];
  const name = `*${title(update.entity.title, update.entity.id, 60)}*`;
  const who = `by <@${update.done!.by}> · ${clock(update.done!.at, update.done!.timeZone)}`;
  const emojis = `(?:${escapeRegExp(PAST.pause.emoji)}|${escapeRegExp(PAST.unpause.emoji)})`;
  return named
    ? { line: `${emoji} ${name}: ${word.toLowerCase()} ${who}`, previous: new RegExp(`^${emojis} ${escapeRegExp(name)}: `) }
    : { line: `${emoji} ${word} ${who}`, previous: new RegExp(`^${emojis} (?:Paused|Unpaused) by `) };
}

function rewriteText(text: string, update: RowUpdate, named: boolean): string {
  const { entity } = update;
  const oldMention = new RegExp(
    `\\*${escapeRegExp(title(entity.title, entity.id, 60))}\\* \\(${escapeRegExp(noun(entity.kind))}, [^)\\n]*\\)`,
  );
  let lines = text.replace(oldMention, mention(entity)).split('\n');
  if (update.done) {
    const { line, previous } = attribution(update, named);
    lines = [...lines.filter((l) => !previous.test(l)), line];
  }
  return lines.join('\n');
}

const isEntityButton = (element: unknown, update: RowUpdate): element is Button => {
  const button = (element ?? {}) as Partial<Button>;
  if (button.type !== 'button' || button.value !== update.entity.id) return false;
  return parseToggleId(button.action_id ?? '')?.kind === update.entity.kind;
};

function swapButton(button: Button, update: RowUpdate): Button {
  const { suffix } = parseToggleId(button.action_id!)!;
  const named = button.text.text.includes(' · ');
  return toggleButton(update.entity, { ...(suffix !== undefined ? { suffix } : {}), named });
}

const withText = (block: SectionBlock, text: string): SectionBlock => ({ ...block, text: section(text).text });

/**
 * The same message with one item's row showing its new status, the opposite button (the undo) and
 * who acted. Every other block is returned untouched.
 */
export function updateRow(blocks: readonly KnownBlock[], update: RowUpdate): KnownBlock[] {
  const out = [...blocks];
  out.forEach((block, i) => {
    if (block.type === 'section' && block.text && isEntityButton(block.accessory, update)) {
      out[i] = { ...withText(block, rewriteText(block.text.text, update, false)), accessory: swapButton(block.accessory, update) };
    }
    if (block.type === 'actions' && block.elements.some((e) => isEntityButton(e, update))) {
      out[i] = { ...block, elements: block.elements.map((e) => (isEntityButton(e, update) ? swapButton(e, update) : e)) };
      const above = out[i - 1];
      if (above?.type === 'section' && above.text) out[i - 1] = withText(above, rewriteText(above.text.text, update, true));
    }
  });
  return out;
}

/** The thread reply that keeps a log of actions under the message. */
export function auditReply(update: Required<RowUpdate>): string {
  const { entity, done } = update;
  return `<@${done.by}> ${done.verb === 'pause' ? 'paused' : 'unpaused'} ${noun(entity.kind)} *${title(entity.title, entity.id)}* (\`${entity.id}\`) at ${clock(done.at, done.timeZone)}`;
}
