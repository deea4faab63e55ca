import type { Requester } from '../slack/authz';

/**
 * One request that may change ads, as Slack sent it: who sent it (read from the request itself, never
 * from a button value or form metadata), the key under which it is handled once, and where it came from.
 */
export interface ActionRequest {
  who: Requester;
  /** The same for Slack's retries and replays of this request, different for every new click or submission. */
  key: string;
  channel: string | null;
  messageTs: string | null;
}
