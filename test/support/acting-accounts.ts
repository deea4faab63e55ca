// Sandbox accounts for the e2e tests of rules that act: only the ad groups a test adds, on a clock of its choosing.
import { demoAccount } from '../../src/sandbox';
import type { SandboxAccount } from '../../src/sandbox/account';
import { craftGroup, type DayOfDelivery } from './crafted-ad-group';

/**
 * The demo account's campaigns with none of its ad groups, ads or issues: only what a test crafts is judged.
 * Without `now`, the sandbox lives at the clock of the process (child bots that run on it).
 */
export function emptyAccount(now?: () => Date): SandboxAccount {
  const account = demoAccount({ ...(now ? { now } : {}), flatDays: true });
  template = account.ads.find((a) => a.status === 'active') ?? template;
  account.adGroups = [];
  account.ads = [];
  account.issues = [];
  return account;
}

let template: SandboxAccount['ads'][number] | undefined;

/**
 * Adds an active purchase-goal ad group with one live ad, in a campaign that delivers and has no budget of its own,
 * delivering `day` every UTC day from `from` for `days` days (the sandbox spreads a day evenly over its hours).
 * `budget`: its own daily budget.
 */
export function addCostlyGroup(account: SandboxAccount, input: { id: string; title: string; day: DayOfDelivery; from: Date; days?: number; budget?: number | null }): void {
  craftGroup(account, {
    id: input.id,
    title: input.title,
    from: input.from,
    days: input.days ?? 20,
    dayOf: () => input.day,
    dailyBudget: input.budget,
    campaign: (c) => c.budget_amount === null,
    template,
  });
}
