/** Slack's Block Kit limits (api.slack.com/reference/block-kit), as named constants, and helpers to stay inside them. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  messageText: 40_000,
  // Slack refuses messages whose blocks add up to roughly 13,000 characters (bolt-js#2509): keep a margin.
  messageBlocksChars: 12_000,
} as const;

const ELLIPSIS = '…';

/**
 * The first `max` UTF-16 units of text, one fewer if the cut would split a surrogate pair: half an
 * emoji is not valid text, and Slack shows it as garbage (or refuses it).
 */
export function head(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * Cuts text to at most max characters, ending in an ellipsis. Never leaves half an HTML entity
 * (`&am…`) or half a Slack link (`<@U12…`) behind, so escaping and mentions survive the cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = head(text, max - ELLIPSIS.length);
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf('<');
  if (open !== -1 && !cut.slice(open).includes('>')) cut = cut.slice(0, open);
  return cut + ELLIPSIS;
}

/** How many characters a set of blocks costs against Slack's whole-message budget. */
export function blocksChars(blocks: readonly unknown[]): number {
  return JSON.stringify(blocks).length;
}
