import type { Attempt, Target } from '../actions/pipeline';
import { type ActionableKind, type EntityRef, isActionable, STATUS_AFTER, type Toggle } from '../model';
import type { AdsGateway } from '../whop/gateway';
import type { WhopFailure } from '../whop/result';

export type Item = EntityRef & { kind: ActionableKind };

/**
 * How one pause or unpause went. `failed`: nothing was changed. `uncertain`: Whop did not confirm the
 * call, which may have been applied; `now` is the item as read back afterwards, null if that read failed too.
 */
export type DeliveryChange =
  | { outcome: 'done'; before: Item; after: Item }
  | { outcome: 'already'; item: Item }
  | { outcome: 'under_review'; item: Item }
  | { outcome: 'failed'; item: Item | null; failure: WhopFailure }
  | { outcome: 'uncertain'; item: Item; now: Item | null; failure: WhopFailure };

export interface ChangeRequest {
  kind: ActionableKind;
  id: string;
  verb: Toggle;
  /** Idempotency-Key for Whop: the same key never changes anything twice. */
  key: string;
  /** Extra words for the audit log, e.g. "pause all". */
  note?: string;
}

export const deliveryTarget = (kind: ActionableKind, id: string, verb: Toggle): Target => ({ action: `${kind}.${verb}`, entityKind: kind, entityId: id });

const noted = (note: string | undefined, detail: string | null) => [note, detail].filter(Boolean).join(': ') || null;
const whopWords = (failure: WhopFailure) => failure.detail ?? failure.message;

/**
 * Current state first (already there, or under Whop's review: no call), then the call. Runs under the
 * item's lock, inside the action pipeline, which records the attempt it returns.
 */
export async function changeDelivery(gateway: AdsGateway, request: ChangeRequest): Promise<Attempt<DeliveryChange>> {
  const { kind, id, verb, note } = request;
  const read = async () => (kind === 'ad' ? gateway.ad(id) : gateway.adGroup(id));
  const found = await read();
  if (!found.ok) {
    // An id Whop does not know and one of another account are recorded alike: the reason says it all.
    const unknown = found.error.kind === 'not_found';
    const facts = { title: null, before: null, after: null, detail: noted(note, unknown ? null : whopWords(found.error)) };
    return { ...facts, outcome: 'failed', reason: unknown ? 'not_found' : 'whop_failed', result: { outcome: 'failed', item: null, failure: found.error } };
  }
  const item: Item = { kind, id, title: found.value.title, status: found.value.status };
  const facts = { title: item.title, before: item.status };
  if (!isActionable(item as EntityRef)) {
    return { ...facts, outcome: 'refused', reason: 'under_review', after: item.status, detail: noted(note, null), result: { outcome: 'under_review', item } };
  }
  if (item.status === STATUS_AFTER[verb]) {
    return { ...facts, outcome: 'already', reason: null, after: item.status, detail: noted(note, null), result: { outcome: 'already', item } };
  }
  const changed = await gateway.setDelivery(kind, id, verb, request.key);
  if (!changed.ok) {
    if (!changed.error.unsure) {
      return {
        ...facts,
        outcome: 'failed',
        reason: 'whop_failed',
        after: null,
        detail: noted(note, whopWords(changed.error)),
        result: { outcome: 'failed', item, failure: changed.error },
      };
    }
    // The SDK retried, so an earlier attempt may have applied: read it back once to say where it stands.
    const reread = await read();
    const now = reread.ok ? { ...item, title: reread.value.title, status: reread.value.status } : null;
    const detail = `no answer, may have been applied: ${whopWords(changed.error)}; ${now ? `Whop now says ${now.status}` : 'could not read it back'}`;
    return { ...facts, outcome: 'failed', reason: 'whop_unsure', after: null, detail: noted(note, detail), result: { outcome: 'uncertain', item, now, failure: changed.error } };
  }
  const after = { ...item, status: changed.value.status };
  return { ...facts, outcome: 'done', reason: null, after: after.status, detail: noted(note, null), result: { outcome: 'done', before: item, after } };
}
