import type { KnownBlock } from '@slack/types';
import type { Reason } from '../actions/reasons';
import type { Problem } from '../model';
import type {
  AlertRecord,
  AuditEntry,
  AuditOutcome,
  Firing,
  FiringPlan,
  FiringState,
  JobRun,
  MessageCopy,
  PendingChange,
  PendingLookup,
  PendingPurpose,
  RunOutcome,
} from './types';

/** Rows as both databases return them: SQLite gives ISO strings and JSON text, PostgreSQL Dates and objects. */
type Moment = string | Date;

export interface AuditRow {
  at: Moment;
  user_id: string;
  action: string;
  entity_kind: string;
  entity_id: string;
  entity_title: string | null;
  before: string | null;
  after: string | null;
  channel: string | null;
  message_ts: string | null;
  outcome: AuditOutcome;
  reason: Reason | null;
  detail: string | null;
}

export interface AlertRow {
  channel: string;
  key: string;
  ts: string | null;
  state: 'open' | 'resolved';
  problem: string | Problem;
  fingerprint: string;
  opened_at: Moment;
  notified_at: Moment;
  resolved_at: Moment | null;
  snoozed_until: Moment | null;
  snoozed_by: string | null;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  snoozed_until_recovered: number | boolean;
  healthy_checks: number;
  group_ts: string | null;
}

export interface MessageRow {
  blocks: string | KnownBlock[];
  written_at: Moment;
}

const date = (value: Moment | null) => (value === null ? null : new Date(value));

export const auditFromRow = (r: AuditRow): AuditEntry => ({
  at: new Date(r.at),
  userId: r.user_id,
  action: r.action,
  entityKind: r.entity_kind,
  entityId: r.entity_id,
  entityTitle: r.entity_title,
  before: r.before,
  after: r.after,
  channel: r.channel,
  messageTs: r.message_ts,
  outcome: r.outcome,
  reason: r.reason,
  detail: r.detail,
});

export const alertFromRow = (r: AlertRow): AlertRecord => ({
  channel: r.channel,
  key: r.key,
  ts: r.ts,
  state: r.state,
  problem: typeof r.problem === 'string' ? (JSON.parse(r.problem) as Problem) : r.problem,
  fingerprint: r.fingerprint,
  openedAt: new Date(r.opened_at),
  notifiedAt: new Date(r.notified_at),
  resolvedAt: date(r.resolved_at),
  snoozedUntil: date(r.snoozed_until),
  snoozedBy: r.snoozed_by,
  snoozedUntilRecovered: Boolean(r.snoozed_until_recovered),
  healthyChecks: r.healthy_checks,
  groupTs: r.group_ts,
});

export const messageFromRow = (r: MessageRow): MessageCopy => ({
  blocks: typeof r.blocks === 'string' ? (JSON.parse(r.blocks) as KnownBlock[]) : r.blocks,
  writtenAt: new Date(r.written_at),
});
export interface PendingRow {
  id: string;
  purpose: PendingPurpose;
  requester: string;
  team_id: string | null;
  plan: string | Record<string, unknown>;
  created_at: Moment;
  expires_at: Moment;
  used_at: Moment | null;
}

export const pendingFromRow = (r: PendingRow): PendingChange => ({
  id: r.id,
  purpose: r.purpose,
  requester: r.requester,
  teamId: r.team_id,
  plan: typeof r.plan === 'string' ? (JSON.parse(r.plan) as Record<string, unknown>) : r.plan,
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_at),
});

/** Whether a stored pending change can be used at `now`, and if not, why. */
export function pendingLookup(row: PendingRow | undefined, now: Date): PendingLookup {
  if (!row) return { ok: false, why: 'unknown' };
  const change = pendingFromRow(row);
  if (row.used_at !== null) return { ok: false, why: 'used', change };
  if (new Date(row.expires_at) <= now) return { ok: false, why: 'expired', change };
  return { ok: true, change };
}

export interface FiringRow {
  id: string;
  channel: string;
  alert_key: string;
  rule: string;
  mode: 'approve' | 'auto';
  entity_kind: Firing['entityKind'];
  entity_id: string;
  entity_title: string | null;
  plan: string | FiringPlan;
  why: string;
  state: FiringState;
  fired_at: Moment;
  expires_at: Moment | null;
  acted_at: Moment | null;
  acted_by: string | null;
  revert_at: Moment | null;
  message_ts: string | null;
  detail: string | null;
}

export const firingFromRow = (r: FiringRow): Firing => ({
  id: r.id,
  channel: r.channel,
  alertKey: r.alert_key,
  rule: r.rule,
  mode: r.mode,
  entityKind: r.entity_kind,
  entityId: r.entity_id,
  entityTitle: r.entity_title,
  plan: typeof r.plan === 'string' ? JSON.parse(r.plan) : r.plan,
  why: r.why,
  state: r.state,
  firedAt: new Date(r.fired_at),
  expiresAt: date(r.expires_at),
  actedAt: date(r.acted_at),
  actedBy: r.acted_by,
  revertAt: date(r.revert_at),
  messageTs: r.message_ts,
  detail: r.detail,
});

/** The columns a patch may set, as both databases name them. */
export const FIRING_PATCH_COLUMNS = {
  plan: 'plan',
  expiresAt: 'expires_at',
  actedAt: 'acted_at',
  actedBy: 'acted_by',
  revertAt: 'revert_at',
  messageTs: 'message_ts',
  detail: 'detail',
} as const;

export interface JobRunRow {
  job: string;
  started_at: Moment;
  finished_at: Moment;
  outcome: RunOutcome;
  detail: string | null;
  message_ts: string | null;
}

export const jobRunFromRow = (r: JobRunRow): JobRun => ({
  job: r.job,
  startedAt: new Date(r.started_at),
  finishedAt: new Date(r.finished_at),
  outcome: r.outcome,
  detail: r.detail,
  messageTs: r.message_ts,
});
