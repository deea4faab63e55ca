import type { Button, HomeView, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { Currency } from '../src/currency';
import type { Problem, Skipped, WindowName } from '../src/model';
import type { AuditEntry, JobRun } from '../src/store/types';
import { headline } from './alert';
import { actor, esc, moment, title } from './format';
import { actions, button, context, divider, header, section } from './kit';
import { blocksChars, LIMITS, truncate } from './limits';
import { SANDBOX_MARK } from './sandbox-mark';

/** App Home, `/ads status` and their two forms: the whole setup at a glance, from data gathered in src/home/. */

export const HOME_REFRESH_ACTION = 'home.refresh';
export const HOME_POST_DIGEST_ACTION = 'home.post_digest';
export const HOME_AUDIT_PAGE_ACTION = 'home.audit_page';
export const HOME_SIMULATE_ACTION = 'home.simulate';
/** Show another account's Home; one button per account, `:name` after it, the name in its value. */
export const HOME_ACCOUNT_ACTION = 'home.account';
export const HOME_ACCOUNT_PATTERN = /^home\.account:/;
export const POST_DIGEST_CALLBACK = 'home.post_digest.modal';
export const POST_DIGEST_CHANNEL_BLOCK = 'channel';
export const POST_DIGEST_CHANNEL_INPUT = 'channel';
export const POST_DIGEST_WINDOW_BLOCK = 'window';
export const POST_DIGEST_WINDOW_INPUT = 'window';

/** The rule-action buttons (src/automation/rule-action.ts), whose handlers live with the rules that act. */
export interface ApprovalActions {
  approve: string;
  skip: string;
}

export interface ScheduledEntry {
  channel: string;
  /** "weekdays at 9:00 America/New_York" (src/cron-reading.ts). */
  schedule: string;
  next: Date | null;
  last: JobRun | undefined;
}

export interface DigestEntry extends ScheduledEntry {
  window: WindowName;
}

export interface AlertEntry extends ScheduledEntry {
  /** The last check's count of ad groups left unjudged for too little data. */
  skipped: Skipped | null;
}

export interface OpenAlert {
  channel: string;
  problem: Problem;
  openedAt: Date;
  snoozedUntil: Date | null;
  untilRecovered: boolean;
  awaitingApproval: boolean;
  /** The alert's message in Slack; null when it was never posted. */
  link: string | null;
}

export interface Approval {
  /** The firing's id: the Approve and Skip buttons' value. */
  id: string;
  channel: string;
  entityTitle: string | null;
  entityId: string;
  why: string;
  expiresAt: Date | null;
}

export interface HomeData {
  now: Date;
  timeZone: string;
  sandbox: boolean;
  /** WHOP_COMPANY_ID, or null when the key's own account is used. */
  accountId: string | null;
  /** The account this summary is of, and every account's name: with more than one, Home offers the others. */
  account: { name: string; choices: readonly string[] };
  currency: Currency | null;
  /** Null until the first setup check has asked Whop. */
  whop: { reachable: boolean; since: Date; reason: string | null } | null;
  /** What the setup checks found wrong, one plain-words line each (ids only, no data from people). */
  problems: string[];
  digests: DigestEntry[];
  alerts: AlertEntry[];
  openAlerts: OpenAlert[];
  /** Rule actions awaiting an operator; filled only for an operator. */
  approvals: Approval[];
  /** The newest audit rows, newest first; `moreAudit`: older ones exist. */
  audit: AuditEntry[];
  moreAudit: boolean;
  operators: string[];
  mayAct: boolean;
  /** The first time this person opens Home. */
  guidedStart: boolean;
  /** Some alert rule has an action `/ads rules simulate` can replay: Home offers Simulate rules. */
  rulesToSimulate: boolean;
}

/** How much of each list a surface shows; the rest is counted in a closing line. */
export interface Caps {
  blocks: number;
  /** What all blocks may add up to (JSON characters), and each list line. */
  chars: number;
  lineChars: number;
  /** Sections one list may take. */
  listSections: number;
  problems: number;
  digests: number;
  alerts: number;
  openAlerts: number;
  approvals: number;
  audit: number;
}

/** The Home tab: 100 blocks, room for a big setup's lists in full but for the open alerts and approvals. */
export const HOME_CAPS: Caps = {
  blocks: LIMITS.blocksPerHome,
  chars: Number.POSITIVE_INFINITY,
  lineChars: 600,
  listSections: 6,
  problems: 10,
  digests: 20,
  alerts: 20,
  openAlerts: 30,
  approvals: 10,
  audit: 10,
};

/** `/ads status`, an ephemeral message: 50 blocks and the 12,000 characters a message's blocks may add up to. */
export const STATUS_CAPS: Caps = {
  blocks: LIMITS.blocksPerMessage,
  chars: LIMITS.messageBlocksChars,
  lineChars: 250,
  listSections: 2,
  problems: 5,
  digests: 8,
  alerts: 8,
  openAlerts: 10,
  approvals: 0,
  audit: 5,
};

/** Lines packed into as few sections as their 3,000 characters allow, at most `maxBlocks`; what does not fit is counted. */
function packLines(lines: readonly string[], maxBlocks: number, more: (n: number) => string, lineChars: number = LIMITS.sectionText, maxLines = lines.length): SectionBlock[] {
  const texts: string[] = [];
  let current = '';
  let shown = 0;
  const room = LIMITS.sectionText - 200;
  for (const line of lines.slice(0, maxLines)) {
    const fitted = truncate(line, Math.min(room, lineChars));
    if (current && current.length + 1 + fitted.length > room) {
      if (texts.length + 1 >= maxBlocks) break;
      texts.push(current);
      current = '';
    }
    current = current ? `${current}\n${fitted}` : fitted;
    shown += 1;
  }
  const cut = lines.length - shown;
  if (cut > 0) current = `${current}\n_${more(cut)}_`;
  if (current) texts.push(current);
  return texts.map((text) => section(text));
}

const when = (at: Date | null, timeZone: string) => (at ? moment(at, timeZone) : 'not within a year');

const RUN_OUTCOME: Record<JobRun['outcome'], string> = {
  ok: ':white_check_mark: went fine',
  whop_failed: ':warning: Whop failed',
  failed: ':x: failed',
};

function lastRun(run: JobRun | undefined, timeZone: string): string {
  if (!run) return 'not run yet';
  const detail = run.detail ? ` (${esc(truncate(run.detail, 160))})` : '';
  return `last ${moment(run.startedAt, timeZone)}: ${RUN_OUTCOME[run.outcome]}${detail}`;
}

const WINDOW_WORDS: Record<WindowName, string> = { today: 'today so far', yesterday: 'yesterday', last_7d: 'last 7 days', last_30d: 'last 30 days' };

const digestLine = (d: DigestEntry, tz: string) => `• <#${d.channel}> · ${WINDOW_WORDS[d.window]} · ${esc(d.schedule)}\n   next ${when(d.next, tz)} · ${lastRun(d.last, tz)}`;

const REASON_WORDS: Record<string, string> = { min_spend: 'under min_spend', min_impressions: 'under min_impressions', too_new: 'too new' };

function skippedWords(skipped: Skipped | null): string {
  if (!skipped) return '';
  const parts = Object.entries(skipped).flatMap(([rule, reasons]) =>
    Object.entries(reasons ?? {}).map(([reason, n]) => `${n} ${rule.replace(/_/g, ' ')} ${REASON_WORDS[reason] ?? reason}`),
  );
  return parts.length > 0 ? `\n   left unjudged last check: ${parts.join(', ')}` : '';
}

const alertLine = (a: AlertEntry, tz: string) => `• <#${a.channel}> · ${esc(a.schedule)}\n   next ${when(a.next, tz)} · ${lastRun(a.last, tz)}${skippedWords(a.skipped)}`;

function alertState(a: OpenAlert, tz: string): string {
  if (a.awaitingApproval) return ':raised_hand: awaiting approval';
  if (a.untilRecovered) return ':zzz: snoozed until it recovers';
  if (a.snoozedUntil) return `:zzz: snoozed until ${moment(a.snoozedUntil, tz)}`;
  return ':red_circle: open';
}

const openAlertLine = (a: OpenAlert, tz: string) =>
  `• ${truncate(headline(a.problem), 400)} · <#${a.channel}> · ${alertState(a, tz)} · opened ${moment(a.openedAt, tz)}${a.link ? ` · <${a.link}|open>` : ''}`;

const AUDIT_OUTCOME: Record<AuditEntry['outcome'], string> = {
  done: ':white_check_mark: done',
  already: 'already so',
  refused: ':no_entry_sign: refused',
  failed: ':x: failed',
  asked: 'asked to confirm',
  cancelled: 'cancelled',
};

export const auditLine = (e: AuditEntry, tz: string): string => {
  const change = e.before || e.after ? ` (${esc(truncate(e.before ?? '—', 40))} → ${esc(truncate(e.after ?? '—', 40))})` : '';
  const reason = e.reason ? ` (${e.reason})` : '';
  return `• ${moment(e.at, tz)} · ${actor(e.userId)} · \`${esc(truncate(e.action, 60))}\` *${title(e.entityTitle, e.entityId, 60)}*${change} · ${AUDIT_OUTCOME[e.outcome]}${reason}`;
};

const mentionOf = (id: string) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`);

function whoMayAct(data: HomeData): string {
  const who =
    data.operators.length > 0 ? `Operators: ${data.operators.map(mentionOf).join(', ')}.` : 'Every member of the workspace may act (`access.operators` is empty); guests may not.';
  const you = data.mayAct
    ? 'You may act: pause and unpause, change budgets, approve rule actions, post a digest.'
    : 'You can look but not act here: ask one of the operators, or whoever runs the bot to add you to `access.operators` in ads-bot.yml.';
  return `*Who may act*\n${who}\n${you}`;
}

function accountLines(data: HomeData): string {
  const tz = data.timeZone;
  const id = data.accountId ? `\`${esc(data.accountId)}\`` : 'the API key’s own account';
  const account = data.account.choices.length > 1 ? `*${esc(data.account.name)}* · ${id}` : id;
  const whop = !data.whop
    ? 'not checked yet'
    : data.whop.reachable
      ? `:large_green_circle: reachable since ${moment(data.whop.since, tz)}`
      : `:red_circle: unreachable since ${moment(data.whop.since, tz)}${data.whop.reason ? ` (${esc(truncate(data.whop.reason, 200))})` : ''}`;
  const kind = data.sandbox ? SANDBOX_MARK : '*Real ads*';
  return `*Account* ${account} · currency ${data.currency ?? 'unknown'} · time zone ${esc(tz)}\n*Whop* ${whop} · ${kind}`;
}

const GUIDED_START = [
  '*Welcome! Getting started takes three steps:*',
  '1. Put channel ids under `digests:` and `alerts:` in ads-bot.yml (a schedule each, in your time zone) and restart the bot.',
  '2. Invite me to each of those channels: `/invite @Whop Ads`. The warnings at the top of this tab say where I am missing.',
  '3. Try `/ads digest` in a channel, `/adgroup black friday` to find an ad group, and `/ads status` for this summary anywhere.',
].join('\n');

/** The blocks Home and `/ads status` share, within `caps`; `buttons` only on Home. */
function summaryBlocks(data: HomeData, caps: Caps, buttons: { approvals?: ApprovalActions; home: boolean }): KnownBlock[] {
  const tz = data.timeZone;
  const top: KnownBlock[] = [header('Whop Ads'), context(`Updated ${moment(data.now, tz)}`)];
  if (data.problems.length > 0) {
    const shown = data.problems.slice(0, caps.problems).map((p) => `• ${esc(p)}`);
    top.push(...packLines([':warning: *Setup problems*', ...shown], 2, (n) => `and ${n} more`, caps.lineChars));
    top.push(...more(data.problems.length - caps.problems, 'setup problems', 'each is a warning line in the log'));
  }
  if (buttons.home && data.account.choices.length > 1) top.push(...accountPicker(data.account));
  if (data.guidedStart) top.push(section(GUIDED_START));
  top.push(section(accountLines(data)));

  const digests = data.digests.length > 0 ? data.digests.map((d) => digestLine(d, tz)) : ['No digests configured: add one under `digests:` in ads-bot.yml.'];
  const alerts = data.alerts.length > 0 ? data.alerts.map((a) => alertLine(a, tz)) : ['No alert checks configured: add one under `alerts:` in ads-bot.yml.'];
  const open = data.openAlerts.map((a) => openAlertLine(a, tz));
  const lists: KnownBlock[] = [
    divider(),
    section('*Digests*'),
    ...packLines(digests, caps.listSections, (n) => `and ${n} more digests: ads-bot.yml lists them all`, caps.lineChars, caps.digests),
    section('*Alert checks*'),
    ...packLines(alerts, caps.listSections, (n) => `and ${n} more alert checks: ads-bot.yml lists them all`, caps.lineChars, caps.alerts),
    section(`*Open alerts* (${data.openAlerts.length})`),
    ...(open.length > 0
      ? packLines(open, caps.listSections, (n) => `and ${n} more open alerts: each is in its channel`, caps.lineChars, caps.openAlerts)
      : [context('None open.')]),
  ];
  const approvals: KnownBlock[] = [];
  if (buttons.approvals && data.approvals.length > 0 && caps.approvals > 0) {
    approvals.push(divider(), section(`*Rule actions awaiting approval* (${data.approvals.length})`));
    for (const a of data.approvals.slice(0, caps.approvals)) {
      const expires = a.expiresAt ? ` · expires ${moment(a.expiresAt, tz)}` : '';
      approvals.push(
        section(`*${title(a.entityTitle, a.entityId)}* in <#${a.channel}>: ${esc(truncate(a.why, 600))}${expires}`),
        actions([button('Approve', buttons.approvals.approve, a.id, { style: 'primary' }), button('Skip', buttons.approvals.skip, a.id)]),
      );
    }
    approvals.push(...more(data.approvals.length - caps.approvals, 'awaiting approval', 'Approve or Skip them on their alerts'));
  }
  const audit = data.audit.slice(0, caps.audit);
  const history: KnownBlock[] = [
    divider(),
    section('*Last actions*'),
    ...(audit.length > 0
      ? packLines(
          audit.map((e) => auditLine(e, tz)),
          2,
          (n) => `and ${n} more`,
          caps.lineChars,
        )
      : [context('Nothing done through the bot yet.')]),
  ];
  const pageButton = data.moreAudit || data.audit.length > caps.audit ? [button('Older actions', HOME_AUDIT_PAGE_ACTION, String(caps.audit))] : [];
  const homeButtons: Button[] = buttons.home
    ? [
        ...(data.mayAct ? [button('Post a digest now', HOME_POST_DIGEST_ACTION, 'open', { style: 'primary' })] : []),
        // Only reads, as /ads rules simulate: anyone may.
        ...(data.rulesToSimulate ? [button('Simulate rules', HOME_SIMULATE_ACTION, 'simulate')] : []),
        ...pageButton,
        button('Refresh', HOME_REFRESH_ACTION, 'refresh'),
      ]
    : [];
  const bottom: KnownBlock[] = [divider(), section(whoMayAct(data)), ...(homeButtons.length > 0 ? [actions(homeButtons, 'home_buttons')] : [])];
  // The lists give way to the rest, from their end (the open alerts, which are in their channels anyway), for the
  // surface's block limit and then its character budget.
  const fixed = [...top, ...approvals, ...history, ...bottom];
  let shown = lists.slice(0, Math.max(0, caps.blocks - fixed.length - 1));
  while (shown.length > 0 && blocksChars([...fixed, ...shown]) + CUT_NOTE_ROOM > caps.chars) shown = shown.slice(0, -1);
  const cut = lists.length - shown.length;
  const listed = cut > 0 ? [...shown, context(`${cut} more blocks of this list left out for Slack's limits: the Home tab shows more`)] : lists;
  return [...top, ...listed, ...approvals, ...history, ...bottom];
}

/** The characters the note of what was left out costs. */
const CUT_NOTE_ROOM = 200;

const more = (n: number, what: string, where: string): KnownBlock[] => (n > 0 ? [context(`and ${n} more ${what}: ${where}`)] : []);

/** Slack's limit on the elements of one actions block. */
const ACTIONS_PER_BLOCK = 25;

/** One button per account, the shown one marked, in rows of what an actions block holds. */
function accountPicker(account: HomeData['account']): KnownBlock[] {
  const buttons = account.choices.map((name) =>
    button(name === account.name ? `• ${name}` : name, `${HOME_ACCOUNT_ACTION}:${name}`, name, name === account.name ? { style: 'primary' } : {}),
  );
  const rows: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += ACTIONS_PER_BLOCK) rows.push(actions(buttons.slice(i, i + ACTIONS_PER_BLOCK), `home_accounts_${i / ACTIONS_PER_BLOCK}`));
  return rows;
}

/**
 * The Home tab as `views.publish` takes it, naming the account it shows (private_metadata: which Home the next
 * open and its buttons show, never who may act). Approve and Skip only for someone who may act.
 */
export function homeView(data: HomeData, approvalActions: ApprovalActions): HomeView & { blocks: KnownBlock[] } {
  return {
    type: 'home',
    private_metadata: data.account.name,
    blocks: summaryBlocks(data, HOME_CAPS, { home: true, ...(data.mayAct ? { approvals: approvalActions } : {}) }),
  };
}

/** `/ads status`: the same summary as an ephemeral message, without buttons. */
export function statusMessage(data: HomeData): { text: string; blocks: KnownBlock[] } {
  const failing = data.problems.length > 0 ? `, ${data.problems.length} setup problems` : '';
  return {
    text: `Whop Ads: ${data.digests.length} digests, ${data.alerts.length} alert checks, ${data.openAlerts.length} open alerts${failing}`,
    blocks: summaryBlocks(data, STATUS_CAPS, { home: false }),
  };
}

const modalTitle = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, LIMITS.viewTitle) });

/** Audit rows per page of the "Older actions" form. */
export const AUDIT_PAGE_SIZE = 25;

/** One page of an account's audit log, newest first, from `offset`; Older goes on to the next (the form names the account). */
export function auditPageModal(rows: readonly AuditEntry[], offset: number, more: boolean, timeZone: string, account: string): ModalView {
  const lines = rows.map((e) => auditLine(e, timeZone));
  const blocks: KnownBlock[] = [
    context(`Actions ${offset + 1}–${offset + rows.length}, newest first`),
    ...(lines.length > 0 ? packLines(lines, 10, (n) => `and ${n} more`) : [section('No older actions.')]),
    ...(more ? [actions([button('Older', HOME_AUDIT_PAGE_ACTION, String(offset + rows.length))])] : []),
  ];
  return { type: 'modal', title: modalTitle('Audit log'), close: { type: 'plain_text', text: 'Close' }, private_metadata: account, blocks };
}

export interface DigestChannel {
  id: string;
  /** The channel's name as Slack said at the last setup check, when it could. */
  name: string | null;
}

const WINDOW_OPTIONS: WindowName[] = ['today', 'yesterday', 'last_7d', 'last_30d'];
const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text: truncate(text, LIMITS.optionText) }, value });

/** "Post a digest now": a configured channel and a window. */
export function postDigestModal(channels: readonly DigestChannel[]): ModalView {
  const titleText = modalTitle('Post a digest now');
  if (channels.length === 0) {
    return {
      type: 'modal',
      title: titleText,
      close: { type: 'plain_text', text: 'Close' },
      blocks: [section('No channel is configured yet: add one under `digests:` or `alerts:` in ads-bot.yml and restart the bot.')],
    };
  }
  const channelOptions = channels.slice(0, LIMITS.selectOptions).map((c) => option(c.name ? `#${c.name}` : c.id, c.id));
  const windowOptions = WINDOW_OPTIONS.map((w) => option(WINDOW_WORDS[w], w));
  return {
    type: 'modal',
    callback_id: POST_DIGEST_CALLBACK,
    title: titleText,
    submit: { type: 'plain_text', text: 'Post' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: POST_DIGEST_CHANNEL_BLOCK,
        label: { type: 'plain_text', text: 'Channel' },
        element: { type: 'static_select', action_id: POST_DIGEST_CHANNEL_INPUT, options: channelOptions, initial_option: channelOptions[0] },
      },
      {
        type: 'input',
        block_id: POST_DIGEST_WINDOW_BLOCK,
        label: { type: 'plain_text', text: 'Window' },
        element: { type: 'static_select', action_id: POST_DIGEST_WINDOW_INPUT, options: windowOptions, initial_option: windowOptions[1] },
      },
    ],
  };
}

/** Simulate rules (Home): the replay's answer, or what it is doing or why it could not, in a form of its own. */
export const simulateModal = (content: { blocks: KnownBlock[] } | { text: string }): ModalView => ({
  type: 'modal',
  title: modalTitle('Simulate rules'),
  close: { type: 'plain_text', text: 'Close' },
  blocks: 'blocks' in content ? content.blocks : [section(content.text)],
});

/** What the form says once the digest is posted, or why not. */
export const postDigestResult = (text: string): ModalView => ({
  type: 'modal',
  title: modalTitle('Post a digest now'),
  close: { type: 'plain_text', text: 'Close' },
  blocks: [section(text)],
});

/** What the bot says when it is added to a channel: what it posts there, or how to have it post there. */
export function onboardingMessage(
  channel: string,
  digests: readonly Pick<DigestEntry, 'window' | 'schedule'>[],
  alerts: readonly Pick<AlertEntry, 'schedule'>[],
  summaries: readonly Pick<DigestEntry, 'window' | 'schedule'>[],
): { text: string; blocks: KnownBlock[] } {
  const lines = [
    ...digests.map((d) => `• a digest of ${WINDOW_WORDS[d.window]}, ${esc(d.schedule)}`),
    ...alerts.map((a) => `• an alert check, ${esc(a.schedule)}: a message when something goes wrong with the ads`),
    ...summaries.map((m) => `• a summary across accounts of ${WINDOW_WORDS[m.window]}, ${esc(m.schedule)}`),
  ];
  const text =
    lines.length > 0
      ? `:wave: Hi! Here I will post:\n${lines.slice(0, 20).join('\n')}\nPause, budget and snooze buttons work for operators. \`/ads status\` shows the whole setup.`
      : `:wave: Hi! Nothing is set to post in this channel yet. To have digests or alerts here, add \`${channel}\` under \`digests:\` or \`alerts:\` in ads-bot.yml and restart me. Meanwhile \`/ads digest\` posts one now.`;
  return { text: truncate(text.replace(/[*_`]/g, ''), 300), blocks: [section(text)] };
}
