import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { esc } from '../../../blocks/format';
import { adsHelp } from '../../../blocks/help';
import { statusMessage } from '../../../blocks/home';
import { couldNot, digestRefused, notAllowed } from '../../../blocks/notices';
import { simulateAnswer } from '../../../blocks/simulate';
import { homeData } from '../../home/summary';
import type { BotDeps } from '../deps';
import { digestRefusalCode } from '../digest-refusal';
import { commandKey } from '../request-keys';
import { requesterOf } from '../requester';
import { parseAdsCommand } from './parse';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** `/ads rules simulate [days]`: only reads, so anyone may; the answer is the asker's alone. */
async function simulate({ command, ack, respond }: Args, deps: BotDeps, days: number): Promise<void> {
  await ack({ response_type: 'ephemeral', text: `Replaying the alert rules with an action over the last ${days === 1 ? 'day' : `${days} days`}…` });
  if (command.trigger_id && !(await deps.clicks.claim(commandKey(command.trigger_id), deps.now()))) return;
  const replay = await deps.simulateRules(days);
  if (!replay.ok) {
    deps.log.warn({ whop: replay.error }, '/ads rules simulate could not read Whop');
    await respond({ response_type: 'ephemeral', text: couldNot('replay the rules', replay.error.message) });
    return;
  }
  await respond({ response_type: 'ephemeral', ...simulateAnswer(replay.value, days, deps.timeZone) });
}

/** `/ads digest [window]` posts a digest here now; `/ads status` is App Home's summary, for this person only; `/ads rules simulate [days]` replays the rules that act; `/ads help` explains. */
export const onAdsCommand =
  (deps: BotDeps) =>
  async (args: Args): Promise<void> => {
    const { command, ack, respond } = args;
    const parsed = parseAdsCommand(command.text);
    if (parsed.kind === 'simulate') return simulate(args, deps, parsed.days);
    if (parsed.kind === 'status') {
      await ack();
      const verdict = await deps.authz.check(requesterOf(command));
      const data = await homeData(deps.summary, { userId: command.user_id, mayAct: verdict.ok, firstLook: false });
      await respond({ response_type: 'ephemeral', ...statusMessage(data) });
      return;
    }
    if (parsed.kind !== 'digest') {
      await ack({ response_type: 'ephemeral', text: adsHelp(parsed.kind === 'invalid' ? parsed.problem : undefined, deps.summary.account.choices) });
      return;
    }
    await ack({ response_type: 'ephemeral', text: 'Building the digest…' });
    // Slack sends a command once per trigger_id: a retried or replayed delivery must not post it twice.
    if (command.trigger_id && !(await deps.clicks.claim(commandKey(command.trigger_id), deps.now()))) return;
    if (deps.ownChannels && !deps.ownChannels.has(command.channel_id)) {
      const verdict = await deps.authz.check(requesterOf(command));
      if (!verdict.ok) {
        await respond({ response_type: 'ephemeral', text: notAllowed(verdict.reason, "post this account's digest outside its own channels", deps.authz.operatorsMention()) });
        return;
      }
    }
    try {
      const outcome = await deps.postDigest({ channel: command.channel_id, window: parsed.window });
      if (!outcome.posted) await respond({ response_type: 'ephemeral', text: `No digest posted: ${esc(outcome.reason)}` });
    } catch (err) {
      const code = digestRefusalCode(err);
      deps.log.warn({ err, channel: command.channel_id }, '/ads digest could not post');
      await respond({ response_type: 'ephemeral', text: digestRefused(code, 'this channel') });
    }
  };
