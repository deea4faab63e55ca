import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { onboardingMessage } from '../../../blocks/home';
import { scheduleInWords } from '../../cron-reading';
import type { BotDeps } from '../deps';

/** With the ack src/slack/listeners.ts gives events, so they queue like every other listener. */
type Args = Omit<SlackEventMiddlewareArgs<'member_joined_channel'>, 'ack'> & AllMiddlewareArgs & { ack: () => Promise<void> };

/**
 * The bot was added to a channel: one short message saying what it posts there, or how to have it post there. Once
 * per channel ever, whichever replica gets the event and however often Slack delivers it (the store's first_times).
 */
export const onBotJoined =
  (deps: BotDeps) =>
  async ({ ack, event, client, context }: Args): Promise<void> => {
    await ack();
    if (event.user !== context.botUserId) return;
    const { channel } = event;
    if (!(await deps.firsts.claim(`channel:${channel}`, deps.now()))) return void deps.log.debug({ channel }, 'added to a channel again: its onboarding message was posted before');
    const { settings } = deps.summary;
    const tz = settings.timezone;
    const digests = settings.digests.filter((d) => d.channel === channel).map((d) => ({ window: d.window, schedule: scheduleInWords(d.schedule, tz) }));
    const alerts = settings.alerts.filter((a) => a.channel === channel).map((a) => ({ schedule: scheduleInWords(a.schedule, tz) }));
    const summaries = settings.summaries.filter((m) => m.channel === channel).map((m) => ({ window: m.window, schedule: scheduleInWords(m.schedule, tz) }));
    try {
      await client.chat.postMessage({ channel, ...onboardingMessage(channel, digests, alerts, summaries) });
      deps.log.info({ channel, digests: digests.length, alerts: alerts.length, summaries: summaries.length }, 'added to a channel: onboarding message posted');
    } catch (err) {
      deps.log.warn({ err, channel }, 'added to a channel, but the onboarding message could not be posted');
    }
  };
