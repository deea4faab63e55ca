// Property-based tests: the slash-command parser and the Block Kit builders, fed arbitrary data
// (huge, empty, unicode, control characters, mrkdwn) must stay total, within Slack's limits, and never
// let data turn into markup.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RowUpdate, updateRow } from '../../blocks/action-result';
import { type AdGroupCardView, adGroupCard, type CardGroup, searchResults } from '../../blocks/ad-group-card';
import { budgetCancelled, budgetChanged, budgetModal, budgetModalConfirm, confirmPrompt, type ModalState } from '../../blocks/budget';
import { type AdGroupRow, type DigestTotals, type DigestView, digestMessages, type IssueGroup } from '../../blocks/digest';
import { money } from '../../blocks/format';
import { type Currency, currencyOf, USD, WHOP_CURRENCIES } from '../../src/currency';
import { type BudgetChange, type EntityRef, isActionable, WINDOWS } from '../../src/model';
import { parseAdGroupCommand, parseAdsCommand } from '../../src/slack/commands/parse';
import { ACTOR, markupProblems, messageProblems, viewProblems } from '../support/message-problems';
import { whopText } from '../support/whop-arbitraries';

const RUNS = { numRuns: 150 };
const FEW = { numRuns: 60 };

// ---------- arbitraries ----------

const text = whopText;
const title = fc.option(text(), { nil: null, freq: 8 });
const amount = fc.oneof(
  fc.double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 0, max: 1_000_000_00 }).map((c) => c / 100),
  fc.constantFrom(0, 0.005, 1e15, 1e21, Number.MAX_SAFE_INTEGER),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 4 });
/** Every code Whop lists, as the bot holds it once read (currencyOf), and null: Whop does not always say. */
const knownCurrency: fc.Arbitrary<Currency> = fc.constantFrom(...WHOP_CURRENCIES).map((code) => currencyOf(code)!);
const currency = fc.option(knownCurrency, { nil: null, freq: 6 });
const timeZone = fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns');
const date = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true });
const suffix = fc.stringMatching(/^[A-Za-z0-9]{1,20}$/);
const groupId = suffix.map((s) => `adgrp_${s}`);
const adId = suffix.map((s) => `ad_${s}`);
const status = fc.constantFrom('active', 'paused', 'rejected', 'in_review', 'pending_review');

const entity: fc.Arbitrary<EntityRef> = fc.oneof(
  fc.record({ kind: fc.constant('ad' as const), id: adId, title, status }),
  fc.record({ kind: fc.constant('ad_group' as const), id: groupId, title, status }),
  fc.record({ kind: fc.constant('ad_campaign' as const), id: suffix.map((s) => `adcamp_${s}`), title, status }),
);

const totals: fc.Arbitrary<DigestTotals> = fc.record({
  spend: amount,
  impressions: amount,
  clicks: amount,
  purchases: amount,
  purchaseValueUsd: amount,
  results: maybe(amount),
  ctr: maybe(amount),
  cpc: maybe(amount),
  cpm: maybe(amount),
  roas: maybe(amount),
  costPerResult: maybe(amount),
});

const row: fc.Arbitrary<AdGroupRow> = fc.record({
  kind: fc.constant('ad_group' as const),
  id: groupId,
  title,
  status,
  campaignTitle: title,
  spend: amount,
  results: maybe(amount),
  costPerResult: maybe(amount),
});

const issue: fc.Arbitrary<IssueGroup> = fc.record({ message: text(2_000), entities: fc.array(entity, { minLength: 1, maxLength: 25 }) });

const digestView: fc.Arbitrary<DigestView> = fc.record({
  window: fc.record({ name: fc.constantFrom(...WINDOWS), from: date, to: date, timeZone }),
  currency,
  totals,
  previous: totals,
  // Settings allow 1–20 ad groups in a digest (digests[].top).
  topAdGroups: fc.uniqueArray(row, { maxLength: 20, selector: (r) => r.id }),
  issues: fc.array(issue, { maxLength: 40 }),
  sandbox: fc.boolean(),
});

const cardGroup: fc.Arbitrary<CardGroup> = fc.record({
  id: groupId,
  title: title.map((t) => t ?? ''),
  status: fc.constantFrom('active', 'paused', 'rejected'),
  delivery_status: fc.constantFrom('active', 'paused', 'learning_limited', 'all_ads_rejected'),
  budget_amount: maybe(amount),
  budget_type: fc.constantFrom('daily', 'lifetime', null),
  starts_at: maybe(date.map((d) => d.toISOString())),
  ends_at: maybe(date.map((d) => d.toISOString())),
  spend: amount,
  spend_currency: maybe(fc.constantFrom(...WHOP_CURRENCIES)),
  results: maybe(amount),
  cost_per_result: maybe(amount),
  return_on_ad_spend: amount,
  click_through_rate: amount,
  issues: fc.array(fc.record({ id: suffix, message: text(500), resource_id: fc.constant(null), resource_type: fc.constant('ad_group' as const) }), { maxLength: 14 }),
}) as fc.Arbitrary<CardGroup>;

const change: fc.Arbitrary<BudgetChange> = fc.record({
  id: groupId,
  title,
  from: amount.filter((n) => n > 0),
  to: amount.filter((n) => n > 0),
  type: fc.constantFrom('daily', 'lifetime', null),
  currency,
});

const modalState: fc.Arbitrary<ModalState> = fc.record({
  id: groupId,
  title,
  from: amount.filter((n) => n > 0),
  type: fc.constantFrom('daily', 'lifetime', null),
  currency,
  channel: fc.option(fc.constant('C0DIGEST'), { nil: null }),
  ts: fc.option(fc.constant('1732540000.000100'), { nil: null }),
  responseUrl: fc.option(fc.constant('https://hooks.slack.com/actions/T0TEST/1234567890/abcdefghijklmnopqrstuvwx'), { nil: null }),
  sharedBy: fc.option(fc.constant(ACTOR), { nil: null }),
});

// ---------- the parser ----------

/** A pending change's id as the store makes them. */
const PENDING_ID = 'pc_AAAAAAAAAAAAAAAAAAAAAA';

describe('slash-command parser', () => {
  const words = fc.array(
    fc.oneof(
      fc.constantFrom('budget', 'BUDGET', 'help', 'digest', 'today', 'last_7d', '$', 'usd', 'EUR', '-', '−', '1,000', ',', '.', '.5', '00', '1e3', 'Infinity'),
      groupId,
      amount.map(String),
      text(30),
    ),
    { maxLength: 8 },
  );
  const anyText = fc.oneof(
    text(400),
    words.map((w) => w.join(' ')),
    words.map((w) => `budget ${w.join(' ')}`),
  );

  it('never throws, whatever is typed, and answers with a known kind', () => {
    fc.assert(
      fc.property(anyText, (typed) => {
        expect(['help', 'lookup', 'search', 'budget', 'invalid']).toContain(parseAdGroupCommand(typed).kind);
        expect(['help', 'digest', 'invalid']).toContain(parseAdsCommand(typed).kind);
      }),
      RUNS,
    );
  });

  it('any budget it accepts is a positive, finite amount with at most 2 decimals', () => {
    const budgetText = fc
      .tuple(
        groupId,
        fc.oneof(
          anyText,
          amount.map(String),
          amount.map((n) => money(n, USD)),
        ),
      )
      .map(([id, a]) => `budget ${id} ${a}`);
    fc.assert(
      fc.property(budgetText, (typed) => {
        const parsed = parseAdGroupCommand(typed);
        if (parsed.kind !== 'budget') return;
        const { amount: n } = parsed.amount;
        expect(Number.isFinite(n)).toBe(true);
        expect(n).toBeGreaterThan(0);
        // At most 2 decimals (toFixed, not n * 100: that is inexact for very large amounts).
        expect(Number(n.toFixed(2))).toBe(n);
      }),
      RUNS,
    );
  });

  it('amounts the bot writes (money(), the modal’s initial value, "N cur" in any case) read back as the same amount and currency', () => {
    const cents = fc.integer({ min: 1, max: 99_999_999_999 }).map((c) => c / 100);
    const wholeIn = (cur: Currency) => !money(1.5, cur).includes('.');
    fc.assert(
      fc.property(cents, knownCurrency, fc.boolean(), (cents, cur, lower) => {
        const n = wholeIn(cur) ? Math.round(cents) || 1 : cents;
        const read = (typed: string) => parseAdGroupCommand(`budget adgrp_Ab1 ${typed}`);
        expect(read(money(n, USD))).toEqual({ kind: 'budget', id: 'adgrp_Ab1', amount: { amount: n, currency: null } });
        expect(read(n.toFixed(2))).toMatchObject({ kind: 'budget', amount: { amount: n, currency: null } });
        expect(read(`${n} ${lower ? cur.toLowerCase() : cur}`)).toMatchObject({ kind: 'budget', amount: { amount: n, currency: cur } });
        // `$` and `¥` name several currencies: they read back as "no currency said", never as the wrong one.
        const written = read(money(n, cur));
        expect(written).toMatchObject({ kind: 'budget', amount: { amount: n } });
        if (written.kind === 'budget') expect([cur, null]).toContain(written.amount.currency);
        if (!/^[$¥]/.test(money(n, cur))) expect(written).toMatchObject({ amount: { currency: cur } });
      }),
      RUNS,
    );
  });

  it('whatever is typed, the problem it shows back is safe mrkdwn', () => {
    fc.assert(
      fc.property(anyText, (typed) => {
        for (const parsed of [
          parseAdGroupCommand(typed),
          parseAdGroupCommand(`budget ${typed}`),
          parseAdGroupCommand(`budget adgrp_x ${typed}`),
          parseAdsCommand(typed),
          parseAdsCommand(`digest ${typed}`),
        ]) {
          if (parsed.kind === 'invalid') expect(markupProblems([parsed.problem])).toEqual([]);
        }
      }),
      RUNS,
    );
  });
});

// ---------- the Block Kit builders ----------

describe('Block Kit builders, fed arbitrary data', () => {
  it('digestMessages: the message and every thread reply are within Slack’s limits, data escaped', () => {
    fc.assert(
      fc.property(digestView, date, (view, now) => {
        const { main, replies } = digestMessages(view, now);
        expect(messageProblems(main)).toEqual([]);
        for (const reply of replies) expect(messageProblems(reply)).toEqual([]);
      }),
      FEW,
    );
  });

  it('digestMessages: twenty top ad groups with the longest, most escaped titles still fit, with room for pauses', () => {
    const zero: DigestTotals = {
      spend: 1e9,
      impressions: 1e9,
      clicks: 1e9,
      purchases: 1e9,
      purchaseValueUsd: 1e9,
      results: 1e9,
      ctr: 1e9,
      cpc: 1e9,
      cpm: 1e9,
      roas: 1e9,
      costPerResult: 1e9,
    };
    fc.assert(
      fc.property(fc.constantFrom('a', '&', '<', '🔥', '<!channel>'), (ch) => {
        const rows: AdGroupRow[] = Array.from({ length: 20 }, (_, i) => ({
          kind: 'ad_group',
          id: `adgrp_${i}${'x'.repeat(18)}`,
          title: ch.repeat(200),
          status: 'active',
          campaignTitle: ch.repeat(200),
          spend: 1e9,
          results: 1e9,
          costPerResult: 1e9,
        }));
        const view: DigestView = {
          window: { name: 'last_30d', from: new Date(0), to: new Date(0), timeZone: 'America/St_Johns' },
          currency: currencyOf('brl'),
          totals: zero,
          previous: zero,
          topAdGroups: rows,
          issues: [],
          sandbox: true,
        };
        let { main } = digestMessages(view, new Date(0));
        expect(messageProblems(main)).toEqual([]);
        // Every row paused, then unpaused: 40 changes with who did them.
        for (const verb of ['pause', 'unpause'] as const) {
          for (const r of rows) {
            const done = { verb, by: ACTOR, at: new Date(0), timeZone: 'UTC' };
            main = { ...main, blocks: updateRow(main.blocks, { entity: { ...r, status: verb === 'pause' ? 'paused' : 'active' }, done }) };
          }
        }
        expect(messageProblems(main)).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });

  it('updateRow: a pause or unpause recorded on any row keeps the message valid and says who did it', () => {
    const verb = fc.constantFrom('pause' as const, 'unpause' as const);
    fc.assert(
      fc.property(digestView, date, verb, fc.nat(), timeZone, (view, now, v, pick, tz) => {
        const { main } = digestMessages(view, now);
        const candidates = [...view.topAdGroups, ...view.issues.flatMap((i) => i.entities)].filter(isActionable);
        fc.pre(candidates.length > 0);
        const target = candidates[pick % candidates.length]!;
        const status = v === 'pause' ? 'paused' : 'active';
        const update: RowUpdate = { entity: { ...target, status }, done: { verb: v, by: ACTOR, at: now, timeZone: tz } };
        const blocks = updateRow(main.blocks, update);
        expect(messageProblems({ text: main.text, blocks })).toEqual([]);
        // The row (or issue) that had the button now says who acted.
        const shownButton = JSON.stringify(main.blocks).includes(`"value":"${target.id}"`);
        if (shownButton) expect(JSON.stringify(blocks)).toContain(`<@${ACTOR}>`);
      }),
      FEW,
    );
  });

  it('updateRow: on an issue whose message fills its section, the new status and who acted still show', () => {
    const zero: DigestTotals = {
      spend: 0,
      impressions: 0,
      clicks: 0,
      purchases: 0,
      purchaseValueUsd: 0,
      results: null,
      ctr: null,
      cpc: null,
      cpm: null,
      roas: null,
      costPerResult: null,
    };
    fc.assert(
      fc.property(fc.constantFrom('&', '<', '>', 'a', '&lt;'), fc.nat({ max: 3 }), (ch, extra) => {
        const group = { kind: 'ad_group' as const, id: 'adgrp_A', title: `${ch.repeat(60)}`, status: 'active' };
        const entities = [group, ...Array.from({ length: extra }, (_, i) => ({ ...group, id: `adgrp_B${i}`, title: `${i}${group.title}` }))];
        const view: DigestView = {
          window: { name: 'yesterday', from: new Date(0), to: new Date(0), timeZone: 'UTC' },
          currency: USD,
          totals: zero,
          previous: zero,
          topAdGroups: [],
          sandbox: false,
          issues: [{ message: ch.repeat(2_000), entities }],
        };
        let blocks = digestMessages(view, new Date(0)).main.blocks;
        for (const entity of entities) {
          expect(JSON.stringify(blocks)).toContain(`"value":"${entity.id}"`);
          blocks = updateRow(blocks, { entity: { ...entity, status: 'paused' }, done: { verb: 'pause', by: ACTOR, at: new Date(0), timeZone: 'UTC' } });
        }
        const issueText = JSON.stringify(blocks.filter((b) => b.type === 'section' && JSON.stringify(b).includes(':warning:')));
        expect(issueText).toContain(`<@${ACTOR}>`);
        expect(issueText).toContain('Paused');
        expect(issueText.match(new RegExp(`<@${ACTOR}>`, 'g'))).toHaveLength(entities.length);
        expect(messageProblems({ text: 'x', blocks })).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it('adGroupCard: any ad group gives a valid card, shared or not', () => {
    fc.assert(
      fc.property(
        cardGroup,
        fc.option(fc.record({ id: suffix, title: text(), platform: fc.oneof(fc.constantFrom('meta', 'tiktok'), text(20)) }), { nil: null }),
        fc.constantFrom(...WINDOWS),
        timeZone,
        fc.boolean(),
        fc.boolean(),
        (group, campaign, name, tz, sandbox, shared) => {
          const view: AdGroupCardView = { group, campaign, window: { name, timeZone: tz }, sandbox, ...(shared ? { sharedBy: ACTOR } : {}) };
          expect(messageProblems(adGroupCard(view))).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('searchResults: any query and up to ten matches give a valid answer', () => {
    fc.assert(
      fc.property(text(100), fc.uniqueArray(cardGroup, { maxLength: 10, selector: (g) => g.id }), fc.oneof(fc.nat(), fc.constant('many' as const)), (query, groups, more) => {
        expect(messageProblems(searchResults(query, groups, more))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('budget messages: confirm prompt, change done (with Undo), cancelled', () => {
    fc.assert(
      fc.property(change, fc.integer({ min: 0, max: 1_000 }), date, timeZone, (c, pct, at, tz) => {
        expect(messageProblems(confirmPrompt(c, PENDING_ID, pct))).toEqual([]);
        expect(messageProblems(budgetChanged(c, ACTOR, at, tz, PENDING_ID))).toEqual([]);
        expect(messageProblems(budgetCancelled(c))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('budget modals: Edit budget and its confirmation step are valid modals for any ad group', () => {
    fc.assert(
      fc.property(
        modalState,
        amount.filter((n) => n > 0),
        fc.integer({ min: 0, max: 1_000 }),
        (state, to, pct) => {
          expect(viewProblems(budgetModal(state, PENDING_ID))).toEqual([]);
          expect(viewProblems(budgetModalConfirm(state, to, pct, PENDING_ID))).toEqual([]);
        },
      ),
      RUNS,
    );
  });
});
