import type { ActionPipeline } from '../actions/pipeline';
import type { HistoryReader } from '../alerts/history-reader';
import type { Replay } from '../automation/simulate';
import type { Settings } from '../config';
import type { DigestOutcome } from '../digest/post';
import type { SummaryDeps } from '../home/summary';
import type { Logger } from '../logger';
import type { AlertStore, AuditLog, ClickLedger, FiringStore, FirstTimes, Locks, PendingChanges } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import type { Authz } from './authz';
import type { MessageUpdates } from './message-updates';

/** What every Slack handler may use; built once in src/bot.ts. */
export interface BotDeps {
  /** The one way to change ads: check who, claim once, lock, act, release, audit. */
  actions: ActionPipeline;
  gateway: AdsGateway;
  authz: Authz;
  audit: AuditLog;
  alerts: AlertStore;
  /** Changes waiting for a second step (Confirm, Undo, a form's Save); buttons carry only their ids. */
  pending: PendingChanges;
  clicks: ClickLedger;
  /** What happens once ever: a channel's onboarding message, a person's guided start. */
  firsts: FirstTimes;
  /** What App Home and `/ads status` read: the settings, the store, the last setup check. */
  summary: SummaryDeps;
  /** One action at a time per ad or ad group, across replicas when the store is shared. */
  locks: Locks;
  messages: MessageUpdates;
  limits: Settings['budget'];
  /** `/ads rules simulate`: the alert rules that act, replayed over the last days of Whop's hourly data; reads only. */
  simulateRules: (days: number) => Promise<WhopResult<Replay>>;
  /** Where an Approve's re-check reads the hourly history: the history worker, off the event loop that acks. */
  history?: HistoryReader;
  /** The firings of rules that act; Approve, Skip and Undo carry only a firing's id. */
  firings: FiringStore;
  /** The alerts whose rules an approval re-checks, and the guardrails of rules that act. */
  settings: Pick<Settings, 'alerts' | 'actions' | 'budget'>;
  postDigest: (digest: { channel: string; window: Settings['digests'][number]['window'] }) => Promise<DigestOutcome>;
  /**
   * With several accounts, the channels this one serves: its figures posted elsewhere (`/ads digest account:…`) may be
   * seen by another client, so only its operators may post them there. Null with one account: every channel is its.
   */
  ownChannels: ReadonlySet<string> | null;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}
