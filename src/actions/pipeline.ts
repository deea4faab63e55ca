import { mapLimit } from '../concurrency';
import type { Logger } from '../logger';
import { type Authz, REFUSAL_DETAIL, type Refusal } from '../slack/authz';
import type { AuditLog, AuditOutcome, ClickLedger, Locks } from '../store/types';
import type { Reason } from './reasons';
import type { ActionRequest } from './request';

/** What an attempt is recorded against: `ad.pause` on `ad_…`, `ad_group.budget` on `adgrp_…`, `alert.snooze` on an alert key. */
export interface Target {
  action: string;
  entityKind: string;
  entityId: string;
}

/** What one step did to its target: the facts of its audit row, and what the handler shows. */
export interface Attempt<T> {
  outcome: AuditOutcome;
  reason: Reason | null;
  title: string | null;
  before: string | null;
  after: string | null;
  /** Whop's own words, or extra context for the log ("pause all"). */
  detail: string | null;
  result: T;
}

/** Turned away before acting. `repeat`: Slack delivered this request before (a retry, a replay, a double submission), nothing done, nothing recorded. */
export type NotAdmitted = { status: 'repeat' } | { status: 'refused'; reason: Refusal };
export type Ran<T> = NotAdmitted | { status: 'acted'; attempt: Attempt<T> };
export type RanEach<T> = NotAdmitted | { status: 'acted'; attempts: Attempt<T>[] };

export interface Step<T> {
  target: Target;
  /** Runs under the target's lock: reads the current state and, when it should, calls Whop. */
  act: () => Promise<Attempt<T>>;
}

export interface PipelineDeps {
  authz: Authz;
  clicks: ClickLedger;
  locks: Locks;
  audit: AuditLog;
  now: () => Date;
  log: Logger;
}

export interface ActionPipeline {
  /** Check who, claim once, lock, act, release, audit: exactly one audit row for every attempt, refusals included. */
  run<T>(request: ActionRequest, step: Step<T>): Promise<Ran<T>>;
  /**
   * One request acting on several targets (Pause all): claimed and authorized once, each target under its
   * own lock, one audit row each; a refusal is one row against `summary`.
   */
  runEach<T>(request: ActionRequest, summary: Target, steps: readonly Step<T>[], concurrency: number): Promise<RanEach<T>>;
  /**
   * A rule acting by itself (mode auto, a revert): authorized by ads-bot.yml rather than by a person, and made
   * once by its firing's state (src/store/types.ts FiringStore), not by a click key, so a firing a crash left
   * half done is completed by running it again. Lock, act, release, audit as for a person.
   */
  runAsRule<T>(request: ActionRequest, step: Step<T>): Promise<Attempt<T>>;
}

export function createPipeline(deps: PipelineDeps): ActionPipeline {
  const record = (request: ActionRequest, target: Target, attempt: Omit<Attempt<unknown>, 'result'>): Promise<void> =>
    deps.audit.record({
      at: deps.now(),
      userId: request.who.userId,
      ...target,
      entityTitle: attempt.title,
      before: attempt.before,
      after: attempt.after,
      channel: request.channel,
      messageTs: request.messageTs,
      outcome: attempt.outcome,
      reason: attempt.reason,
      detail: attempt.detail,
    });

  /** Claimed before anything else, so a retried refusal is not recorded twice; authorized from the request itself. */
  async function admit(request: ActionRequest, target: Target): Promise<NotAdmitted | null> {
    if (!(await deps.clicks.claim(request.key, deps.now()))) {
      deps.log.info({ action: target.action, entity: target.entityId }, 'repeated request ignored');
      return { status: 'repeat' };
    }
    const verdict = await deps.authz.check(request.who);
    if (verdict.ok) return null;
    await record(request, target, { outcome: 'refused', reason: verdict.reason, title: null, before: null, after: null, detail: REFUSAL_DETAIL[verdict.reason] });
    return { status: 'refused', reason: verdict.reason };
  }

  async function act<T>(request: ActionRequest, step: Step<T>): Promise<Attempt<T>> {
    let attempt: Attempt<T>;
    try {
      // Only the Whop part holds the lock: Slack is told after it is released, so a slow Slack never blocks the next click.
      attempt = await deps.locks.run(step.target.entityId, step.act);
    } catch (err) {
      // The step may have thrown after Whop applied the change: the attempt is recorded as one that may have, then the error goes on.
      const detail = `the bot failed while acting, Whop may have applied it: ${(err as Error).message}`.slice(0, 500);
      await recordOrLog(request, step.target, { outcome: 'failed', reason: 'whop_unsure', title: null, before: null, after: null, detail });
      throw err;
    }
    await recordOrLog(request, step.target, attempt);
    return attempt;
  }

  /** An audit row that cannot be written is at least logged in full: Whop may have changed something already. */
  async function recordOrLog(request: ActionRequest, target: Target, attempt: Omit<Attempt<unknown>, 'result'>): Promise<void> {
    try {
      await record(request, target, attempt);
    } catch (err) {
      const { outcome, reason, title, before, after, detail } = attempt;
      deps.log.error({ err, user: request.who.userId, ...target, outcome, reason, title, before, after, detail }, 'audit row not written');
      throw err;
    }
  }

  return {
    run: async (request, step) => (await admit(request, step.target)) ?? { status: 'acted', attempt: await act(request, step) },
    runEach: async (request, summary, steps, concurrency) =>
      (await admit(request, summary)) ?? { status: 'acted', attempts: await mapLimit(steps, concurrency, (step) => act(request, step)) },
    runAsRule: (request, step) => act(request, step),
  };
}
