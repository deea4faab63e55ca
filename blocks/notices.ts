import type { Toggle } from './action-result';
import { type EntityKind, noun, statusLabel } from './entity';
import type { Currency } from '../src/currency';
import { esc, money, title } from './format';

/** Short ephemeral answers: what happened and what to do next, in plain words. */

const VERB: Record<Toggle, string> = { pause: 'pause', unpause: 'unpause' };

/** `what` is our own words, e.g. "pause ads". */
export const notAllowed = (what: string, operators: string): string =>
  `You are not allowed to ${what} with this bot. Ask one of ${operators} to do it, or ask an admin to add you to \`access.operators\`.`;

export const alreadyThere = (name: string | null, id: string, status: string): string =>
  `*${title(name, id)}* is already ${statusLabel(status)} (someone else changed it, or it was changed in Whop). I refreshed the row; nothing was sent to Whop.`;

export const underReview = (kind: EntityKind, name: string | null, id: string, status: string): string =>
  `${noun(kind)[0]!.toUpperCase()}${noun(kind).slice(1)} *${title(name, id)}* is ${statusLabel(status)}: it is not delivering, and Whop only lets you pause or unpause it once the review is over. Edit it in Whop to resubmit.`;

/** `doing` is our own words (e.g. "pause ad *X*"); `why` is a WhopFailure message. */
export const couldNot = (doing: string, why: string): string => `Couldn't ${doing}: ${esc(why)} Nothing was changed.`;

export const whopRefused = (verb: Toggle, kind: EntityKind, name: string | null, id: string, why: string): string =>
  couldNot(`${VERB[verb]} ${noun(kind)} *${title(name, id)}*`, why);

/** Whop never answered a pause or unpause: it may or may not have happened, and a second click is safe. */
export const whopUnsure = (verb: Toggle, kind: EntityKind, name: string | null, id: string): string =>
  `Whop is not answering right now, so I can’t tell whether ${noun(kind)} *${title(name, id)}* was ${verb === 'pause' ? 'paused' : 'unpaused'}. I left the message as it was. Click again in a minute: I check Whop first, so it is never done twice.`;

export const unknownButton = (): string =>
  'That button is not one this bot understands (it may be from an older version). Nothing was changed; post a fresh digest with `/ads digest`.';

export const messageNotUpdated = (verb: Toggle, kind: EntityKind, name: string | null, id: string): string =>
  `Done: ${noun(kind)} *${title(name, id)}* was ${verb === 'pause' ? 'paused' : 'unpaused'} in Whop, but Slack did not let me update the message.`;

export const budgetTooHigh = (amount: number, max: number, currency: Currency | null): string =>
  `${money(amount, currency)} is above the bot’s limit of ${money(max, currency)} per ad group (\`budget.max_amount\`). Nothing was changed; set it in Whop if it is intended.`;

export const noSuchAdGroup = (id: string): string =>
  `There is no ad group \`${esc(id)}\` in this Whop account. Check the id, or search by name: \`/adgroup black friday\`.`;

export const budgetSetByCampaign = (name: string | null, id: string): string =>
  `*${title(name, id)}* has no budget of its own: it is set by its campaign. Change the campaign’s budget in Whop.`;

export const wrongCurrency = (given: Currency, account: Currency): string =>
  `This account’s budgets are in ${esc(account)}, not ${esc(given)}. Nothing was changed; give the amount in ${esc(account)}.`;

/** Whop did not say which currency the budget is in, so an amount typed with one cannot be checked. */
export const currencyUnknown = (given: Currency): string =>
  `Whop does not say which currency this budget is in, so I can’t check that it is ${esc(given)}. Nothing was changed; give the amount as a plain number.`;

export const sameBudget = (name: string | null, id: string, amount: string): string =>
  `*${title(name, id)}* already has a budget of ${amount}. Nothing was changed.`;

export const budgetMovedOn = (name: string | null, id: string, now: string): string =>
  `The budget of *${title(name, id)}* was changed by someone else meanwhile (it is now ${now}). Nothing was changed; run the command again if you still want it.`;

export const budgetUnsure = (name: string | null, id: string): string =>
  `Whop did not answer, so I can't tell whether the budget of *${title(name, id)}* changed. Check \`/adgroup ${esc(id)}\` before trying again.`;

export const notYourChange = (requester: string): string =>
  `Only <@${requester}>, who asked for this change, or an operator can confirm it.`;
