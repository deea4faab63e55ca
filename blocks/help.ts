/** Usage, with examples, for people who typed `help`, nothing, or something the bot does not know. */

/** With several Whop accounts: how a command outside an account's own channels names its account. */
const accountLine = (accounts: readonly string[]): string =>
  accounts.length > 1 ? `• Outside an account’s own channels, add \`account:<name>\` anywhere: ${accounts.map((a) => `\`account:${a}\``).join(', ')}` : '';

export const adGroupHelp = (problem?: string, accounts: readonly string[] = []): string =>
  [
    problem ? `:warning: ${problem}\n` : '',
    '*/adgroup* — look up an ad group or change its budget',
    '• `/adgroup adgrp_2Xk9…` — the ad group’s card: status, budget, spend and results, open issues',
    '• `/adgroup black friday` — search ad groups by title',
    '• `/adgroup budget adgrp_2Xk9… 150` — set its budget (also `$1,250.50` or `200 USD`)',
    '• `/adgroup help` — this help',
    accountLine(accounts),
  ]
    .filter(Boolean)
    .join('\n');

export const adsHelp = (problem?: string, accounts: readonly string[] = []): string =>
  [
    problem ? `:warning: ${problem}\n` : '',
    '*/ads* — ads digests on demand, the setup at a glance, and what rules that act would have done',
    '• `/ads digest` — post yesterday’s digest in this channel now',
    '• `/ads digest today` — also `yesterday`, `last_7d`, `last_30d`',
    '• `/ads rules simulate` — replay every alert rule with an action over the last 7 days (or `/ads rules simulate 14`, 1 to 28): what each would have done, only to you; nothing is changed',
    '• `/ads status` — what the Home tab shows: schedules, open alerts, setup problems, last actions (only to you)',
    '• `/ads help` — this help',
    accountLine(accounts),
  ]
    .filter(Boolean)
    .join('\n');
