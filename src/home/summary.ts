import type { DigestChannel, HomeData } from '../../blocks/home';
import { anyReplayable } from '../automation/simulate';
import type { Settings } from '../config';
import { nextRunAfter, scheduleInWords } from '../cron-reading';
import type { AccountStore, Store } from '../store/types';
import { alertJobKey, digestJobKey } from './jobs';
import type { SetupCheck } from './setup-check';

export interface SummaryDeps {
  settings: Pick<Settings, 'digests' | 'alerts' | 'summaries' | 'access' | 'timezone'>;
  /** The account's part of the store, and the once-ever keys every account shares. */
  store: Pick<AccountStore, 'alerts' | 'runs' | 'firings' | 'audit'> & Pick<Store, 'firsts'>;
  setup: SetupCheck;
  /** The workspace's address as auth.test says it (`https://team.slack.com/`), for links to alert messages. */
  workspaceUrl: string | null;
  accountId: string | null;
  /** The account shown, and every account's name (Home offers to show the others). */
  account: { name: string; choices: readonly string[] };
  sandbox: boolean;
  now: () => Date;
}

/** How many audit rows Home reads: the ten it shows, and one more to know whether there are older ones. */
const AUDIT_READ = 11;

/** A message's address in the archives form Slack's own "Copy link" gives, with no call per alert. */
export const messageLink = (workspaceUrl: string | null, channel: string, ts: string): string | null =>
  workspaceUrl ? `${workspaceUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}` : null;

const unique = (values: readonly string[]) => [...new Set(values)];

/** Every channel the settings name, digests first, with the names the last setup check learnt (if one has finished). */
export function configuredChannels(deps: Pick<SummaryDeps, 'settings' | 'setup'>): DigestChannel[] {
  const channelNames = deps.setup.current()?.channelNames ?? new Map<string, string>();
  return unique([...deps.settings.digests.map((d) => d.channel), ...deps.settings.alerts.map((a) => a.channel)]).map((id) => ({ id, name: channelNames.get(id) ?? null }));
}

/**
 * Everything App Home and `/ads status` show, for one person: `mayAct` decides whether the approvals are read at
 * all. `firstLook`: this is a Home open, which counts toward the once-ever guided start.
 */
export async function homeData(deps: SummaryDeps, viewer: { userId: string; mayAct: boolean; firstLook: boolean }): Promise<HomeData> {
  const { settings, store } = deps;
  const now = deps.now();
  const tz = settings.timezone;
  const alertChannels = unique(settings.alerts.map((a) => a.channel));
  const [report, runs, audit, perChannel, guidedStart] = await Promise.all([
    deps.setup.latest(),
    store.runs.last([...settings.digests.map(digestJobKey), ...settings.alerts.map(alertJobKey)]),
    store.audit.recent(AUDIT_READ, 0),
    Promise.all(
      alertChannels.map(async (channel) => {
        const [open, skips, firings] = await Promise.all([store.alerts.open(channel), store.alerts.skips(channel), store.firings.unfinished(channel)]);
        return { channel, open, skips, awaiting: firings.filter((f) => f.state === 'awaiting' && !(f.expiresAt && f.expiresAt <= now)) };
      }),
    ),
    viewer.firstLook ? store.firsts.claim(`home:${viewer.userId}`, now) : Promise.resolve(false),
  ]);
  const entry = (channel: string, schedule: string, job: string) => ({
    channel,
    schedule: scheduleInWords(schedule, tz),
    next: nextRunAfter(schedule, tz, now),
    last: runs.get(job),
  });
  const skipsOf = new Map(perChannel.map((c) => [c.channel, c.skips?.skipped ?? null]));
  return {
    now,
    timeZone: tz,
    sandbox: deps.sandbox,
    accountId: deps.accountId,
    account: deps.account,
    currency: report.whop.currency,
    whop: { reachable: report.whop.reachable, since: report.whop.since, reason: report.whop.reason },
    problems: report.problems,
    digests: settings.digests.map((d) => ({ ...entry(d.channel, d.schedule, digestJobKey(d)), window: d.window })),
    alerts: settings.alerts.map((a) => ({ ...entry(a.channel, a.schedule, alertJobKey(a)), skipped: skipsOf.get(a.channel) ?? null })),
    openAlerts: perChannel.flatMap(({ channel, open, awaiting }) =>
      open.map((r) => ({
        channel,
        problem: r.problem,
        openedAt: r.openedAt,
        snoozedUntil: r.snoozedUntil && r.snoozedUntil > now ? r.snoozedUntil : null,
        untilRecovered: r.snoozedUntilRecovered,
        awaitingApproval: awaiting.some((f) => f.alertKey === r.key),
        link: r.ts ? messageLink(deps.workspaceUrl, channel, r.ts) : null,
      })),
    ),
    approvals: viewer.mayAct
      ? perChannel.flatMap(({ awaiting }) =>
          awaiting.map((f) => ({ id: f.id, channel: f.channel, entityTitle: f.entityTitle, entityId: f.entityId, why: f.why, expiresAt: f.expiresAt })),
        )
      : [],
    audit: audit.slice(0, AUDIT_READ - 1),
    moreAudit: audit.length === AUDIT_READ,
    operators: [...settings.access.operators],
    mayAct: viewer.mayAct,
    guidedStart,
    rulesToSimulate: anyReplayable(settings),
  };
}
