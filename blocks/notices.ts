import type { Currency } from '../src/currency';
import { type EntityKind, STATUS_AFTER, type Toggle } from '../src/model';
import type { Refusal } from '../src/slack/authz';
import { noun, statusLabel } from './entity';
import { esc, money, title } from './format';

/** Short ephemeral answers: what happened and what to do next, in plain words. */

const VERB: Record<Toggle, string> = { pause: 'pause', unpause: 'unpause' };

/** Who may act and where that is set: said with every refusal. `operators` as Slack mentions, empty for everyone. */
const whoMayAct = (operators: string): string =>
  operators === ''
    ? 'Today every member of this workspace may act, guests excepted; whoever runs the bot can name who may under `access.operators` in ads-bot.yml.'
    : `Those who may act: ${operators}. Ask one of them to do it, or ask whoever runs the bot to add your user id to \`access.operators\` in ads-bot.yml.`;

/** `what` is our own words, e.g. "pause ads". */
export function notAllowed(reason: Refusal, what: string, operators: string): string {
  const why: Record<Refusal, string> = {
    other_workspace: `Only people of the workspace this bot is installed in may ${what}; your request came from another workspace or organisation (a shared channel).`,
    guest: `Guest accounts may ${what} only when their own user id is listed in \`access.operators\`.`,
    not_operator: `You are not allowed to ${what} with this bot.`,
    unverified: `Slack could not tell me who you are, so I did not ${what}; try again in a minute.`,
  };
  return `${why[reason]} Nothing was changed. ${whoMayAct(operators)}`;
}

export const alreadyThere = (name: string | null, id: string, status: string): string =>
  `*${title(name, id)}* is already ${statusLabel(status)} (someone else changed it, or it was changed in Whop). I refreshed the row; nothing was sent to Whop.`;

export const underReview = (kind: EntityKind, name: string | null, id: string, status: string): string =>
  `${noun(kind).charAt(0).toUpperCase()}${noun(kind).slice(1)} *${title(name, id)}* is ${statusLabel(status)}: it is not delivering, and Whop only lets you pause or unpause it once the review is over. Edit it in Whop to resubmit.`;

/** `doing` is our own words (e.g. "pause ad *X*"); `why` is a WhopFailure message. */
export const couldNot = (doing: string, why: string): string => `Couldn't ${doing}: ${esc(why)} Nothing was changed.`;

export const whopRefused = (verb: Toggle, kind: EntityKind, name: string | null, id: string, why: string): string =>
  couldNot(`${VERB[verb]} ${noun(kind)} *${title(name, id)}*`, why);

const CLICK_AGAIN = 'I check Whop first, so it is never done twice';

/**
 * Whop did not confirm a pause or unpause (no answer, or a 5xx after the SDK's retries), so it may have gone
 * through. `now` is the status read back from Whop afterwards; null if that read failed too.
 */
export function whopUnsure(verb: Toggle, kind: EntityKind, name: string | null, id: string, now: string | null): string {
  const head = `Whop did not confirm the ${VERB[verb]} of ${noun(kind)} *${title(name, id)}*.`;
  if (now === null) return `${head} It may have gone through, and I could not read it back: look at it again in a minute, then click again if needed (${CLICK_AGAIN}).`;
  if (now === STATUS_AFTER[verb]) return `${head} It may have gone through: the ${noun(kind)} is now ${statusLabel(now)}.`;
  return `${head} It may still go through; for now it is ${statusLabel(now)}. Look again in a minute, then click again if needed (${CLICK_AGAIN}).`;
}

/** Pause all, for the ads whose pause Whop did not confirm; `status` as read back, null where that failed. */
export function pauseAllUnsure(ads: readonly { title: string | null; id: string; status: string | null }[]): string {
  const SHOWN = 10;
  const each = ads.slice(0, SHOWN).map((ad) => `*${title(ad.title, ad.id, 60)}* ${ad.status === null ? 'could not be read back' : `is now ${statusLabel(ad.status)}`}`);
  const more = ads.length > SHOWN ? `, and ${ads.length - SHOWN} more` : '';
  const count = ads.length === 1 ? 'one ad' : `${ads.length} ads`;
  return `Whop did not confirm the pause of ${count}, so it may have gone through: ${each.join(', ')}${more}. Look again in a minute; click Pause all again for any still active (${CLICK_AGAIN}).`;
}

/** Something inside the bot failed half-way (a bug, its database): no internals, and what to do next. */
export const somethingBroke = (): string =>
  'Something went wrong inside the bot and I could not finish that. Part of it may have been done: look at the message again (or use `/adgroup`) before you retry. Whoever runs the bot will find the details in its log.';

export const unknownButton = (): string =>
  'That button is not one this bot understands (it may be from an older version). Nothing was changed; post a fresh digest with `/ads digest`.';

export const messageNotUpdated = (verb: Toggle, kind: EntityKind, name: string | null, id: string): string =>
  `Done: ${noun(kind)} *${title(name, id)}* was ${verb === 'pause' ? 'paused' : 'unpaused'} in Whop, but Slack did not let me update the message.`;

export const budgetTooHigh = (amount: number, max: number, currency: Currency | null): string =>
  `${money(amount, currency)} is above the bot’s limit of ${money(max, currency)} per ad group (\`budget.max_amount\`). Nothing was changed; set it in Whop if it is intended.`;

export const noSuchAdGroup = (id: string): string => `There is no ad group \`${esc(id)}\` in this Whop account. Check the id, or search by name: \`/adgroup black friday\`.`;

export const budgetSetByCampaign = (name: string | null, id: string): string =>
  `*${title(name, id)}* has no budget of its own: it is set by its campaign. Change the campaign’s budget in Whop.`;

export const wrongCurrency = (given: Currency, account: Currency): string =>
  `This account’s budgets are in ${esc(account)}, not ${esc(given)}. Nothing was changed; give the amount in ${esc(account)}.`;

/** Whop did not say which currency the budget is in, so an amount typed with one cannot be checked. */
export const currencyUnknown = (given: Currency): string =>
  `Whop does not say which currency this budget is in, so I can’t check that it is ${esc(given)}. Nothing was changed; give the amount as a plain number.`;

export const sameBudget = (name: string | null, id: string, amount: string): string => `*${title(name, id)}* already has a budget of ${amount}. Nothing was changed.`;

export const budgetMovedOn = (name: string | null, id: string, now: string): string =>
  `The budget of *${title(name, id)}* was changed by someone else meanwhile (it is now ${now}). Nothing was changed; run the command again if you still want it.`;

/**
 * Whop did not confirm a budget change (no answer, or a 5xx after the SDK's retries), so it may have gone through.
 * `now` is the budget read back from Whop afterwards, formatted; null if that read failed too.
 */
export function budgetUnsure(name: string | null, id: string, to: string, now: string | null): string {
  const head = `Whop did not confirm the change of *${title(name, id)}*’s budget to ${to}.`;
  const check = `Check \`/adgroup ${esc(id)}\` in a minute before trying again.`;
  if (now === null) return `${head} It may have gone through, and I could not read it back. ${check}`;
  if (now === to) return `${head} It may have gone through: the budget is now ${now}.`;
  return `${head} It may still go through; for now the budget is ${now}. ${check}`;
}

export const notYourChange = (requester: string): string => `Only <@${requester}>, who asked for this change, can confirm or cancel it. Nothing was changed.`;

/** Why a Confirm, Cancel, Undo or form no longer applies; `minutes` is how long such a change is kept. */
export function pendingGone(why: 'unknown' | 'expired' | 'used', minutes: number): string {
  switch (why) {
    case 'unknown':
      return unknownButton();
    case 'expired':
      return `This was asked more than ${minutes} minutes ago, so it no longer applies. Nothing was changed; start again from the command or the card if you still want it.`;
    case 'used':
      return 'This was already used (confirmed, cancelled or undone). Nothing was changed again.';
  }
}

/** Answers to a Retry payment click, for the person who clicked; `name` and `id` are the campaign's. */
export const paymentRetried = {
  paid: (name: string | null, id: string) => `Whop charged the card: campaign *${title(name, id)}* can deliver again.`,
  declined: (name: string | null, id: string) =>
    `Whop tried again, and the card on file for *${title(name, id)}* was declined again. Update the payment method in Whop, then press Retry payment.`,
  notFailed: (name: string | null, id: string) =>
    `The payment of campaign *${title(name, id)}* no longer fails (it was retried meanwhile, or fixed in Whop). Nothing was sent to Whop.`,
  refused: (name: string | null, id: string, why: string) => `Couldn't retry the payment of campaign *${title(name, id)}*: ${esc(why)} Nothing was charged.`,
  unsure(name: string | null, id: string, now: string | null): string {
    const head = `Whop did not confirm the payment retry of campaign *${title(name, id)}*.`;
    if (now === null) return `${head} It may have gone through, and I could not read it back: look again in a minute before you retry (${CLICK_AGAIN}).`;
    if (now !== 'payment_failed') return `${head} It may have gone through: the campaign no longer reports a failed payment.`;
    return `${head} For now the payment still fails. Look again in a minute, then retry if needed (${CLICK_AGAIN}).`;
  },
};

/** Not Slack's: the bot could not do the work at all (its jobs thread could not start, or the bot is stopping). */
export const DIGEST_NOT_BUILT = 'digest_not_built';

/** Why Slack refused a digest, by its error code, for the channel named `where` ("this channel", "that channel"). */
export function digestRefused(code: string, where: string): string {
  const why: Record<string, string> = {
    not_in_channel: `I am not in ${where}: invite me with \`/invite @Whop Ads\`, then try again.`,
    channel_not_found: `I cannot see ${where}: invite me with \`/invite @Whop Ads\`, then try again.`,
    is_archived: `${where.charAt(0).toUpperCase()}${where.slice(1)} is archived.`,
    [DIGEST_NOT_BUILT]: 'The digest could not be built just now; try again in a minute.',
  };
  return why[code] ?? 'Slack refused the digest; try again in a minute.';
}

/** Where a command could not tell which account it is for: the choices, as the person would type them. */
export function whichAccount(choices: readonly string[], unknown: string | null): string {
  const options = choices.map((name) => `\`account:${name}\``);
  const listed = options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options.at(-1)}` : (options[0] ?? '');
  const lead = unknown === null ? '' : `There is no account ${esc(unknown === '' ? '(empty)' : unknown)}. `;
  return `${lead}Which account? Add ${listed} to the command. Nothing was changed.`;
}

/** `account:` naming another account than the one this bot serves. */
export const oneAccountOnly = 'This bot serves one Whop account: leave out `account:`. Nothing was changed.';

/** A command in a channel bound to one account named another. */
export const channelBelongsTo = (account: string): string =>
  `This channel belongs to ${esc(account)}: commands here act on ${esc(account)} only. Run it in a channel of the other account, or without \`account:\`. Nothing was changed.`;

/** A click in a channel no account is bound to, with several accounts. */
export const noAccountHere =
  'This channel is not bound to one of the Whop accounts, so I cannot tell which account this is for. Use the buttons in the account’s own channels. Nothing was changed.';
