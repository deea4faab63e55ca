import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import { type ActionableKind, type EntityRef, isActionable, type Toggle } from '../src/model';
import { mention, noun, toggleButton } from './entity';
import { clock, title } from './format';
import { section } from './kit';
import { LIMITS, truncate } from './limits';

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
function attribution(entity: RowUpdate['entity'], done: NonNullable<RowUpdate['done']>, named: boolean): { line: string; previous: RegExp } {
  const { emoji, word } = PAST[done.verb];
  const name = `*${title(entity.title, entity.id, 60)}*`;
  const who = `by <@${done.by}> · ${clock(done.at, done.timeZone)}`;
  const emojis = `(?:${escapeRegExp(PAST.pause.emoji)}|${escapeRegExp(PAST.unpause.emoji)})`;
  return named
    ? { line: `${emoji} ${name}: ${word.toLowerCase()} ${who}`, previous: new RegExp(`^${emojis} ${escapeRegExp(name)}: `) }
    : { line: `${emoji} ${word} ${who}`, previous: new RegExp(`^${emojis} (?:Paused|Unpaused) by `) };
}

function rewriteText(text: string, update: RowUpdate, named: boolean): string {
  const { entity } = update;
  const oldMention = new RegExp(`\\*${escapeRegExp(title(entity.title, entity.id, 60))}\\* \\(${escapeRegExp(noun(entity.kind))}, [^)\\n]*\\)`);
  let lines = text.replace(oldMention, mention(entity)).split('\n');
  if (update.done) {
    const { line, previous } = attribution(entity, update.done, named);
    lines = [...lines.filter((l) => !previous.test(l)), line];
  }
  return fitText(lines);
}

/**
 * Keeps a row within a section's limit by shortening its first line (an issue's message, a row's
 * title): the item's new status and who acted, which come after, are never the part cut off.
 */
function fitText(lines: string[]): string {
  const text = lines.join('\n');
  const over = text.length - LIMITS.sectionText;
  if (over <= 0 || lines.length < 2) return text;
  const [first = '', ...rest] = lines;
  return [truncate(first, Math.max(1, first.length - over)), ...rest].join('\n');
}

const isEntityButton = (element: unknown, update: RowUpdate): element is Button => {
  const button = (element ?? {}) as Partial<Button>;
  if (button.type !== 'button' || button.value !== update.entity.id) return false;
  return parseToggleId(button.action_id ?? '')?.kind === update.entity.kind;
};

/** The button for the item's new status, or none when it can no longer be toggled (e.g. rejected since). */
function swapButton(button: Button, update: RowUpdate): Button | undefined {
  if (!isActionable(update.entity)) return undefined;
  const suffix = parseToggleId(button.action_id ?? '')?.suffix;
  const named = button.text.text.includes(' · ');
  return toggleButton(update.entity, { ...(suffix !== undefined ? { suffix } : {}), named });
}

const withText = (block: SectionBlock, text: string): SectionBlock => ({ ...block, text: section(text).text });

/**
 * The same message with one item's row showing its new status, the opposite button (the undo) and
 * who acted. Every other block is returned untouched.
 */
export function updateRow(blocks: readonly KnownBlock[], update: RowUpdate): KnownBlock[] {
  const out: Array<KnownBlock | null> = [...blocks];
  out.forEach((block, i) => {
    if (block?.type === 'section' && block.text && isEntityButton(block.accessory, update)) {
      const { accessory, ...rest } = withText(block, rewriteText(block.text.text, update, false));
      const button = swapButton(accessory as Button, update);
      out[i] = button ? { ...rest, accessory: button } : rest;
    }
    if (block?.type === 'actions' && block.elements.some((e) => isEntityButton(e, update))) {
      const elements = block.elements.flatMap((e): ActionsBlock['elements'][number][] => {
        if (!isEntityButton(e, update)) return [e];
        const button = swapButton(e, update);
        return button ? [button] : [];
      });
      // Slack refuses an actions block with no elements.
      out[i] = elements.length > 0 ? { ...block, elements } : null;
      // The row above names several items only when the buttons act on several.
      const named = new Set(block.elements.map((e) => (e as Partial<Button>).value)).size > 1;
      const above = out[i - 1];
      if (above?.type === 'section' && above.text) out[i - 1] = withText(above, rewriteText(above.text.text, update, named));
    }
  });
  return out.filter((block): block is KnownBlock => block !== null);
}

/** The thread reply that keeps a log of actions under the message. */
export function auditReply(update: Required<RowUpdate>): string {
  const { entity, done } = update;
  return `<@${done.by}> ${done.verb === 'pause' ? 'paused' : 'unpaused'} ${noun(entity.kind)} *${title(entity.title, entity.id)}* (\`${entity.id}\`) at ${clock(done.at, done.timeZone)}`;
}
