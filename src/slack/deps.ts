import type { ActionPipeline } from '../actions/pipeline';
import type { Settings } from '../config';
import type { DigestOutcome } from '../digest/post';
import type { Logger } from '../logger';
import type { AlertStore, AuditLog, ClickLedger, FiringStore, Locks, PendingChanges } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
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
  /** One action at a time per ad or ad group, across replicas when the store is shared. */
  locks: Locks;
  messages: MessageUpdates;
  limits: Settings['budget'];
  /** The firings of rules that act; Approve, Skip and Undo carry only a firing's id. */
  firings: FiringStore;
  /** The alerts whose rules an approval re-checks, and the guardrails of rules that act. */
  settings: Pick<Settings, 'alerts' | 'actions' | 'budget'>;
  postDigest: (digest: { channel: string; window: Settings['digests'][number]['window'] }) => Promise<DigestOutcome>;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}
