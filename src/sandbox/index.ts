export {
  type AdGroupRecord,
  type AdRecord,
  accountIdOf,
  addIncident,
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
export { CONSUMER_DAY, type HourShape, type Incident, type IncidentKind } from './hourly';
export { INCIDENT_KINDS, type IncidentAccountOptions, incidentAccount } from './incidents';
export {
  AUDIENCE_TOO_NARROW,
  CAMPAIGN_FLAGGED,
  type DemoOptions,
  demoAccount,
  demoHourShape,
  LANDING_PAGE_DOWN,
  PAYMENT_FAILED,
  PERSONAL_ATTRIBUTES_REJECTION,
  SANDBOX_ACCOUNT_ID,
  type ScaledOptions,
  scaledAccount,
  TARGETING_REJECTED,
  UNSUPPORTED_PROMISE,
} from './seed';
export { type RecordedRequest, type SandboxKey, type SandboxOptions, type SandboxServer, startSandbox } from './server';
export { accountTotals, type Totals } from './stats';
