import type { WebClient } from '@slack/web-api';
import type { BuiltAccount } from '../accounts/build';
import type { AccountContext } from '../accounts/context';
import type { Accounts } from '../accounts/registry';
import { alertStoreDeps, runAlertCheck } from '../alerts/check';
import { revertJob, revertsWanted } from '../automation/revert-job';
import type { Config } from '../config';
import { digestHealthKey, runScheduledDigest } from '../digest/scheduled';
import { alertJobKey, digestJobKey, recordedRun, recordLostRun } from '../home/jobs';
import type { Logger } from '../logger';
import type { Job } from '../schedule';
import type { MessageUpdates } from '../slack/message-updates';
import { pruneJob } from '../store/prune-job';
import type { Store } from '../store/types';
import { summaryAccountOf } from '../summary/account-of';
import { runSummary } from '../summary/run';

/** Job names are lease keys (node-cron's distributed runs): with several accounts they carry the account's name, so two accounts' jobs never share one. */
export const jobName = (accounts: Accounts, account: AccountContext, name: string) => (accounts.only ? name : `${account.name}:${name}`);

/** An account's scheduled work: its digests, its alert checks and, when a rule puts changes back, the revert pass. */
function accountJobs(accounts: Accounts, account: BuiltAccount, store: Store, messages: MessageUpdates): Job[] {
  const { context, settings, actions, digestDeps, history } = account;
  const scoped = context.store;
  const runDeps = { runs: scoped.runs, health: scoped.alerts, now: digestDeps.now, log: digestDeps.log };
  const alertDeps = { ...digestDeps, ...alertStoreDeps(store, context.name, messages), actions, settings, history };
  const scheduledDigestDeps = { ...digestDeps, health: scoped.alerts };
  return [
    ...settings.digests.map(
      (digest, i): Job => ({
        name: jobName(accounts, context, `digest-${i + 1}-${digest.channel}`),
        schedule: digest.schedule,
        run: (next) => recordedRun(runDeps, digestJobKey(digest), digestHealthKey(digest), () => runScheduledDigest(scheduledDigestDeps, digest, next)),
        recordLost: recordLostRun(runDeps, digestJobKey(digest)),
      }),
    ),
    ...settings.alerts.map(
      (alert, i): Job => ({
        name: jobName(accounts, context, `alerts-${i + 1}-${alert.channel}`),
        schedule: alert.schedule,
        run: () => recordedRun(runDeps, alertJobKey(alert), alert.channel, () => runAlertCheck(alertDeps, alert)),
        recordLost: recordLostRun(runDeps, alertJobKey(alert)),
      }),
    ),
    ...(revertsWanted(settings) ? [{ ...revertJob({ ...alertDeps, alerts: scoped.alerts }), name: jobName(accounts, context, 'rule-reverts') }] : []),
  ];
}

export interface ScheduledParts {
  config: Config;
  accounts: Accounts;
  built: readonly BuiltAccount[];
  store: Store;
  messages: MessageUpdates;
  /** What the summaries post with. */
  slack: WebClient;
  workspaceUrl: string | null;
  now: () => Date;
  log: Logger;
}

/**
 * Everything the bot does on its own schedule: each account's jobs; the summaries, cross-account, so their job names
 * carry no account's name and each fire reads every account it lists; and the store's housekeeping.
 */
export function scheduledJobs(parts: ScheduledParts): Job[] {
  const { config, accounts, store, now, log } = parts;
  const summaries = {
    accounts: accounts.all.map(summaryAccountOf),
    slack: parts.slack,
    workspaceUrl: parts.workspaceUrl,
    timeZone: config.settings.timezone,
    sandbox: config.whop.sandbox,
    now,
    log,
  };
  return [
    ...parts.built.flatMap((account) => accountJobs(accounts, account, store, parts.messages)),
    ...config.settings.summaries.map(
      (summary, i): Job => ({
        name: `summary-${i + 1}-${summary.channel}`,
        schedule: summary.schedule,
        run: async () => void (await runSummary(summaries, summary)),
      }),
    ),
    pruneJob(store, now, log),
  ];
}
