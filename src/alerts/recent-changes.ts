import { mapLimit } from '../concurrency';
import type { AlertSettings } from '../config';
import { type Currency, currencyOf } from '../currency';
import type { Logger } from '../logger';
import { type ChangeMade, type EntityKind, type EntityRef, type NamedChanges, OPPOSITE, type Problem, type RecentChange, STATUS_AFTER, type Toggle } from '../model';
import type { AuditEntry, AuditLog, PendingChanges } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import type { Observation } from './observation';
import { moveSince } from './since-change';

export interface ChangesDeps {
  audit: AuditLog;
  pending: PendingChanges;
  gateway: AdsGateway;
  timeZone: string;
  now: () => Date;
  log: Logger;
}

/**
 * `move`: also read how the alert's metric moved since the newest change (two Whop requests when there is one),
 * for an alert as it is first posted or reopened; a follow-up redraw leaves it out rather than ask Whop each check.
 */
export type ChangesOf = (problem: Problem, options?: { move?: boolean }) => Promise<NamedChanges>;

const HOUR = 3_600_000;
/** Rows read for one alert: more than any message shows, so "and N more" is still a fair count. */
const ROWS = 50;
/** Items of one alert whose parents are looked up: as many as its message names. */
const ITEMS = 10;
const LOOKUP_CONCURRENCY = 4;

/** What a `done` row changed, or null for rows that change no ad (a snooze) or cannot be read back. */
function changeOf(row: AuditEntry, currency: Currency | null): ChangeMade | null {
  if (row.action === 'ad_group.budget' || row.action.startsWith('ad_group.budget.')) {
    if (row.before === null || row.after === null) return null;
    const from = Number(row.before);
    const to = Number(row.after);
    return Number.isFinite(from) && Number.isFinite(to) ? { kind: 'budget', from, to, currency } : null;
  }
  const verb = /\.(pause|unpause)$/.exec(row.action)?.[1] as Toggle | undefined;
  return verb ? { kind: verb } : null;
}

/** An item's parents (ad → ad group, campaign; ad group → campaign) and the currency Whop reports its money in. */
interface Lineage {
  parents: string[];
  currency: Currency | null;
}

/** Lineage, and the budgets Whop reported, of the ad groups and ads this check already read: no call needed for them. */
function fromObservation(seen: Observation) {
  const lineage = new Map<string, Lineage>();
  const budgets = new Map<string, number | null>();
  for (const group of [...seen.today, ...seen.lastThreeDays, ...seen.recent, ...seen.rejectedAdGroups]) {
    lineage.set(group.id, { parents: [group.ad_campaign.id], currency: currencyOf(group.spend_currency) });
    budgets.set(group.id, group.budget_amount);
  }
  for (const ad of seen.rejectedAds) lineage.set(ad.id, { parents: [ad.ad_group.id, ad.ad_campaign.id], currency: currencyOf(ad.spend_currency) });
  return { lineage, budgets };
}

async function lineageOf(gateway: AdsGateway, entity: EntityRef, known: ReadonlyMap<string, Lineage>): Promise<Lineage> {
  const seen = known.get(entity.id);
  if (seen) return seen;
  // A lookup that fails costs only the parents' changes: the alert still names the item's own.
  if (entity.kind === 'ad') {
    const ad = await gateway.ad(entity.id);
    if (ad.ok) return { parents: [ad.value.ad_group.id, ad.value.ad_campaign.id], currency: currencyOf(ad.value.spend_currency) };
  }
  if (entity.kind === 'ad_group') {
    const group = await gateway.adGroup(entity.id);
    if (group.ok) return { parents: [group.value.ad_campaign.id], currency: currencyOf(group.value.spend_currency) };
  }
  return { parents: [], currency: null };
}

/**
 * The changes an alert check names for each problem: those made through the bot in the last `hours` on the
 * problem's items and their parents (ad → ad group → campaign), newest first. Only the newest change of each
 * item is undoable, and only while the item still is as it left it, as far as this check knows: a budget by a
 * pending Undo that holds as long as the change is named (the click checks the budget again), a pause or
 * unpause by the opposite toggle.
 */
export function recentChanges(deps: ChangesDeps, seen: Observation, alert: Pick<AlertSettings, 'changes_hours' | 'rules'>): ChangesOf {
  const hours = alert.changes_hours;
  const known = fromObservation(seen);
  const list = async (problem: Problem): Promise<RecentChange[]> => {
    if (hours === 0) return [];
    try {
      const items = problem.entities.slice(0, ITEMS);
      const lineages = await mapLimit(items, LOOKUP_CONCURRENCY, (entity) => lineageOf(deps.gateway, entity, known.lineage));
      const ids = [...new Set([...items.map((e) => e.id), ...lineages.flatMap((l) => l.parents)])];
      // One account, one currency: any of its items that reports one says it for every budget named here.
      const currency = lineages.find((l) => l.currency !== null)?.currency ?? [...known.lineage.values()].find((l) => l.currency !== null)?.currency ?? null;
      const rows = await deps.audit.doneSince(ids, new Date(deps.now().getTime() - hours * HOUR), ROWS);
      const status = new Map(items.map((e) => [e.id, e.status]));
      // A budget and a delivery state each: an older change of either was overtaken by the newest one.
      const overtaken = new Set<string>();
      const changes: RecentChange[] = [];
      for (const row of rows) {
        const change = changeOf(row, currency);
        if (!change) continue;
        const what = `${change.kind === 'budget' ? 'budget' : 'delivery'}:${row.entityId}`;
        const newest = !overtaken.has(what);
        overtaken.add(what);
        const undo = newest ? await undoOf(deps, row, change, { status: status.get(row.entityId), budget: known.budgets.get(row.entityId), hours }) : null;
        changes.push({ at: row.at, by: row.userId, entity: { kind: row.entityKind as EntityKind, id: row.entityId, title: row.entityTitle }, change, undo });
      }
      return changes;
    } catch (err) {
      // The alert matters more than what it says about changes: it is posted without them.
      deps.log.warn({ err, key: problem.key }, 'alert check: recent changes not read');
      return [];
    }
  };
  const moveOf = async (problem: Problem, newest: RecentChange): Promise<NamedChanges['move']> => {
    try {
      return (await moveSince(deps, problem, newest.at, deps.now(), alert.rules)) ?? undefined;
    } catch (err) {
      deps.log.warn({ err, key: problem.key }, 'alert check: metric since the change not read');
      return undefined;
    }
  };
  return async (problem, options = {}) => {
    const changes = await list(problem);
    const [newest] = changes;
    const move = options.move && newest ? await moveOf(problem, newest) : undefined;
    return { hours, list: changes, ...(move ? { move } : {}) };
  };
}

async function undoOf(
  deps: ChangesDeps,
  row: AuditEntry,
  change: ChangeMade,
  now: { status: string | undefined; budget: number | null | undefined; hours: number },
): Promise<RecentChange['undo']> {
  if (change.kind !== 'budget') {
    const undoable = (row.entityKind === 'ad' || row.entityKind === 'ad_group') && now.status === STATUS_AFTER[change.kind];
    return undoable ? { kind: 'toggle', verb: OPPOSITE[change.kind] } : null;
  }
  // No Undo back to a budget of zero (the bot sets budgets above zero only), nor of a budget that has moved on since.
  if (change.from <= 0 || (now.budget !== undefined && now.budget !== change.to)) return null;
  const kept = await deps.pending.create({
    purpose: 'budget.undo',
    requester: row.userId,
    teamId: null,
    plan: { id: row.entityId, from: change.to, to: change.from },
    createdAt: deps.now(),
    expiresAt: new Date(row.at.getTime() + now.hours * HOUR),
  });
  return { kind: 'budget', pendingId: kept.id };
}
