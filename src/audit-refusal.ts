import type { AuditLog } from './store/types';

export interface Actor {
  userId: string;
  channel: string | null;
  messageTs: string | null;
}

/** An attempt refused before reaching Whop (not an operator, a guardrail): kept in the audit log too. */
export function auditRefusal(
  deps: { audit: AuditLog; now: () => Date },
  target: { action: string; entityKind: string; entityId: string },
  actor: Actor,
  why: string,
): Promise<void> {
  return deps.audit.record({
    at: deps.now(),
    ...target,
    userId: actor.userId,
    entityTitle: null,
    before: null,
    after: null,
    channel: actor.channel,
    messageTs: actor.messageTs,
    outcome: 'refused',
    detail: why,
  });
}
