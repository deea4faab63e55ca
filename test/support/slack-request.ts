// Requests as Slack sends them to the app: signed bodies, slash commands, and the
// interactivity payloads (block_actions, view_submission) with the fields Bolt reads.
import { createHmac } from 'node:crypto';
import { APP_ID, BOT, TEAM, VERIFICATION_TOKEN } from './test-workspace';

export interface SlackHeaders {
  'Content-Type': string;
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

/**
 * Slack's signing: `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`).
 * Commands and interactivity are forms, events are JSON; Bolt parses a form only when
 * Content-Type is exactly `application/x-www-form-urlencoded`.
 */
export function signSlackRequest(secret: string, rawBody: string, timestampSec = Math.floor(Date.now() / 1000)): SlackHeaders {
  const signature = createHmac('sha256', secret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return {
    'Content-Type': rawBody.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestampSec),
    'X-Slack-Signature': `v0=${signature}`,
  };
}

export interface SlashCommandFields {
  command: string;
  /** Required so a test never lets Bolt's respond() reach the real Slack: use `fake.responseUrl()`. */
  response_url: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  trigger_id?: string;
  [field: string]: string | undefined;
}

export function slashCommandBody(fields: SlashCommandFields): string {
  const userId = fields.user_id ?? 'U0ALICE';
  const defaults = {
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: 'C0ADS',
    channel_name: 'ads',
    user_id: userId,
    user_name: userName(userId),
    text: '',
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    trigger_id: newTriggerId(),
  };
  const all = { ...defaults, ...fields };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(all)) if (value !== undefined) form.append(key, value);
  return form.toString();
}

/** The form body Slack sends for any interactivity payload. */
export function blockActionsBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * The workspace a request comes from; default the test workspace. Slack sends the team the request came from
 * (`team`), the organisation on Enterprise Grid (`enterprise`, `team.enterprise_id`) and the person's own team
 * (`user.team_id`: the organisation's E… id on Enterprise Grid, another organisation's in a Slack Connect channel).
 */
export interface RequestOrigin {
  teamId?: string;
  enterprise?: { id: string; name: string };
  userTeamId?: string;
}

function originFields(user: string, from: RequestOrigin = {}) {
  const teamId = from.teamId ?? TEAM.id;
  const { enterprise } = from;
  return {
    team: { id: teamId, domain: TEAM.domain, ...(enterprise && { enterprise_id: enterprise.id, enterprise_name: enterprise.name }) },
    enterprise: enterprise ?? null,
    user: { ...slackUser(user), team_id: from.userTeamId ?? enterprise?.id ?? teamId },
  };
}

export interface ClickedMessage {
  ts: string;
  /** Set on a thread reply: the parent's ts, which Slack sends in the payload's message and container. */
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
}

export interface BlockActionInput {
  user: string;
  channel: string;
  /** The message holding the button, e.g. one of `fake.messages()`. */
  message: ClickedMessage;
  /** Which element was clicked; block_id, value and text default to the element's own in `message.blocks`. */
  action: { action_id: string; block_id?: string; value?: string; text?: string };
  /** Required so a test never lets Bolt's respond() reach the real Slack: use `fake.responseUrl()`. */
  response_url: string;
  trigger_id?: string;
  from?: RequestOrigin;
}

export function blockActionPayload(input: BlockActionInput): Record<string, unknown> {
  const { user, channel, message, action } = input;
  const found = findElement(message.blocks ?? [], action.action_id);
  if (!found && (action.block_id === undefined || action.value === undefined)) {
    throw new Error(`no element with action_id ${action.action_id} in the message; pass block_id and value`);
  }
  const buttonText = found && isObject(found.element.text) ? found.element.text : undefined;
  const thread = message.thread_ts ? { thread_ts: message.thread_ts } : {};
  const origin = originFields(user, input.from);
  return {
    type: 'block_actions',
    user: origin.user,
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false, ...thread },
    trigger_id: input.trigger_id ?? newTriggerId(),
    team: origin.team,
    enterprise: origin.enterprise,
    is_enterprise_install: false,
    channel: { id: channel, name: channelName(channel) },
    message: {
      type: 'message',
      user: BOT.userId,
      bot_id: BOT.botId,
      app_id: APP_ID,
      team: TEAM.id,
      ts: message.ts,
      ...thread,
      text: message.text ?? '',
      blocks: message.blocks ?? [],
    },
    state: { values: {} },
    response_url: input.response_url,
    actions: [
      {
        action_id: action.action_id,
        block_id: action.block_id ?? found?.blockId,
        value: action.value ?? found?.element.value,
        type: found?.element.type ?? 'button',
        action_ts: actionTs(),
        text: action.text !== undefined ? { type: 'plain_text', text: action.text, emoji: true } : buttonText,
      },
    ],
  };
}

export interface SubmittedView {
  /** The id Slack gave the view, e.g. from `fake.views()`. */
  id: string;
  callback_id?: string;
  private_metadata?: string;
  title?: unknown;
  blocks?: unknown[];
  hash?: string;
}

export interface ViewSubmissionInput {
  user: string;
  view: SubmittedView;
  /** `state.values` as Slack sends it: block_id → action_id → { type, value | selected_option… }. */
  values: Record<string, Record<string, Record<string, unknown>>>;
  trigger_id?: string;
  from?: RequestOrigin;
}

export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const { view } = input;
  const origin = originFields(input.user, input.from);
  return {
    type: 'view_submission',
    team: origin.team,
    user: origin.user,
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.trigger_id ?? newTriggerId(),
    view: {
      id: view.id,
      team_id: TEAM.id,
      type: 'modal',
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: input.values },
      hash: view.hash ?? '1732540000.0',
      title: view.title ?? { type: 'plain_text', text: 'Modal' },
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: view.id,
      previous_view_id: null,
      app_id: APP_ID,
      external_id: '',
      app_installed_team_id: TEAM.id,
      bot_id: BOT.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: origin.enterprise,
  };
}

export interface PostOptions {
  timestamp?: number;
  /** Replaces the computed signature, to test that Bolt refuses it. */
  signature?: string;
  /** Marks the request as Slack's n-th retry, as Slack does after a slow or failed answer. */
  retryNum?: number;
  headers?: Record<string, string>;
}

export async function postToSlackEvents(url: string, secret: string, rawBody: string, opts: PostOptions = {}): Promise<{ status: number; body: string; ms: number }> {
  const headers: Record<string, string> = { ...signSlackRequest(secret, rawBody, opts.timestamp) };
  if (opts.signature !== undefined) headers['X-Slack-Signature'] = opts.signature;
  if (opts.retryNum !== undefined) {
    headers['X-Slack-Retry-Num'] = String(opts.retryNum);
    headers['X-Slack-Retry-Reason'] = 'http_timeout';
  }
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { ...headers, ...opts.headers }, body: rawBody });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - started };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function findElement(blocks: unknown[], actionId: string): { blockId: string | undefined; element: Record<string, unknown> } | undefined {
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const candidates = [block.accessory, block.element, ...(Array.isArray(block.elements) ? block.elements : [])];
    const element = candidates.find((e): e is Record<string, unknown> => isObject(e) && e.action_id === actionId);
    if (element) return { blockId: typeof block.block_id === 'string' ? block.block_id : undefined, element };
  }
  return undefined;
}

function slackUser(id: string): Record<string, string> {
  return { id, username: userName(id), name: userName(id), team_id: TEAM.id };
}

const userName = (id: string): string => `user.${id.toLowerCase()}`;
const channelName = (id: string): string => (id.startsWith('D') ? 'directmessage' : `channel-${id.toLowerCase()}`);

let sequence = 0;

// Well-formed like Slack's (`398738663015.47445629121.803a0bc8…`) so the fake accepts it once.
function newTriggerId(): string {
  return `${Date.now()}.${++sequence}.${sequence.toString(16).padStart(32, '0')}`;
}

function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

let eventSequence = 0;

/**
 * An Events API delivery as Slack sends it: the `event_callback` envelope, JSON. The same `event_id` again is what
 * Slack sends when it redelivers the event (with X-Slack-Retry-Num).
 */
export function eventCallbackBody(event: Record<string, unknown>, eventId = `Ev${String(++eventSequence).padStart(8, '0')}`): string {
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    api_app_id: APP_ID,
    event: { event_ts: actionTs(), ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: BOT.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${eventId}`,
  });
}

export interface ViewActionInput {
  user: string;
  /** The Home tab or modal holding the button, as the fake Slack stores it. */
  view: { id: string; hash: string; type: 'home' | 'modal'; blocks: unknown[]; callback_id?: string; private_metadata?: string };
  /** `value` defaults to the button's own. */
  action: { action_id: string; value?: string; block_id?: string };
  from?: RequestOrigin;
}

/** A click on a button of a view (the Home tab, a modal): Slack sends the view, and no channel, message or response_url. */
export function viewActionPayload(input: ViewActionInput): Record<string, unknown> {
  const origin = originFields(input.user, input.from);
  const found = findElement(input.view.blocks, input.action.action_id);
  return {
    type: 'block_actions',
    user: origin.user,
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: { type: 'view', view_id: input.view.id },
    trigger_id: newTriggerId(),
    team: origin.team,
    enterprise: origin.enterprise,
    is_enterprise_install: false,
    view: {
      id: input.view.id,
      team_id: TEAM.id,
      type: input.view.type,
      blocks: input.view.blocks,
      private_metadata: input.view.private_metadata ?? '',
      callback_id: input.view.callback_id ?? '',
      state: { values: {} },
      hash: input.view.hash,
      app_id: APP_ID,
      bot_id: BOT.botId,
    },
    actions: [
      {
        action_id: input.action.action_id,
        block_id: input.action.block_id ?? found?.blockId ?? 'home',
        value: input.action.value ?? found?.element.value,
        type: 'button',
        action_ts: actionTs(),
      },
    ],
  };
}
