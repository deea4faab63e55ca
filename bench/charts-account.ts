// The simulated account of the charts section (charts.ts) and its busy work's own fakes (busy-fakes.ts): 2,000 ad
// groups reporting on New York's clock, as a business's ad account usually does (the trend's days are Whop's daily buckets).
import { TIME_ZONE } from './setup';

export const CHARTS_NOW = new Date('2025-11-25T15:00:00Z');

export const CHARTS_ACCOUNT = { adGroups: 2000, ads: 20_000, issues: 500, reportingTimeZone: TIME_ZONE, now: () => CHARTS_NOW };
