export {
  type AdGroupRecord,
  type AdRecord,
  type CampaignRecord,
  type IssueRecord,
  type SandboxAccount,
  accountIdOf,
  addIssue,
  findEntity,
  moveToAccount,
  removeIssue,
  setStatus,
} from './account';
export type { Faults } from './faults';
export {
  AUDIENCE_TOO_NARROW,
  CAMPAIGN_FLAGGED,
  LANDING_PAGE_DOWN,
  PAYMENT_FAILED,
  PERSONAL_ATTRIBUTES_REJECTION,
  SANDBOX_ACCOUNT_ID,
  TARGETING_REJECTED,
  UNSUPPORTED_PROMISE,
  type DemoOptions,
  type ScaledOptions,
  demoAccount,
  scaledAccount,
} from './seed';
export { type RecordedRequest, type SandboxOptions, type SandboxServer, startSandbox } from './server';
export { type Totals, accountTotals } from './stats';
