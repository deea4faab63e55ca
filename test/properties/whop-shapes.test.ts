// Type-driven property tests: every Ad, AdGroup and AdCampaign the SDK's types allow (test/support/whop-arbitraries)
// fed through the digest, every alert rule, the ad group card, the budget command and the budget form. Nothing
// throws, every message is within Slack's limits with data escaped, and every rule's verdict is its definition.
// The number of generated cases of each flow is in its test name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adGroupCard, searchResults, withBudget } from '../../blocks/ad-group-card';
import { alertMessage, snoozeOver, stillOpen } from '../../blocks/alert';
import { budgetChanged, budgetModal, budgetModalConfirm, budgetModalDone, budgetModalPending, confirmPrompt, problemModal } from '../../blocks/budget';
import { digestMessages } from '../../blocks/digest';
import { money } from '../../blocks/format';
import { budgetSetByCampaign } from '../../blocks/notices';
import { findProblems, type Observation } from '../../src/alerts/problems';
import { budgetProblem } from '../../src/budget/budget-change';
import { type AlertRules, settingsSchema } from '../../src/config';
import { currencyOf, USD, WHOP_CURRENCIES } from '../../src/currency';
import { type DigestRequest, digestView } from '../../src/digest/build';
import { openIssues } from '../../src/digest/issues';
import { parseAdGroupCommand } from '../../src/slack/commands/parse';
import { modalStateOf, readModalState } from '../../src/slack/views/budget-modal';

/** Pending-change ids as the store makes them: buttons and forms carry nothing else. */
const CONFIRM_ID = 'pc_AAAAAAAAAAAAAAAAAAAAAA';
const UNDO_ID = 'pc_BBBBBBBBBBBBBBBBBBBBBB';

import { type BudgetChange, DELIVERY_STATUS_ALERTS, type EntityRef, type Skipped, WINDOWS } from '../../src/model';
import type { Ad, AdCampaign, AdGroup } from '../../src/whop/types';
import { localDate, localMinutes } from '../../src/zoned-time';
import { ACTOR, markupProblems, messageProblems, viewProblems } from '../support/message-problems';
import { ad, adCampaign, adGroup, amount, BROKEN_NUMBER, count, whopCurrency, whopText } from '../support/whop-arbitraries';

/** Generated cases per flow, quoted in each test's name. */
const RUNS = { digest: 150, alerts: 300, card: 300, command: 500, form: 300 } as const;

const timeZone = fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns');
const moment = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true });
/** Whop's ids are unique; each kind has its own prefix. */
const unique = <T extends { id: string }>(item: fc.Arbitrary<T>, maxLength: number) => fc.uniqueArray(item, { maxLength, selector: (x) => x.id });

const groupRef = (g: AdGroup): EntityRef => ({ kind: 'ad_group', id: g.id, title: g.title, status: g.status });
const entitiesOf = (campaigns: readonly AdCampaign[], groups: readonly AdGroup[], ads: readonly Ad[]) =>
  new Map<string, EntityRef>([
    ...campaigns.map((c) => [c.id, { kind: 'ad_campaign' as const, id: c.id, title: c.title, status: c.status }] as const),
    ...groups.map((g) => [g.id, groupRef(g)] as const),
    ...ads.map((a) => [a.id, { kind: 'ad' as const, id: a.id, title: a.title, status: a.status }] as const),
  ]);

/** Campaigns whose issues also name the generated ad groups and ads, as Whop lists them on the campaign. */
const withIssuesOn = (campaigns: AdCampaign[], targets: readonly { kind: 'ad' | 'ad_group'; id: string }[]) =>
  fc.array(fc.record({ campaign: fc.nat(), target: fc.nat(), message: whopText(2_000) }), { maxLength: 25 }).map((extra) => {
    const out = campaigns.map((c) => ({ ...c, issues: [...c.issues] }));
    extra.forEach((e, i) => {
      const target = targets[e.target % Math.max(1, targets.length)];
      const campaign = out[e.campaign % Math.max(1, out.length)];
      if (target && campaign) campaign.issues.push({ id: `adiss_x${i}`, message: e.message, resource_id: target.id, resource_type: target.kind });
    });
    return out;
  });

/** No number the bot writes is NaN or infinite, whatever Whop sends. */
const numberProblems = (x: unknown) => {
  const json = JSON.stringify(x);
  const at = json.search(BROKEN_NUMBER);
  return at < 0 ? [] : [`a broken number: …${json.slice(Math.max(0, at - 120), at + 40)}…`];
};

describe('Whop shapes through the digest', () => {
  const data = fc
    .record({
      current: unique(adCampaign, 10),
      previous: unique(adCampaign, 4),
      top: unique(adGroup, 20),
      ads: unique(ad, 8),
    })
    .chain((d) =>
      withIssuesOn(d.current, [...d.top.map((g) => ({ kind: 'ad_group' as const, id: g.id })), ...d.ads.map((a) => ({ kind: 'ad' as const, id: a.id }))]).map((current) => ({
        ...d,
        current,
      })),
    );
  const request: fc.Arbitrary<DigestRequest> = fc.record({
    digest: fc.record({ window: fc.constantFrom(...WINDOWS), campaigns: fc.constant([] as string[]), top: fc.constant(20) }),
    timeZone,
    now: moment,
    sandbox: fc.boolean(),
  });

  it(`digest (${RUNS.digest} generated accounts): valid messages, the account's currency sign, cost per result only where results were attributed`, () => {
    fc.assert(
      fc.property(data, request, (d, req) => {
        const view = digestView(req, { current: d.current, previous: d.previous, top: d.top, entities: entitiesOf(d.current, d.top, d.ads) });
        const { main, replies } = digestMessages(view, req.now);
        for (const message of [main, ...replies]) expect([...messageProblems(message), ...numberProblems(message)]).toEqual([]);

        // A code is three letters or one of Whop's own; anything else in spend_currency says nothing.
        const isCode = (c: string | null): c is string => c !== null && (/^[a-z]{3}$/i.test(c) || WHOP_CURRENCIES.some((w) => w === c.toLowerCase()));
        const firstCode = [...d.current, ...d.top].map((x) => x.spend_currency).find(isCode);
        if (firstCode) expect(view.currency).toBe(firstCode.toUpperCase());
        expect(JSON.stringify(main.blocks)).toContain(JSON.stringify(`*Spend*\n${money(view.totals.spend, view.currency)}`).slice(1, -1));
        for (const row of view.topAdGroups) {
          expect(row.spend).toBeGreaterThan(0);
          if (!row.results) expect(row.costPerResult).toBeNull();
        }
        const rowsWithCost = view.topAdGroups.filter((r) => r.costPerResult !== null).length;
        expect((JSON.stringify(main.blocks).match(/ per result(?!\*)/g) ?? []).length).toBeLessThanOrEqual(rowsWithCost);
      }),
      { numRuns: RUNS.digest },
    );
  });
});

describe('Whop shapes through every alert rule', () => {
  const HOUR = 3_600_000;
  const SHOULD_DELIVER = new Set(['active', 'learning', 'learning_limited', 'issues']);
  const seen = fc
    .record({
      campaigns: unique(adCampaign, 5),
      today: unique(adGroup, 12),
      lastThreeDays: unique(adGroup, 12),
      recent: unique(adGroup, 12),
      rejectedAds: unique(
        ad.map((a): Ad => ({ ...a, status: 'rejected' })),
        5,
      ),
      rejectedAdGroups: unique(
        adGroup.map((g): AdGroup => ({ ...g, status: 'rejected' })),
        5,
      ),
      now: moment,
      timeZone,
      /** Hours before now some recent ad groups were created or scheduled to start: around the edge of the no-delivery window. */
      ages: fc.array(fc.record({ created: fc.option(fc.integer({ min: 0, max: 200 })), starts: fc.option(fc.integer({ min: 0, max: 200 })) }), { maxLength: 12 }),
    })
    .map(({ ages, ...s }) => {
      const hoursAgo = (h: number) => new Date(s.now.getTime() - h * HOUR).toISOString();
      const recent = s.recent.map((g, i) => ({
        ...g,
        created_at: ages[i]?.created == null ? g.created_at : hoursAgo(ages[i].created),
        starts_at: ages[i]?.starts == null ? g.starts_at : hoursAgo(ages[i].starts),
      }));
      return { ...s, recent };
    })
    .chain((s) =>
      fc
        .tuple(
          withIssuesOn(s.campaigns, [...s.rejectedAds.map((a) => ({ kind: 'ad' as const, id: a.id })), ...s.today.map((g) => ({ kind: 'ad_group' as const, id: g.id }))]),
          // The ad groups of today on each of up to five days, each day's numbers its own (null frequency too), some missing.
          fc.array(
            fc.array(fc.option(fc.record({ frequency: fc.option(amount, { nil: null, freq: 4 }), click_through_rate: amount, impressions: count })), {
              minLength: s.today.length,
              maxLength: s.today.length,
            }),
            { maxLength: 5 },
          ),
        )
        .map(([campaigns, perDay]): Observation => {
          const issues = openIssues(campaigns);
          const days = perDay.map((day) => s.today.flatMap((g, i) => (day[i] ? [{ ...g, ...day[i] }] : [])));
          return { ...s, campaigns, issues, days, entities: entitiesOf(campaigns, [...s.today, ...s.rejectedAdGroups], s.rejectedAds) };
        }),
    );
  /** Floors now in the range of generated spend and impressions, now off (0), now absent (the defaults). */
  const floors = fc.record(
    { min_spend: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000 }), amount), min_impressions: fc.oneof(fc.constant(0), fc.nat({ max: 2_000 }), count) },
    { requiredKeys: [] },
  );
  const settle = fc.record({ settle_hours: fc.integer({ min: 0, max: 24 }) }, { requiredKeys: [] });
  /** A rule as an admin writes it: the bare threshold, or the object form with some of its other keys. */
  const written = (bare: fc.Arbitrary<number>, key: string, extra: fc.Arbitrary<object>) =>
    fc.oneof(
      bare,
      fc.tuple(bare, extra).map(([value, rest]) => ({ [key]: value, ...rest })),
    );
  const limit = amount.filter((n) => n > 0);
  const rules: fc.Arbitrary<AlertRules> = fc
    .record({
      new_issues: fc.constant(true),
      rejected: fc.constant(true),
      pacing: fc.record({ pct_of_daily_budget: fc.integer({ min: 1, max: 1_000 }), before: fc.constantFrom('00:00', '09:30', '15:00', '23:59') }),
      cost_per_result_above: written(limit, 'limit', floors),
      roas_below: written(
        limit,
        'limit',
        fc.tuple(floors, settle).map(([f, h]) => ({ ...f, ...h })),
      ),
      no_delivery_hours: written(fc.integer({ min: 1, max: 168 }), 'hours', settle),
      delivery_status: fc.subarray([...DELIVERY_STATUS_ALERTS]).map((list) => (list.length > 0 ? list : false)),
      fatigue: fc.record({ days: fc.integer({ min: 2, max: 14 }), min_impressions: fc.nat({ max: 2_000 }), min_change_pct: fc.integer({ min: 0, max: 100 }) }),
    })
    .map((raw) => settingsSchema.parse({ alerts: [{ channel: 'C0ALERTS', schedule: '* * * * *', rules: raw }] }).alerts[0]!.rules);

  /** Each rule as its definition reads, independently of src/alerts: which ad groups it must name, and which it must leave unjudged. */
  function expected(s: Observation, r: AlertRules, open: ReadonlySet<string>): { found: string[]; skipped: Skipped } {
    const day = localDate(s.now, s.timeZone);
    const [hh, mm] = r.pacing!.before!.split(':').map(Number);
    const early = localMinutes(s.now, s.timeZone) < hh! * 60 + mm!;
    const cpr = r.cost_per_result_above!;
    const roas = r.roas_below!;
    const idle = r.no_delivery_hours!;
    const since = s.now.getTime() - (idle.settle_hours + idle.hours) * HOUR;
    const explained = new Set(s.issues.map((i) => i.resource_id));
    const skipped: Skipped = {};
    /** Keeps the ad groups with data enough for the rule, counting the others under the first floor they are under. */
    const judged = (rule: 'cost_per_result' | 'roas', floor: { min_spend: number; min_impressions: number }) => (g: AdGroup) => {
      const under = g.spend < floor.min_spend ? 'min_spend' : g.impressions < floor.min_impressions ? 'min_impressions' : null;
      if (under) skipped[rule] = { ...skipped[rule], [under]: (skipped[rule]?.[under] ?? 0) + 1 };
      return under === null;
    };
    const meantToDeliverThroughout = (g: AdGroup) => {
      const throughout = Date.parse(g.created_at) <= since && (g.starts_at === null || Date.parse(g.starts_at) <= since);
      if (!throughout) skipped.no_delivery = { too_new: (skipped.no_delivery?.too_new ?? 0) + 1 };
      return throughout;
    };
    // Whop's delivery states, each once, at the widest level; what their alert carries is not alerted again.
    const watched = new Set(r.delivery_status);
    const stated = (status: string) => watched.has(status as (typeof DELIVERY_STATUS_ALERTS)[number]);
    const rejectedCampaigns = new Set(s.campaigns.filter((c) => c.delivery_status === 'all_ads_rejected' && stated('all_ads_rejected')).map((c) => c.id));
    const rejectedGroups = s.today.filter((g) => g.delivery_status === 'all_ads_rejected' && stated('all_ads_rejected') && !rejectedCampaigns.has(g.ad_campaign.id));
    const allRejected = new Set([...rejectedCampaigns, ...rejectedGroups.map((g) => g.id)]);
    const carried = new Set(
      [
        ...s.campaigns.filter((c) => c.delivery_status === 'payment_failed' && stated('payment_failed')).flatMap((c) => c.issues.filter((i) => i.resource_id === c.id)),
        ...s.campaigns.filter((c) => rejectedCampaigns.has(c.id)).flatMap((c) => c.issues),
        ...rejectedGroups.flatMap((g) => g.issues),
      ].map((i) => i.id),
    );
    const share = r.fatigue!.min_change_pct / 100;
    const fatigued = (s.days.at(-1) ?? []).filter((g) => {
      if (s.days.length < 2 || g.status !== 'active') return false;
      const series = s.days.map((day) => day.find((x) => x.id === g.id));
      if (series.some((x) => !x || x.frequency === null || x.impressions < r.fatigue!.min_impressions)) return false;
      const f = series.map((x) => x!.frequency!);
      const c = series.map((x) => x!.click_through_rate);
      const up = f.every((v, i) => i === 0 || v > f[i - 1]!) && f.at(-1)! >= f[0]! * (1 + share);
      const down = c.every((v, i) => i === 0 || v < c[i - 1]!) && c.at(-1)! <= c[0]! * (1 - share);
      return up && down;
    });
    const found = [
      ...s.campaigns
        .filter((c) => ['payment_failed', 'all_ads_rejected', 'ad_groups_off'].includes(c.delivery_status) && stated(c.delivery_status))
        .map((c) => `delivery_status:${c.id}`),
      ...s.today.filter((g) => g.delivery_status === 'learning_limited' && stated('learning_limited')).map((g) => `delivery_status:${g.id}`),
      ...rejectedGroups.map((g) => `delivery_status:${g.id}`),
      ...new Set(s.issues.filter((i) => !carried.has(i.id)).map((i) => `issue:${i.message.trim()}`)),
      ...[...s.rejectedAdGroups, ...s.rejectedAds]
        .filter((x) => !explained.has(x.id) && !allRejected.has(x.ad_campaign.id) && !allRejected.has('ad_group' in x ? x.ad_group.id : x.id))
        .map((x) => `rejected:${x.id}`),
      ...fatigued.map((g) => `fatigue:${g.id}`),
      ...s.today
        .filter((g) => g.status === 'active' && g.budget_type === 'daily' && g.budget_amount !== null && g.budget_amount > 0)
        .filter((g) => g.spend * 100 >= r.pacing!.pct_of_daily_budget! * g.budget_amount!)
        .filter((g) => early || open.has(`pacing:${g.id}:${day.year}-${day.month}-${day.day}`))
        .map((g) => `pacing:${g.id}`),
      // Results null: Whop attributes nothing, so there is no cost per result to judge.
      ...s.today
        .filter((g) => g.status === 'active' && g.results !== null)
        .filter(judged('cost_per_result', cpr))
        .filter((g) => {
          const cost = g.results! > 0 ? g.cost_per_result : g.spend;
          return cost !== null && cost > cpr.limit;
        })
        .map((g) => `cost_per_result:${g.id}`),
      // ROAS only where purchases are the goal.
      ...s.lastThreeDays
        .filter((g) => g.status === 'active' && g.result_event === 'purchase')
        .filter(judged('roas', roas))
        .filter((g) => g.spend > 0 && g.return_on_ad_spend < roas.limit)
        .map((g) => `roas:${g.id}`),
      ...s.recent
        .filter((g) => g.status === 'active' && SHOULD_DELIVER.has(g.delivery_status))
        .filter(meantToDeliverThroughout)
        .filter((g) => g.impressions === 0)
        .map((g) => `no_delivery:${g.id}`),
    ].sort();
    return { found, skipped };
  }

  it(`alerts (${RUNS.alerts} generated observations, every rule on, written bare or with floors and settle_hours, every delivery_status, null frequencies): each rule names exactly what its definition says and counts what it leaves unjudged, in valid messages`, () => {
    fc.assert(
      fc.property(seen, rules, fc.boolean(), moment, (s, r, pacingOpen, openedAt) => {
        const day = localDate(s.now, s.timeZone);
        const open = new Set(pacingOpen ? s.today.map((g) => `pacing:${g.id}:${day.year}-${day.month}-${day.day}`) : []);
        const { problems, skipped } = findProblems(s, r, open);
        const found = problems.map((p) => (p.rule === 'issue' ? `issue:${p.message}` : `${p.rule}:${p.entities[0]!.id}`)).sort();
        expect({ found, skipped }).toEqual(expected(s, r, open));
        expect(new Set(problems.map((p) => p.key)).size).toBe(problems.length);

        for (const problem of problems) {
          if (problem.rule === 'cost_per_result' || problem.rule === 'pacing' || problem.rule === 'roas') {
            const group = (problem.rule === 'roas' ? s.lastThreeDays : s.today).find((g) => g.id === problem.entities[0]!.id)!;
            expect(problem.currency).toBe(currencyOf(group.spend_currency));
          }
          if (problem.rule === 'roas') expect(problem.settleHours).toBe(r.roas_below!.settle_hours);
          if (problem.rule === 'no_delivery') expect(problem.settleHours).toBe(r.no_delivery_hours!.settle_hours);
          for (const message of [
            alertMessage({ problem, openedAt, timeZone: s.timeZone, sandbox: false }),
            alertMessage({ problem, openedAt, timeZone: s.timeZone, sandbox: true, resolvedAt: s.now }),
          ]) {
            expect([...messageProblems(message), ...numberProblems(message)]).toEqual([]);
          }
          expect(markupProblems([stillOpen(problem, openedAt, s.timeZone), snoozeOver(problem, s.timeZone, s.now)])).toEqual([]);
        }
      }),
      { numRuns: RUNS.alerts },
    );
  });
});

describe('Whop shapes through the ad group card', () => {
  const campaign = fc.option(adCampaign, { nil: null, freq: 5 });

  it(`card (${RUNS.card} generated ad groups): valid, the account's currency sign, cost per result only with results, Edit budget only with a budget`, () => {
    fc.assert(
      fc.property(adGroup, campaign, fc.constantFrom(...WINDOWS), timeZone, fc.boolean(), fc.boolean(), (group, c, name, tz, sandbox, shared) => {
        const view = { group, campaign: c && { id: c.id, title: c.title, platform: c.platform }, window: { name, timeZone: tz }, sandbox, ...(shared ? { sharedBy: ACTOR } : {}) };
        const card = adGroupCard(view);
        expect([...messageProblems(card), ...numberProblems(card)]).toEqual([]);
        const body = JSON.stringify(card.blocks);
        const currency = currencyOf(group.spend_currency);
        expect(body).toContain(JSON.stringify(`*Spend*\n${money(group.spend, currency)}`).slice(1, -1));
        if (currency !== USD) expect(body).not.toContain('*Spend*\\n$');
        if (!group.results) expect(body).toContain('*Cost per result*\\n—');
        expect(body.includes('"ad_group.budget.edit"')).toBe(group.budget_amount !== null);

        const moved = withBudget(card.blocks, { ...group, budget_amount: group.budget_amount === null ? null : group.budget_amount + 1 });
        expect(messageProblems({ text: card.text, blocks: moved })).toEqual([]);
      }),
      { numRuns: RUNS.card },
    );
  });

  it(`search results (${RUNS.card} generated lists of up to ten ad groups): valid`, () => {
    fc.assert(
      fc.property(whopText(100), unique(adGroup, 10), fc.oneof(fc.nat(), fc.constant('many' as const)), (query, groups, more) => {
        expect(messageProblems(searchResults(query, groups, more))).toEqual([]);
      }),
      { numRuns: RUNS.card },
    );
  });
});

describe('Whop shapes through the budget command', () => {
  const LIMITS = { max_amount: 5_000, confirm_change_pct: 50 };
  const cents = fc.integer({ min: 1, max: 999_999 }).map((c) => c / 100);
  const anyCase = (code: string) => fc.constantFrom(code.toLowerCase(), code.toUpperCase(), code.slice(0, 1).toUpperCase() + code.slice(1));
  /** What a person types: a plain number, a number with a code in any case (the group's own or another), or what the bot writes. */
  const typed = (group: AdGroup) =>
    fc.oneof(
      cents.map((n) => ({ text: String(n), amount: n, code: null as string | null })),
      fc
        .tuple(cents, fc.oneof(whopCurrency, fc.constant(group.spend_currency?.trim() || 'usd')))
        .chain(([n, code]) => anyCase(code).map((written) => ({ text: `${n} ${written}`, amount: n, code }))),
      cents.map((n) => ({ text: money(n, currencyOf(group.spend_currency)), amount: n, code: 'written by the bot' })),
    );
  const withTyped = adGroup.chain((group) => typed(group).map((t) => ({ group, t })));

  it(`budget command (${RUNS.command} generated ad groups and amounts): accepted exactly when the limit, the currency (in any case) and a real change allow`, () => {
    fc.assert(
      fc.property(withTyped, moment, timeZone, ({ group, t }, at, tz) => {
        const parsed = parseAdGroupCommand(`budget ${group.id} ${t.text}`);
        if (parsed.kind !== 'budget') {
          // Only a code that is neither ISO letters nor Whop's own may fail to read.
          expect(t.code).not.toBeNull();
          return;
        }
        expect(parsed.amount.amount).toBe(t.amount);
        if (group.budget_amount === null) {
          expect(markupProblems([budgetSetByCampaign(group.title, group.id)])).toEqual([]);
          return;
        }
        const own = currencyOf(group.spend_currency);
        const problem = budgetProblem(LIMITS, { id: group.id, title: group.title, amount: group.budget_amount, currency: own }, parsed.amount);
        const sameCurrency =
          t.code === null || t.code === 'written by the bot'
            ? parsed.amount.currency === null || parsed.amount.currency === own
            : group.spend_currency !== null && own !== null && t.code.toLowerCase() === group.spend_currency.toLowerCase();
        const accepted = t.amount <= LIMITS.max_amount && sameCurrency && t.amount !== group.budget_amount;
        expect(problem === null).toBe(accepted);
        if (t.code === 'written by the bot' && t.amount <= LIMITS.max_amount && t.amount !== group.budget_amount) expect(problem).toBeNull();
        if (problem) expect(markupProblems([problem.message])).toEqual([]);

        const change: BudgetChange = { id: group.id, title: group.title, from: group.budget_amount, to: t.amount, type: group.budget_type, currency: own };
        const prompt = confirmPrompt(change, CONFIRM_ID, LIMITS.confirm_change_pct);
        const done = budgetChanged(change, ACTOR, at, tz, group.budget_amount > 0 ? UNDO_ID : null);
        for (const message of [prompt, done]) {
          expect([...messageProblems(message), ...numberProblems(message)]).toEqual([]);
          expect(JSON.stringify(message.blocks)).toContain(money(t.amount, own));
        }
        // Confirm and Undo carry only the ids of the pending changes, whatever the ad group holds.
        const buttons = [prompt, done].flatMap((m) =>
          (m.blocks as Array<{ accessory?: { action_id: string; value: string }; elements?: { action_id: string; value: string }[] }>).flatMap((b) => [
            b.accessory,
            ...(b.elements ?? []),
          ]),
        );
        expect(buttons.find((b) => b?.action_id === 'ad_group.budget.confirm')?.value).toBe(CONFIRM_ID);
        const undoValue = buttons.find((b) => b?.action_id === 'ad_group.budget.undo')?.value;
        expect(undoValue).toBe(group.budget_amount > 0 ? UNDO_ID : undefined);
      }),
      { numRuns: RUNS.command },
    );
  });
});

describe('Whop shapes through the budget form', () => {
  const origin = fc.record({
    channel: fc.option(fc.constant('C0DIGEST'), { nil: null }),
    ts: fc.option(fc.constant('1732540000.000100'), { nil: null }),
    responseUrl: fc.option(fc.constant('https://hooks.slack.com/actions/T0TEST/1234567890/abcdefghijklmnopqrstuvwx'), { nil: null }),
    sharedBy: fc.option(fc.constant(ACTOR), { nil: null }),
  });
  const budgeted = adGroup.filter((g): g is AdGroup & { budget_amount: number } => g.budget_amount !== null);

  it(`budget form (${RUNS.form} generated ad groups): every step is a valid modal carrying only an id, and the state the bot keeps reads back as written`, () => {
    fc.assert(
      fc.property(
        budgeted,
        origin,
        amount.filter((n) => n > 0),
        fc.integer({ min: 0, max: 1_000 }),
        moment,
        timeZone,
        (group, where, to, pct, at, tz) => {
          const state = modalStateOf(group, where);
          const form = budgetModal(state, CONFIRM_ID);
          expect([...viewProblems(form), ...numberProblems(form)]).toEqual([]);
          expect(form.private_metadata).toBe(CONFIRM_ID);
          // The store keeps the state as JSON: it reads back as written.
          expect(readModalState(JSON.parse(JSON.stringify(state)))).toEqual(state);
          if (state.currency) expect(JSON.stringify(form)).toContain(`(${state.currency})`);

          const confirm = budgetModalConfirm(state, to, pct, CONFIRM_ID);
          expect([...viewProblems(confirm), ...numberProblems(confirm)]).toEqual([]);
          expect(confirm.private_metadata).toBe(CONFIRM_ID);

          const change: BudgetChange = { ...state, to };
          for (const view of [budgetModalPending(state, to), budgetModalDone(change, ACTOR, at, tz), problemModal(budgetSetByCampaign(group.title, group.id))]) {
            expect([...viewProblems(view), ...numberProblems(view)]).toEqual([]);
          }
        },
      ),
      { numRuns: RUNS.form },
    );
  });
});
