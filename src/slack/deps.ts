import type { Settings } from '../config';
import type { DigestOutcome } from '../digest/post';
import type { KeyedLock } from '../keyed-lock';
import type { Logger } from '../logger';
import type { AlertStore } from '../store/alerts';
import type { AuditLog } from '../store/audit';
import type { ClickLedger } from '../store/clicks';
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
  entityLock: KeyedLock;
  messages: MessageUpdates;
  limits: Settings['budget'];
  postDigest: (digest: { channel: string; window: Settings['digests'][number]['window'] }) => Promise<DigestOutcome>;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}
