import type { KnownBlock } from '@slack/types';
import type { Reason } from '../actions/reasons';
import type { Currency } from '../currency';
import type { ActionableKind, PostedMessage, Problem, Skipped, Toggle } from '../model';

/**
 * Everything the bot remembers, behind one interface with two implementations: an embedded SQLite file
 * for one process, PostgreSQL (DATABASE_URL) for several replicas sharing state and locks.
 */
export interface Store {
  audit: AuditLog;
  clicks: ClickLedger;
  alerts: AlertStore;
  messages: MessageStore;
  pending: PendingChanges;
  firings: FiringStore;
  runs: RunLog;
  digests: DigestPosts;
  firsts: FirstTimes;
  /** Serialises work on one ad across everything sharing this store. */
  locks: Locks;
  /**
   * Serialises updates of one message the same way, apart from `locks`: a message update is taken while an
   * ad's lock is held, never the other way round, so the two never wait on each other's connections.
   */
  messageLocks: Locks;
  /** For node-cron: whether this replica runs a given fire of a task (always, with one process). */
  coordinator: ScheduleCoordinator;
  kind: 'sqlite' | 'postgres';
  /** Deletes the rows each rule of src/store/retention.ts no longer keeps at `now`; counts per table. */
  prune(now: Date): Promise<Record<string, number>>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** `asked`: a change waiting for its confirmation; `cancelled`: one its requester called off. */
export type AuditOutcome = 'done' | 'already' | 'refused' | 'failed' | 'asked' | 'cancelled';

export interface AuditEntry {
  at: Date;
  userId: string;
  action: string;
  entityKind: string;
  entityId: string;
  entityTitle: string | null;
  before: string | null;
  after: string | null;
  channel: string | null;
  messageTs: string | null;
  outcome: AuditOutcome;
  reason: Reason | null;
  detail: string | null;
}

/** Who did what to which ad, and how it went; failed attempts are kept too. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  forEntity(entityId: string): Promise<AuditEntry[]>;
  /**
   * What was done (outcome `done`) to any of these items at `since` or later, newest first, at most `limit` rows:
   * the changes an alert names. Served by the index on (entity_id, at).
   */
  doneSince(entityIds: readonly string[], since: Date, limit: number): Promise<AuditEntry[]>;
  /** The newest rows of the whole log, newest first: `limit` of them after skipping `offset` (App Home's pages). */
  recent(limit: number, offset: number): Promise<AuditEntry[]>;
}

/** Remembers every click handled, so a click Slack delivers twice is acted on once. */
export interface ClickLedger {
  /** True the first time a key is claimed, false for every repeat, whichever replica asks. */
  claim(key: string, at: Date): Promise<boolean>;
}

export interface AlertRecord {
  channel: string;
  key: string;
  /** The alert message; null only between reserving the alert and Slack accepting the post. */
  ts: string | null;
  state: 'open' | 'resolved';
  problem: Problem;
  fingerprint: string;
  openedAt: Date;
  notifiedAt: Date;
  resolvedAt: Date | null;
  snoozedUntil: Date | null;
  snoozedBy: string | null;
  /** Snoozed by `snoozedBy` until the rule finds it healthy again: no reminders, and it resolves itself. */
  snoozedUntilRecovered: boolean;
  /** Checks in a row that found it healthy; it resolves at the alert's `resolve_after_checks`. */
  healthyChecks: number;
  /**
   * Set when `ts` is a message listing several problems (one check found many): the thread root they share, which
   * is `ts` itself or the grouped message whose thread holds `ts`. Updates then rewrite this problem's line only.
   */
  groupTs: string | null;
}

export interface CheckHealth {
  failures: number;
  failingSince: Date | null;
  noticeTs: string | null;
}

/** The last alert check's count of ad groups left unjudged for too little data, for App Home to show. */
export interface CheckSkips {
  checkedAt: Date;
  skipped: Skipped;
}

/** What each alert channel has been told, so nothing is posted twice, even across restarts. */
export interface AlertStore {
  get(channel: string, key: string): Promise<AlertRecord | undefined>;
  open(channel: string): Promise<AlertRecord[]>;
  save(record: AlertRecord): Promise<void>;
  remove(channel: string, key: string): Promise<void>;
  /** Every alert, open or resolved, whose line is in message `ts` (a grouped message), in the order they were opened. */
  inMessage(channel: string, ts: string): Promise<AlertRecord[]>;
  /**
   * Counts one more mention wanted in the channel on a local day (`YYYY-MM-DD`) and answers the count with it:
   * one caller per count, whichever replica asks, so a daily cap holds across replicas.
   */
  countMention(channel: string, day: string, at: Date): Promise<number>;
  health(channel: string): Promise<CheckHealth>;
  saveHealth(channel: string, health: CheckHealth): Promise<void>;
  skips(channel: string): Promise<CheckSkips | undefined>;
  saveSkips(channel: string, skips: CheckSkips): Promise<void>;
}

/** What the bot last wrote into one of its messages, and when (the real clock, to compare with Slack's). */
export interface MessageCopy {
  blocks: KnownBlock[];
  writtenAt: Date;
}

/** The latest copy of each message the bot updates row by row, shared by every replica. */
export interface MessageStore {
  get(channel: string, ts: string): Promise<MessageCopy | undefined>;
  save(channel: string, ts: string, copy: MessageCopy): Promise<void>;
}

/** What a pending change is for; a button or form may only use a change made for it. */
export type PendingPurpose = 'budget.confirm' | 'budget.undo' | 'budget.form';

/**
 * A change someone asked for that waits for a second step (Confirm, Undo, a form's Save). Buttons and
 * forms carry only its id: who asked, what was planned and until when it holds are read from here.
 */
export interface PendingChange {
  id: string;
  purpose: PendingPurpose;
  requester: string;
  teamId: string | null;
  /** The planned change, as the code that made it wrote it (plain JSON). */
  plan: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
}

/** Used and expired changes are still told, so an attempt on one is recorded against what it was for. */
export type PendingLookup = { ok: true; change: PendingChange } | { ok: false; why: 'expired' | 'used'; change: PendingChange } | { ok: false; why: 'unknown' };

export interface PendingChanges {
  create(change: Omit<PendingChange, 'id'>): Promise<PendingChange>;
  /** The change if it can still be used, without using it (a form answered with an error stays usable). */
  peek(id: string, now: Date): Promise<PendingLookup>;
  /** Uses the change up: exactly one caller gets it, whichever replica asks; later ones hear why not. */
  take(id: string, now: Date): Promise<PendingLookup>;
}

export interface Locks {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Resolves when every task started here has finished. */
  idle(): Promise<void>;
}

export interface ScheduleCoordinator {
  shouldRun(key: string, ttlMs: number): Promise<boolean>;
}

/**
 * What a rule's firing does to its entity, worked out when it fired. `until`: pause_until's local time as an ISO
 * instant, when the bot unpauses it again.
 */
export type FiringPlan = { kind: 'toggle'; verb: Toggle; until: string | null } | { kind: 'budget'; from: number; to: number; currency: Currency | null };

/**
 * Where a firing stands. `awaiting`: approve mode, waiting for an operator. `acting`: claimed to act; a process
 * that died here left the Whop call unconfirmed, and the next check completes it (the same Idempotency-Key).
 * `done`: applied (or found already so); `messageTs` null means Slack has not been told yet. `failed`: Whop refused,
 * nothing changed. `held`: a guardrail stopped it. `skipped`: an operator chose Skip. `expired`: nobody approved in
 * time. `undone`: someone's Undo put it back. `reverted`: revert_after_hours or pause_until put it back.
 */
export type FiringState = 'awaiting' | 'acting' | 'done' | 'failed' | 'held' | 'skipped' | 'expired' | 'undone' | 'reverted';

/** One firing of a rule that acts: one rule, one entity, one opening of its alert. */
export interface Firing {
  /** `${channel}:${alertKey}:${openedAt ISO}`: the same for every replica and restart that sees this firing. */
  id: string;
  channel: string;
  alertKey: string;
  /** The ads-bot.yml key of the rule (RULE_KEY). */
  rule: string;
  mode: 'approve' | 'auto';
  entityKind: ActionableKind;
  entityId: string;
  entityTitle: string | null;
  plan: FiringPlan;
  /** Why, in words the post uses: "cost per result $61.00 over the $40.00 limit on $180.00 spent". */
  why: string;
  state: FiringState;
  firedAt: Date;
  /** Approve mode: the request expires then. */
  expiresAt: Date | null;
  actedAt: Date | null;
  /** `rule` for auto mode, else the approver's user id. */
  actedBy: string | null;
  /** When the bot puts it back (revert_after_hours, pause_until); null: never. */
  revertAt: Date | null;
  /** The message that tells of it (the alert, or its reply). */
  messageTs: string | null;
  detail: string | null;
}

export type FiringPatch = Partial<Pick<Firing, 'plan' | 'expiresAt' | 'actedAt' | 'actedBy' | 'revertAt' | 'messageTs' | 'detail'>>;

/** Every firing of every acting rule, shared by replicas: what makes an action happen once. */
export interface FiringStore {
  /** Stores a new firing: true for exactly one caller, whichever replica asks; false when it exists already. */
  claim(firing: Firing): Promise<boolean>;
  get(id: string): Promise<Firing | undefined>;
  /** Moves it from one of `from` to `to` with `patch`: the firing as it is now for exactly one caller, undefined for the rest. */
  move(id: string, from: readonly FiringState[], to: FiringState, patch?: FiringPatch): Promise<Firing | undefined>;
  /** A channel's firings still to finish: awaiting, acting, or done with no message yet; oldest first. */
  unfinished(channel: string): Promise<Firing[]>;
  /** Done firings whose revertAt is at or before `now`, every channel. */
  dueReverts(now: Date): Promise<Firing[]>;
  /** Firings that acted (actedAt set) at `since` or later, optionally of one rule or one entity; oldest first. */
  actedSince(since: Date, filter?: { rule?: string; entityId?: string }): Promise<Firing[]>;
}

/** How a scheduled run ended: `whop_failed` posted a notice (or counted a failure) instead; `failed` threw. */
export type RunOutcome = 'ok' | 'whop_failed' | 'failed';

/** The last run of one scheduled digest or alert check, whichever replica ran it. */
export interface JobRun {
  /** The job's key (src/home/job-keys.ts): its channel, schedule and kind, not its place in ads-bot.yml. */
  job: string;
  startedAt: Date;
  finishedAt: Date;
  outcome: RunOutcome;
  /** Why it did not go well, in plain words; null when it did. */
  detail: string | null;
}

export interface RunLog {
  /** Keeps this run as the job's last one. */
  record(run: JobRun): Promise<void>;
  /** The last run of each of these jobs that has run at all. */
  last(jobs: readonly string[]): Promise<Map<string, JobRun>>;
}

/** The newest digest posted to each channel, for the morning summary's link to it; one row per channel. */
export interface DigestPosts {
  /** Keeps this message as its channel's newest digest. */
  record(message: PostedMessage & { at: Date }): Promise<void>;
  /** The newest digest posted to any of these channels; null when none was. */
  latest(channels: readonly string[]): Promise<PostedMessage | null>;
}

/** Things that happen once ever (an onboarding message per channel, a guided start per person), across replicas and restarts. */
export interface FirstTimes {
  /** True for exactly one caller per key, whichever replica asks, ever. */
  claim(key: string, at: Date): Promise<boolean>;
}
