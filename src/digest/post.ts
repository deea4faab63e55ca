import type { WebClient } from '@slack/web-api';
import { digestMessages } from '../../blocks/digest';
import type { DigestSettings } from '../config';
import type { Logger } from '../logger';
import type { AdsGateway } from '../whop/gateway';
import type { WhopFailure } from '../whop/result';
import { buildDigest } from './build';

export interface DigestDeps {
  gateway: AdsGateway;
  slack: WebClient;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}

export type DigestOutcome = { posted: true; channel: string; ts: string; replies: number } | { posted: false; reason: string; failure: WhopFailure };

/**
 * Builds the whole digest before posting anything, so a Whop failure posts nothing half-built.
 * Thread replies go one after another: Slack allows about one message per second per channel.
 */
export async function postDigest(deps: DigestDeps, digest: Pick<DigestSettings, 'channel' | 'window' | 'campaigns' | 'top'>): Promise<DigestOutcome> {
  const now = deps.now();
  const view = await buildDigest(deps.gateway, { digest, timeZone: deps.timeZone, now, sandbox: deps.sandbox });
  if (!view.ok) {
    deps.log.warn({ channel: digest.channel, whop: view.error }, 'digest not posted: Whop failed');
    return { posted: false, reason: view.error.message, failure: view.error };
  }
  const { main, replies } = digestMessages(view.value, now);
  const posted = await deps.slack.chat.postMessage({ channel: digest.channel, text: main.text, blocks: main.blocks });
  // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
  const ts = posted.ts!;
  for (const reply of replies) {
    await deps.slack.chat.postMessage({ channel: digest.channel, thread_ts: ts, text: reply.text, blocks: reply.blocks });
  }
  deps.log.info({ channel: digest.channel, ts, replies: replies.length, issues: view.value.issues.length }, 'digest posted');
  return { posted: true, channel: digest.channel, ts, replies: replies.length };
}
