import type { Settings } from '../config';
import type { DigestOutcome } from '../digest/post';
import type { Logger } from '../logger';
import type { AlertStore, AuditLog, ClickLedger, Locks } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import type { Authz } from './authz';
import type { MessageUpdates } from './message-updates';

/** What every Slack handler may use; built once in src/bot.ts. */
export interface BotDeps {
  gateway: AdsGateway;
  authz: Authz;
  audit: AuditLog;
  alerts: AlertStore;
  clicks: ClickLedger;
  /** One action at a time per ad or ad group, across replicas when the store is shared. */
  locks: Locks;
  messages: MessageUpdates;
  limits: Settings['budget'];
  postDigest: (digest: { channel: string; window: Settings['digests'][number]['window'] }) => Promise<DigestOutcome>;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}
