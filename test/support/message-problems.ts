// What every message and modal the bot builds must satisfy, whatever the data: Slack's limits (block-kit-rules),
// data escaped so it pings nobody, and no string cut through a character.
import type { KnownBlock } from '@slack/types';
import { blockKitProblems, blocksCharCount, MAX_MESSAGE_BLOCKS_CHARS, modalProblems } from './block-kit-rules';

/** Whoever acts in these tests: the one mention the bot itself may write. */
export const ACTOR = 'U0ACTOR';

/** Texts Slack renders as mrkdwn: a message's own `text`, and every mrkdwn text object. */
function mrkdwnTexts(node: unknown, out: string[] = [], topLevel = true): string[] {
  if (Array.isArray(node)) node.forEach((n) => mrkdwnTexts(n, out, false));
  else if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    if ((topLevel || o.type === 'mrkdwn') && typeof o.text === 'string') out.push(o.text);
    for (const value of Object.values(o)) if (typeof value === 'object') mrkdwnTexts(value, out, false);
  }
  return out;
}

/** Every string in the output, to check that none carries half a character. */
function strings(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) node.forEach((n) => strings(n, out));
  else if (typeof node === 'object' && node !== null) Object.values(node).forEach((n) => strings(n, out));
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a rendered mrkdwn text may contain: our own mention of the actor, and data escaped. */
export function markupProblems(texts: string[]): string[] {
  const problems: string[] = [];
  for (const t of texts) {
    const own = t.split(`<@${ACTOR}>`).join('');
    if (/[<>]/.test(own)) problems.push(`raw < or > from data: ${JSON.stringify(t.slice(0, 300))}`);
    if (/&(?!amp;|lt;|gt;)/.test(own)) problems.push(`unescaped &: ${JSON.stringify(t.slice(0, 300))}`);
  }
  return problems;
}

export function messageProblems(message: { text: string; blocks: KnownBlock[] }): string[] {
  const problems = [
    ...blockKitProblems(message.blocks, 'message'),
    ...markupProblems(mrkdwnTexts(message)),
    ...strings(message)
      .filter((s) => LONE_SURROGATE.test(s))
      .map((s) => `half a character: ${JSON.stringify(s.slice(-20))}`),
  ];
  if (blocksCharCount(message.blocks) > MAX_MESSAGE_BLOCKS_CHARS) problems.push(`blocks add up to ${blocksCharCount(message.blocks)} characters`);
  if (message.text.length === 0 || message.text.length > 40_000) problems.push(`text of ${message.text.length} characters`);
  return problems;
}

export function viewProblems(view: unknown): string[] {
  return [
    ...modalProblems(view),
    ...markupProblems(mrkdwnTexts((view as { blocks: unknown[] }).blocks, [], false)),
    ...strings(view)
      .filter((s) => LONE_SURROGATE.test(s))
      .map((s) => `half a character: ${JSON.stringify(s.slice(-20))}`),
  ];
}
