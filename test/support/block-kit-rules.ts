// Slack's Block Kit limits as one pure checker, so the fake Web API refuses what
// Slack refuses and view tests can assert "within Slack's limits" with the same rules.
// Limits: docs.slack.dev/reference/block-kit. Problems read like Slack's own
// `response_metadata.messages`: "<what broke> [json-pointer:/blocks/0/text/text]".

export type Surface = 'message' | 'modal' | 'home';

/** Slack has refused messages whose blocks add up to roughly this many characters (bolt-js#2509, #2867). */
export const MAX_MESSAGE_BLOCKS_CHARS = 13_000;

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
// The markdown block's 12,000 characters are a budget for all markdown blocks of a payload, not each.
const MAX_MARKDOWN_CHARS = 12_000;

type Json = Record<string, unknown>;
type Report = (path: string, problem: string) => void;
type Check = (node: Json, path: string, report: Report) => void;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems Slack would report for these blocks; empty when Slack would accept them. */
export function blockKitProblems(blocks: unknown[], surface: Surface): string[] {
  const problems: string[] = [];
  checkBlocks(blocks, surface, '', collect(problems));
  return problems;
}

/** Problems Slack would report for a modal passed to views.open / views.update, pointing into `/view`. */
export function modalProblems(view: unknown): string[] {
  const problems: string[] = [];
  const report = collect(problems);
  if (!isObject(view)) return ['must provide an object [json-pointer:/view]'];
  if (view.type !== 'modal') report('/view/type', 'must be a valid enum value: modal');
  requiredText(view, 'title', '/view', { max: 24, plainOnly: true }, report);
  optionalText(view, 'submit', '/view', { max: 24, plainOnly: true }, report);
  optionalText(view, 'close', '/view', { max: 24, plainOnly: true }, report);
  str(view, 'callback_id', '/view', 255, report);
  str(view, 'external_id', '/view', 255, report);
  str(view, 'private_metadata', '/view', 3000, report);
  const blocks = list(view, 'blocks', '/view', { min: 0, max: Infinity, required: true }, report);
  // Slack cannot show an input without a button to submit it.
  if (view.submit === undefined && blocks.some((b) => isObject(b) && b.type === 'input')) {
    report('/view', 'missing required field: submit (the view has input blocks)');
  }
  checkBlocks(blocks, 'modal', '/view', report);
  return problems;
}

/** Problems Slack would report for a Home tab passed to views.publish, pointing into `/view`. */
export function homeProblems(view: unknown): string[] {
  const problems: string[] = [];
  const report = collect(problems);
  if (!isObject(view)) return ['must provide an object [json-pointer:/view]'];
  if (view.type !== 'home') report('/view/type', 'must be a valid enum value: home');
  str(view, 'callback_id', '/view', 255, report);
  str(view, 'external_id', '/view', 255, report);
  str(view, 'private_metadata', '/view', 3000, report);
  const blocks = list(view, 'blocks', '/view', { min: 0, max: Infinity, required: true }, report);
  checkBlocks(blocks, 'home', '/view', report);
  return problems;
}

/** Every string in the blocks (text, ids, urls), which is what Slack's whole-message budget appears to count. */
export function blocksCharCount(node: unknown): number {
  if (typeof node === 'string') return node.length;
  if (Array.isArray(node)) return node.reduce((sum: number, n) => sum + blocksCharCount(n), 0);
  if (isObject(node)) return Object.values(node).reduce((sum: number, n) => sum + blocksCharCount(n), 0);
  return 0;
}

function collect(problems: string[]): Report {
  return (path, problem) => problems.push(`${problem} [json-pointer:${path}]`);
}

function checkBlocks(blocks: unknown[], surface: Surface, base: string, report: Report): void {
  const path = `${base}/blocks`;
  if (blocks.length > MAX_BLOCKS[surface]) report(path, `no more than ${MAX_BLOCKS[surface]} items allowed`);
  const blockIds = new Set<string>();
  let markdownChars = 0;
  blocks.forEach((block, i) => {
    const at = `${path}/${i}`;
    if (!isObject(block)) return report(at, 'must provide an object');
    if (typeof block.type !== 'string') return report(at, 'missing required field: type');
    const check = BLOCKS[block.type];
    if (!check) return report(`${at}/type`, `unsupported block type: ${block.type}`);
    str(block, 'block_id', at, 255, report);
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) report(`${at}/block_id`, `duplicate block_id: ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    if (block.type === 'markdown' && typeof block.text === 'string') markdownChars += block.text.length;
    check(block, at, report);
  });
  if (markdownChars > MAX_MARKDOWN_CHARS) {
    report(path, `markdown blocks must be less than ${MAX_MARKDOWN_CHARS + 1} characters in total`);
  }
}

// Known types that we do not inspect further still pass, so only a misspelt type is refused.
const unchecked: Check = () => {};

const BLOCKS: Record<string, Check> = {
  section(b, at, report) {
    if (b.text === undefined && b.fields === undefined) report(at, 'must define either `text` or `fields`');
    optionalText(b, 'text', at, { max: 3000 }, report);
    list(b, 'fields', at, { min: 1, max: 10 }, report).forEach((field, i) => textObject(field, `${at}/fields/${i}`, { max: 2000 }, report));
    if (b.accessory !== undefined) element(b.accessory, `${at}/accessory`, report);
  },
  header(b, at, report) {
    requiredText(b, 'text', at, { max: 150, plainOnly: true }, report);
  },
  divider: unchecked,
  context(b, at, report) {
    list(b, 'elements', at, { min: 1, max: 10, required: true }, report).forEach((e, i) => {
      const eAt = `${at}/elements/${i}`;
      if (isObject(e) && e.type === 'image') element(e, eAt, report);
      else textObject(e, eAt, { max: 3000 }, report);
    });
  },
  actions(b, at, report) {
    const elements = list(b, 'elements', at, { min: 1, max: 25, required: true }, report);
    elements.forEach((e, i) => element(e, `${at}/elements/${i}`, report));
    uniqueActionIds(elements, `${at}/elements`, report);
  },
  image(b, at, report) {
    imageFields(b, at, report);
    optionalText(b, 'title', at, { max: 2000, plainOnly: true }, report);
  },
  input(b, at, report) {
    requiredText(b, 'label', at, { max: 2000, plainOnly: true }, report);
    optionalText(b, 'hint', at, { max: 2000, plainOnly: true }, report);
    if (b.element === undefined) report(at, 'missing required field: element');
    else element(b.element, `${at}/element`, report);
  },
  markdown(b, at, report) {
    str(b, 'text', at, MAX_MARKDOWN_CHARS, report, { required: true, min: 1 });
  },
  rich_text(b, at, report) {
    list(b, 'elements', at, { min: 1, max: Infinity, required: true }, report);
  },
  context_actions: unchecked,
  file: unchecked,
  table: unchecked,
  video: unchecked,
};

const ELEMENTS: Record<string, Check> = {
  button(e, at, report) {
    requiredText(e, 'text', at, { max: 75, plainOnly: true }, report);
    str(e, 'value', at, 2000, report);
    str(e, 'url', at, 3000, report);
    str(e, 'accessibility_label', at, 75, report);
    style(e, at, report);
  },
  overflow: (e, at, report) => options(e, at, { max: 5, plainOnly: true }, report),
  static_select: (e, at, report) => selectOptions(e, at, report),
  multi_static_select: (e, at, report) => selectOptions(e, at, report),
  checkboxes: (e, at, report) => options(e, at, { max: 10, plainOnly: false }, report),
  radio_buttons: (e, at, report) => options(e, at, { max: 10, plainOnly: false }, report),
  plain_text_input(e, at, report) {
    for (const key of ['min_length', 'max_length'] as const) {
      const n = e[key];
      if (n !== undefined && (typeof n !== 'number' || n < 0 || n > 3000)) report(`${at}/${key}`, 'must be between 0 and 3000');
    }
  },
  number_input(e, at, report) {
    if (typeof e.is_decimal_allowed !== 'boolean') report(at, 'missing required field: is_decimal_allowed');
  },
  image: imageFields,
  channels_select: unchecked,
  conversations_select: unchecked,
  datepicker: unchecked,
  datetimepicker: unchecked,
  email_text_input: unchecked,
  external_select: unchecked,
  feedback_buttons: unchecked,
  file_input: unchecked,
  icon_button: unchecked,
  multi_channels_select: unchecked,
  multi_conversations_select: unchecked,
  multi_external_select: unchecked,
  multi_users_select: unchecked,
  rich_text_input: unchecked,
  timepicker: unchecked,
  url_text_input: unchecked,
  users_select: unchecked,
  workflow_button: unchecked,
};

function element(e: unknown, at: string, report: Report): void {
  if (!isObject(e)) return report(at, 'must provide an object');
  const check = typeof e.type === 'string' ? ELEMENTS[e.type] : undefined;
  if (!check) return report(`${at}/type`, `unsupported element type: ${String(e.type)}`);
  str(e, 'action_id', at, 255, report);
  optionalText(e, 'placeholder', at, { max: 150, plainOnly: true }, report);
  if (e.confirm !== undefined) confirm(e.confirm, `${at}/confirm`, report);
  check(e, at, report);
}

function uniqueActionIds(elements: unknown[], at: string, report: Report): void {
  const seen = new Set<string>();
  elements.forEach((e, i) => {
    if (!isObject(e) || typeof e.action_id !== 'string') return;
    if (seen.has(e.action_id)) report(`${at}/${i}/action_id`, `duplicate action_id: ${e.action_id}`);
    seen.add(e.action_id);
  });
}

function confirm(c: unknown, at: string, report: Report): void {
  if (!isObject(c)) return report(at, 'must provide an object');
  requiredText(c, 'title', at, { max: 100, plainOnly: true }, report);
  requiredText(c, 'text', at, { max: 300 }, report);
  requiredText(c, 'confirm', at, { max: 30, plainOnly: true }, report);
  requiredText(c, 'deny', at, { max: 30, plainOnly: true }, report);
  style(c, at, report);
}

function style(node: Json, at: string, report: Report): void {
  if (node.style !== undefined && node.style !== 'primary' && node.style !== 'danger') {
    report(`${at}/style`, 'must be a valid enum value: primary, danger');
  }
}

function selectOptions(e: Json, at: string, report: Report): void {
  if (e.options === undefined && e.option_groups === undefined) return;
  options(e, at, { max: 100, plainOnly: true }, report);
  list(e, 'option_groups', at, { min: 1, max: 100 }, report).forEach((group, i) => {
    const gAt = `${at}/option_groups/${i}`;
    if (!isObject(group)) return report(gAt, 'must provide an object');
    requiredText(group, 'label', gAt, { max: 75, plainOnly: true }, report);
    options(group, gAt, { max: 100, plainOnly: true }, report);
  });
}

function options(node: Json, at: string, rule: { max: number; plainOnly: boolean }, report: Report): void {
  list(node, 'options', at, { min: 1, max: rule.max }, report).forEach((option, i) => {
    const oAt = `${at}/options/${i}`;
    if (!isObject(option)) return report(oAt, 'must provide an object');
    requiredText(option, 'text', oAt, { max: 75, plainOnly: rule.plainOnly }, report);
    optionalText(option, 'description', oAt, { max: 75, plainOnly: rule.plainOnly }, report);
    str(option, 'value', oAt, 150, report);
  });
}

function imageFields(node: Json, at: string, report: Report): void {
  str(node, 'alt_text', at, 2000, report, { required: true, min: 1 });
  if (node.image_url === undefined && node.slack_file === undefined) report(at, 'missing required field: image_url');
  str(node, 'image_url', at, 3000, report);
}

interface TextRule {
  max: number;
  plainOnly?: boolean;
}

function requiredText(node: Json, key: string, at: string, rule: TextRule, report: Report): void {
  if (node[key] === undefined) report(at, `missing required field: ${key}`);
  else textObject(node[key], `${at}/${key}`, rule, report);
}

function optionalText(node: Json, key: string, at: string, rule: TextRule, report: Report): void {
  if (node[key] !== undefined) textObject(node[key], `${at}/${key}`, rule, report);
}

function textObject(t: unknown, at: string, rule: TextRule, report: Report): void {
  if (!isObject(t)) return report(at, 'must provide an object');
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn') return report(`${at}/type`, 'must be a valid enum value: plain_text, mrkdwn');
  if (rule.plainOnly && t.type !== 'plain_text') report(`${at}/type`, 'must be plain_text; mrkdwn is not allowed here');
  str(t, 'text', at, rule.max, report, { required: true, min: 1 });
}

function str(node: Json, key: string, at: string, max: number, report: Report, opts: { required?: boolean; min?: number } = {}): void {
  const value = node[key];
  if (value === undefined) {
    if (opts.required) report(at, `missing required field: ${key}`);
    return;
  }
  if (typeof value !== 'string') return report(`${at}/${key}`, 'must be a string');
  const min = opts.min ?? 0;
  if (value.length < min) report(`${at}/${key}`, `must be more than ${min - 1} characters`);
  if (value.length > max) report(`${at}/${key}`, `must be less than ${max + 1} characters`);
}

function list(node: Json, key: string, at: string, rule: { min: number; max: number; required?: boolean }, report: Report): unknown[] {
  const value = node[key];
  if (value === undefined) {
    if (rule.required) report(at, `missing required field: ${key}`);
    return [];
  }
  if (!Array.isArray(value)) {
    report(`${at}/${key}`, 'must provide an array');
    return [];
  }
  if (value.length < rule.min) report(`${at}/${key}`, `must provide at least ${rule.min} items`);
  if (value.length > rule.max) report(`${at}/${key}`, `no more than ${rule.max} items allowed`);
  return value;
}
