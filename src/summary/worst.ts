import type { AccountFigures, AccountLine } from './line';

/**
 * Worst first: an account Whop did not answer for (nothing about it can be seen), then the most open problems
 * (Whop's open issues plus the bot's open alerts), then the largest fall in results or ROAS against the previous
 * window; ties by name.
 */
export const WORST_FIRST = 'worst first: no answer from Whop, then the most open problems, then the largest fall in results or ROAS';

const problems = (line: AccountLine): number => line.openAlerts + (line.ok ? line.openIssues : 0);

/** How far a figure fell, as a share of what it was (0.25: down a quarter; negative: it rose); 0 when unknown. */
const fallOf = (now: number | null, before: number | null): number => (now === null || before === null || before <= 0 ? 0 : (before - now) / before);

const fall = (now: AccountFigures, before: AccountFigures): number => Math.max(fallOf(now.results, before.results), fallOf(now.roas, before.roas));

function compareWorst(a: AccountLine, b: AccountLine): number {
  if (a.ok !== b.ok) return a.ok ? 1 : -1;
  const byProblems = problems(b) - problems(a);
  if (byProblems !== 0) return byProblems;
  const byFall = a.ok && b.ok ? fall(b.current, b.previous) - fall(a.current, a.previous) : 0;
  return byFall !== 0 ? byFall : a.name.localeCompare(b.name);
}

/** The lines sorted worst first (WORST_FIRST), as a new list. */
export const worstFirst = (lines: readonly AccountLine[]): AccountLine[] => [...lines].sort(compareWorst);
