import type { Toggle } from './action-result';
import { type EntityKind, noun, statusLabel } from './entity';
import { title } from './format';

/** Short ephemeral answers: what happened and what to do next, in plain words. */

const VERB: Record<Toggle, string> = { pause: 'pause', unpause: 'unpause' };

export const notAllowed = (verb: string, kind: EntityKind, operators: string): string =>
  `You are not allowed to ${verb} ${noun(kind)}s with this bot. Ask one of ${operators} to do it, or ask an admin to add you to \`access.operators\`.`;

export const alreadyThere = (kind: EntityKind, name: string | null, id: string, status: string): string =>
  `*${title(name, id)}* is already ${statusLabel(status)} (someone else changed it, or it was changed in Whop). I refreshed the row; nothing was sent to Whop.`;

export const underReview = (kind: EntityKind, name: string | null, id: string, status: string): string =>
  `${noun(kind)[0]!.toUpperCase()}${noun(kind).slice(1)} *${title(name, id)}* is ${statusLabel(status)}: it is not delivering, and Whop only lets you pause or unpause it once the review is over. Edit it in Whop to resubmit.`;

export const whopRefused = (verb: Toggle, kind: EntityKind, name: string | null, id: string, why: string): string =>
  `Couldn't ${VERB[verb]} ${noun(kind)} *${title(name, id)}*: ${why} Nothing was changed.`;

export const unknownButton = (): string =>
  'That button is not one this bot understands (it may be from an older version). Nothing was changed; post a fresh digest with `/ads digest`.';

export const messageNotUpdated = (verb: Toggle, kind: EntityKind, name: string | null, id: string): string =>
  `Done: ${noun(kind)} *${title(name, id)}* was ${verb === 'pause' ? 'paused' : 'unpaused'} in Whop, but Slack did not let me update the message.`;
