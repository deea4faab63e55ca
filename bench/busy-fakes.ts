// Child process: the fake Whop and Slack that the busy work (busy-work.ts) talks to, apart from the ones the timed
// clicks and commands reach. Whop and Slack serve many requests at once; one fake's single event loop does not: while
// it writes a check's hourly report (seconds at the lowest priority) it would hold the clicks' Whop calls too, and the
// bot would then get their answers all at once, which Whop never does. The same simulated account as the parent's.
import { scaledAccount } from '../src/sandbox';
import { CHARTS_ACCOUNT } from './charts-account';
import { DIGEST_LATENCY_MS } from './digest-scale';
import { startFakes } from './setup';

const fakes = await startFakes(scaledAccount(CHARTS_ACCOUNT));
fakes.sandbox.faults.latencyMs = DIGEST_LATENCY_MS;
process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') void fakes.close().then(() => process.send!({ type: 'stopped' }, () => process.exit(0)));
});
process.send!({ type: 'ready', whopUrl: fakes.sandbox.url, slackUrl: fakes.slack.url });
