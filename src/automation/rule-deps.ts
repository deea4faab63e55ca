import type { ActionPipeline } from '../actions/pipeline';
import type { ActionRequest } from '../actions/request';
import type { HistoryReader } from '../alerts/history-reader';
import type { Settings } from '../config';
import type { Logger } from '../logger';
import { ruleActor } from '../model';
import type { MessageUpdates } from '../slack/message-updates';
import type { AlertStore, AuditEntry, AuditLog, Firing, FiringStore, Locks } from '../store/types';
import type { AdsGateway } from '../whop/gateway';

/** What the rules that act use, in the alert check, the revert job and the Approve / Skip / Undo handlers alike. */
export interface RuleDeps {
  gateway: AdsGateway;
  firings: FiringStore;
  actions: Pick<ActionPipeline, 'runAsRule'>;
  audit: AuditLog;
  alerts: AlertStore;
  messages: Pick<MessageUpdates, 'update' | 'posted'>;
  settings: Pick<Settings, 'actions' | 'budget'>;
  /** Besides the entity locks of the pipeline: one per alert, held from a rule's action to the alert's post. */
  locks: Locks;
  /** Where an approval's re-check reads the hourly history (the bot's: its worker thread); absent, through `gateway`. */
  history?: HistoryReader;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}

/** The request a rule acts under: the rule is who, the firing and the step are the key. */
export const ruleRequest = (firing: Firing, step: string): ActionRequest => ({
  who: { userId: ruleActor(firing.rule), teamId: null, enterpriseId: null, userTeamId: null },
  key: `${firing.id}:${step}`,
  channel: firing.channel,
  messageTs: firing.messageTs,
});

/** What every audit row of a firing's Whop calls says, so its own rows are told apart from everyone else's. */
export const firingMark = (firing: Pick<Firing, 'id' | 'rule'>) => `${firing.rule} rule, firing ${firing.id}`;

/** The audit target of what happens to a firing rather than to its entity (skip, expiry). */
export const firingTarget = (action: string, firing: Firing) => ({ action, entityKind: 'rule_firing', entityId: firing.id });

/**
 * The newest change anyone made to the firing's entity after it acted, other than the firing's own: what an Undo
 * or a revert yields to.
 */
export async function changedSince(audit: AuditLog, firing: Firing): Promise<AuditEntry | null> {
  if (!firing.actedAt) return null;
  const rows = await audit.doneSince([firing.entityId], firing.actedAt, 20);
  return rows.find((row) => !(row.detail ?? '').includes(firingMark(firing))) ?? null;
}

/**
 * Whether the opening of the alert a request was made for still stands: resolved, or opened again since, it is
 * over, and so is its request (expired by the next check, refused by Approve before then).
 */
export async function openingStands(alerts: AlertStore, firing: Firing): Promise<boolean> {
  const record = await alerts.get(firing.channel, firing.alertKey);
  return record?.state === 'open' && record.openedAt.getTime() === firing.firedAt.getTime();
}

/** Sets fields of a firing whatever its state (a message ts), unless it moves on between read and write more than a few times. */
export async function patchFiring(firings: FiringStore, id: string, patch: Parameters<FiringStore['move']>[3]): Promise<Firing | undefined> {
  for (let i = 0; i < 3; i++) {
    const current = await firings.get(id);
    if (!current) return undefined;
    const moved = await firings.move(id, [current.state], current.state, patch);
    if (moved) return moved;
  }
  return undefined;
}

/**
 * Held by the check from a new alert's firing to its post, and by whoever posts an untold firing: an alert being
 * posted right now is not taken for one a crash left untold.
 */
export const alertLock = (channel: string, key: string) => `alert:${channel}:${key}`;
