import type { Toggle } from '../../blocks/action-result';
import { type ActionableKind, type EntityRef, isActionable } from '../../blocks/entity';
import type { Actor } from '../audit-refusal';
import type { AuditLog } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import type { WhopFailure } from '../whop/result';

export type Item = EntityRef & { kind: ActionableKind };

/**
 * How one pause or unpause went; every case is audited before it is returned. `failed`: nothing was changed.
 * `uncertain`: Whop did not confirm the call, which may have been applied; `now` is the item as read back
 * afterwards, null if that read failed too.
 */
export type DeliveryChange =
  | { outcome: 'done'; before: Item; after: Item }
  | { outcome: 'already'; item: Item }
  | { outcome: 'under_review'; item: Item }
  | { outcome: 'failed'; item: Item | null; failure: WhopFailure }
  | { outcome: 'uncertain'; item: Item; now: Item | null; failure: WhopFailure };

const TARGET: Record<Toggle, string> = { pause: 'paused', unpause: 'active' };

export interface ChangeRequest {
  kind: ActionableKind;
  id: string;
  verb: Toggle;
  /** Idempotency-Key for Whop: the same key never changes anything twice. */
  key: string;
  actor: Actor;
  /** Extra words for the audit log, e.g. "pause all". */
  note?: string;
}

/**
 * Current state first (already there, or under Whop's review: no call), then the call, each outcome
 * audited. The caller holds the item's lock and turns the outcome into messages.
 */
export async function changeDelivery(deps: { gateway: AdsGateway; audit: AuditLog; now: () => Date }, request: ChangeRequest): Promise<DeliveryChange> {
  const { kind, id, verb, actor } = request;
  const record = (item: Pick<EntityRef, 'title'> | null, before: string | null, after: string | null, outcome: 'done' | 'already' | 'refused' | 'failed', detail: string | null) =>
    deps.audit.record({
      at: deps.now(),
      userId: actor.userId,
      action: `${kind}.${verb}`,
      entityKind: kind,
      entityId: id,
      entityTitle: item?.title ?? null,
      before,
      after,
      channel: actor.channel,
      messageTs: actor.messageTs,
      outcome,
      detail: [request.note, detail].filter(Boolean).join(': ') || null,
    });

  const read = async () => (kind === 'ad' ? deps.gateway.ad(id) : deps.gateway.adGroup(id));
  const found = await read();
  if (!found.ok) {
    await record(null, null, null, 'failed', found.error.detail ?? found.error.message);
    return { outcome: 'failed', item: null, failure: found.error };
  }
  const item: Item = { kind, id, title: found.value.title, status: found.value.status };
  if (!isActionable(item as EntityRef)) {
    await record(item, item.status, item.status, 'refused', `cannot ${verb} while ${item.status}`);
    return { outcome: 'under_review', item };
  }
  if (item.status === TARGET[verb]) {
    await record(item, item.status, item.status, 'already', null);
    return { outcome: 'already', item };
  }
  const changed = await deps.gateway.setDelivery(kind, id, verb, request.key);
  if (!changed.ok) {
    const detail = changed.error.detail ?? changed.error.message;
    if (!changed.error.unsure) {
      await record(item, item.status, null, 'failed', detail);
      return { outcome: 'failed', item, failure: changed.error };
    }
    const reread = await read();
    const now = reread.ok ? { ...item, title: reread.value.title, status: reread.value.status } : null;
    await record(item, item.status, null, 'failed', `no answer, may have been applied: ${detail}; ${now ? `Whop now says ${now.status}` : 'could not read it back'}`);
    return { outcome: 'uncertain', item, now, failure: changed.error };
  }
  const after = { ...item, status: changed.value.status };
  await record(item, item.status, after.status, 'done', null);
  return { outcome: 'done', before: item, after };
}
