import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { esc } from '../../../blocks/format';
import { POST_DIGEST_CHANNEL_BLOCK, POST_DIGEST_CHANNEL_INPUT, POST_DIGEST_WINDOW_BLOCK, POST_DIGEST_WINDOW_INPUT, postDigestResult } from '../../../blocks/home';
import { digestRefused } from '../../../blocks/notices';
import { configuredChannels } from '../../home/summary';
import { WINDOWS } from '../../model';
import type { Refusal } from '../authz';
import type { BotDeps } from '../deps';
import { digestRefusalCode } from '../digest-refusal';
import { submissionKey } from '../request-keys';
import { requesterOf } from '../requester';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const selected = (values: ViewSubmitAction['view']['state']['values'], block: string, input: string): unknown => values[block]?.[input]?.selected_option?.value;

/** The channel picked in the form, as sent (checked against the configured ones by the handler). */
export const chosenChannel = (view: ViewSubmitAction['view']): unknown => selected(view.state.values, POST_DIGEST_CHANNEL_BLOCK, POST_DIGEST_CHANNEL_INPUT);

/** A form's error line is plain text: no mentions, a few words. */
const REFUSED: Record<Refusal, string> = {
  other_workspace: 'Only people of this workspace may post a digest from here. Nothing was posted.',
  guest: 'Guests may not post a digest from here. Nothing was posted.',
  not_operator: 'Only operators may post a digest from here (Home lists them). Nothing was posted.',
  unverified: 'Slack could not tell me who you are; try again in a minute. Nothing was posted.',
};

/**
 * The Post a digest now form, submitted: authorized from the submission itself (a forged one from someone who may
 * not act changes nothing), the channel one of the configured ones and the window one of the four, posted once
 * however often Slack delivers it, through the same code as `/ads digest`.
 */
export const onPostDigestSubmit =
  (deps: BotDeps) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const verdict = await deps.authz.check(requesterOf(body));
    if (!verdict.ok) {
      deps.log.info({ user: body.user.id, reason: verdict.reason }, 'Post a digest now refused');
      await ack({ response_action: 'errors', errors: { [POST_DIGEST_CHANNEL_BLOCK]: REFUSED[verdict.reason] } });
      return;
    }
    const channels = new Set(configuredChannels(deps.summary).map((c) => c.id));
    const channel = z
      .string()
      .refine((id) => channels.has(id))
      .safeParse(chosenChannel(view));
    const window = z.enum(WINDOWS).safeParse(selected(view.state.values, POST_DIGEST_WINDOW_BLOCK, POST_DIGEST_WINDOW_INPUT));
    if (!channel.success || !window.success) {
      const errors = {
        ...(channel.success ? {} : { [POST_DIGEST_CHANNEL_BLOCK]: 'Pick one of the channels listed.' }),
        ...(window.success ? {} : { [POST_DIGEST_WINDOW_BLOCK]: 'Pick one of the windows listed.' }),
      };
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack({ response_action: 'update', view: postDigestResult(`Building the digest for <#${channel.data}>…`) });
    if (!(await deps.clicks.claim(submissionKey(view), deps.now()))) return;
    let text: string;
    try {
      const outcome = await deps.postDigest({ channel: channel.data, window: window.data });
      text = outcome.posted ? `:white_check_mark: Posted in <#${channel.data}>.` : `No digest posted: ${esc(outcome.reason)}`;
    } catch (err) {
      const code = digestRefusalCode(err);
      deps.log.warn({ err, channel: channel.data }, 'Post a digest now could not post');
      text = digestRefused(code, 'that channel');
    }
    await client.views.update({ view_id: view.id, view: postDigestResult(text) }).catch((err: unknown) => deps.log.warn({ err }, 'could not tell how Post a digest now went'));
  };
