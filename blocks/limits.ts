/** Slack's Block Kit limits (api.slack.com/reference/block-kit), as named constants, and helpers to stay inside them. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  /** The Home tab, like a modal: 100 blocks (views.publish). */
  blocksPerHome: 100,
  /** A view's title, submit and close labels (plain text). */
  viewTitle: 24,
  /** A select's options and each option's text. */
  selectOptions: 100,
  optionText: 75,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** An image block's alt text and title (plain text). */
  imageAltText: 2000,
  imageTitle: 2000,
  messageText: 40_000,
  // Slack refuses messages whose blocks add up to roughly 13,000 characters (bolt-js#2509): keep a margin.
  messageBlocksChars: 12_000,
} as const;

/**
 * How much the bot reads of what people type, each checked before any pattern runs on it (and, for the budget
 * form, told to Slack as the field's max_length): enough for every real answer, far too little to slow the bot.
 */
export const INPUT_LIMITS = {
  /** `USD 1,000,000,000.00` is 20. */
  amount: 40,
  /** Search words, once the spaces between them are collapsed. */
  searchWords: 100,
  /** Everything after `/adgroup`: the longest search with room for stray spaces, or `budget`, an id and an amount. */
  adGroupCommand: 200,
  /** Everything after `/ads`: `digest` and a window name, or `rules simulate` and a number of days. */
  adsCommand: 100,
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
