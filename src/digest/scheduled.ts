import { digestBuiltAgain, digestNotBuilt } from '../../blocks/digest';
import type { DigestSettings } from '../config';
import type { AlertStore } from '../store/types';
import { type DigestDeps, postDigest } from './post';

export interface ScheduledDigestDeps extends DigestDeps {
  /** Per-channel health, as the alert checks keep theirs; digests use keys of their own. */
  health: Pick<AlertStore, 'health' | 'saveHealth'>;
}

/** One health record per scheduled digest, apart from the channel's alert checks and its other digests. */
export const digestHealthKey = (digest: Pick<DigestSettings, 'channel' | 'schedule' | 'window'>): string => `digest:${digest.channel}:${digest.window}:${digest.schedule}`;

/**
 * One fire of a scheduled digest. When Whop stops it, the channel is told once, in plain words, and
 * that notice follows the failures in place; the first digest that posts again closes it. Slack
 * failures are thrown, for the scheduler to log, as before. Answers the digest's ts, null when it was not posted.
 */
export async function runScheduledDigest(deps: ScheduledDigestDeps, digest: DigestSettings, next: Date | null): Promise<string | null> {
  const key = digestHealthKey(digest);
  const outcome = await postDigest(deps, digest);
  const health = await deps.health.health(key);
  const { channel } = digest;
  if (outcome.posted) {
    if (health.failures === 0) return outcome.ts;
    if (health.noticeTs && health.failingSince) {
      const closed = digestBuiltAgain({ since: health.failingSince, failures: health.failures, timeZone: deps.timeZone, at: deps.now() });
      await deps.slack.chat
        .update({ channel, ts: health.noticeTs, ...closed })
        .catch((err: unknown) => deps.log.warn({ err, channel }, 'could not close the digest failure notice'));
    }
    await deps.health.saveHealth(key, { failures: 0, failingSince: null, noticeTs: null });
    return outcome.ts;
  }
  // Counted before telling anyone: if the notice cannot be posted now, the next failed fire posts it.
  const failing = { ...health, failures: health.failures + 1, failingSince: health.failingSince ?? deps.now() };
  await deps.health.saveHealth(key, failing);
  const notice = digestNotBuilt({ failure: outcome.failure, since: failing.failingSince, failures: failing.failures, next, timeZone: deps.timeZone });
  if (failing.noticeTs) {
    await deps.slack.chat
      .update({ channel, ts: failing.noticeTs, ...notice })
      .catch((err: unknown) => deps.log.warn({ err, channel }, 'could not update the digest failure notice'));
    return null;
  }
  const posted = await deps.slack.chat.postMessage({ channel, ...notice });
  // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
  await deps.health.saveHealth(key, { ...failing, noticeTs: posted.ts! });
  return null;
}
