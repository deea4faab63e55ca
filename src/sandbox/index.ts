export {
  type AdGroupRecord,
  type AdRecord,
  accountIdOf,
  addIssue,
  type CampaignRecord,
  findEntity,
  type IssueRecord,
  moveToAccount,
  removeIssue,
  type SandboxAccount,
  setStatus,
} from './account';
export type { Faults } from './faults';
export {
  AUDIENCE_TOO_NARROW,
  CAMPAIGN_FLAGGED,
  type DemoOptions,
  demoAccount,
  LANDING_PAGE_DOWN,
  PAYMENT_FAILED,
  PERSONAL_ATTRIBUTES_REJECTION,
  SANDBOX_ACCOUNT_ID,
  type ScaledOptions,
  scaledAccount,
  TARGETING_REJECTED,
  UNSUPPORTED_PROMISE,
} from './seed';
export { type RecordedRequest, type SandboxOptions, type SandboxServer, startSandbox } from './server';
export { accountTotals, type Totals } from './stats';
