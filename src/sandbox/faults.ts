// Switches that make the sandbox misbehave on purpose, so retries, timeouts and idempotency can be tested.

export interface PathFilter {
  /** Only requests whose path (after /api/v1, e.g. `/ad_groups/adgrp_x/pause`) matches. */
  path?: RegExp;
  /** Only requests with this method (`PATCH`: a budget change, not the reads of the same path). */
  method?: string;
}

export interface Faults {
  /** Delay before every answer, in ms; settable at any time. */
  latencyMs: number;
  /** Answer the next `count` matching requests with `status` instead of handling them (429s carry Retry-After). */
  failNext(count: number, status: number, opts?: PathFilter & { retryAfterSeconds?: number }): void;
  /** Handle the next `count` matching requests, then drop the connection without answering: the reply is lost, the change is not. */
  resetNext(count: number, opts?: PathFilter): void;
  /**
   * Handle the next `count` matching requests, then answer `status` (a 5xx) as if they had failed: the change is
   * applied, the answer says otherwise, and no answer is kept for its Idempotency-Key.
   */
  applyThenFailNext(count: number, status: number, opts?: PathFilter): void;
  /** Hold the next `count` matching requests for `ms` before handling them (for client timeouts). */
  hangNext(count: number, ms: number, opts?: PathFilter): void;
  /** Back to a well-behaved server. */
  reset(): void;
}

export type Fault = { kind: 'fail'; status: number; retryAfterSeconds: number } | { kind: 'reset' } | { kind: 'apply_then_fail'; status: number } | { kind: 'hang'; ms: number };

interface Rule extends PathFilter {
  fault: Fault;
  left: number;
}

export class FaultPlan implements Faults {
  latencyMs = 0;
  #rules: Rule[] = [];

  failNext(count: number, status: number, opts: PathFilter & { retryAfterSeconds?: number } = {}): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`failNext needs an error status, not ${status}`);
    this.#add(count, { kind: 'fail', status, retryAfterSeconds: opts.retryAfterSeconds ?? 1 }, opts);
  }

  resetNext(count: number, opts: PathFilter = {}): void {
    this.#add(count, { kind: 'reset' }, opts);
  }

  applyThenFailNext(count: number, status: number, opts: PathFilter = {}): void {
    if (!Number.isInteger(status) || status < 500 || status > 599) throw new Error(`applyThenFailNext needs a 5xx status, not ${status}`);
    this.#add(count, { kind: 'apply_then_fail', status }, opts);
  }

  hangNext(count: number, ms: number, opts: PathFilter = {}): void {
    this.#add(count, { kind: 'hang', ms }, opts);
  }

  reset(): void {
    this.latencyMs = 0;
    this.#rules = [];
  }

  /** The fault for a request that just arrived, if any; using it counts it down. Earlier rules win. */
  take(method: string, path: string): Fault | undefined {
    const rule = this.#rules.find((r) => (r.path === undefined || r.path.test(path)) && (r.method === undefined || r.method === method));
    if (!rule) return undefined;
    if (--rule.left === 0) this.#rules.splice(this.#rules.indexOf(rule), 1);
    return rule.fault;
  }

  #add(count: number, fault: Fault, filter: PathFilter): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, not ${count}`);
    this.#rules.push({ fault, left: count, path: filter.path, method: filter.method });
  }
}
