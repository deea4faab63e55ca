import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { somethingBroke } from '../../blocks/notices';
import { type Logger, thrownError } from '../logger';
import { sandboxText } from './sandbox-replies';

/** What a failed request was and who sent it, read from whichever payload shape Slack used. */
interface Request {
  kind: string;
  user?: string;
  channel?: string;
  responseUrl?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined);

function requestOf(body: unknown): Request {
  const command = text(field(body, 'command'));
  const action = field(field(body, 'actions'), '0');
  const responseUrls = field(body, 'response_urls');
  return {
    kind: command ?? text(field(action, 'action_id')) ?? text(field(field(body, 'view'), 'callback_id')) ?? text(field(body, 'type')) ?? 'unknown',
    user: text(field(field(body, 'user'), 'id')) ?? text(field(body, 'user_id')),
    channel: text(field(field(body, 'channel'), 'id')) ?? text(field(body, 'channel_id')),
    responseUrl: text(field(body, 'response_url')) ?? text(field(field(responseUrls, '0'), 'response_url')),
  };
}

const ANSWER_TIMEOUT_MS = 3_000;

/** Tells the person, ephemerally: on the request's response_url, else beside the channel, else in a DM. */
async function answer(client: WebClient, request: Request, message: string): Promise<void> {
  if (request.responseUrl) {
    const sent = await fetch(request.responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: message }),
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    }).then(
      (res) => res.ok,
      () => false,
    );
    if (sent) return;
  }
  if (!request.user) return;
  if (request.channel) await client.chat.postEphemeral({ channel: request.channel, user: request.user, text: message });
  else await client.chat.postMessage({ channel: request.user, text: message });
}

/**
 * The last stop for anything a listener throws (a bug, the store or a library failing): the log gets the
 * error with its stack, the person gets plain words instead of silence. Needs `extendedErrorHandler`.
 */
export function answerListenerErrors(app: App, log: Logger, sandbox: boolean): void {
  app.error(async ({ error, body }: { error: Error; body: unknown }) => {
    const request = requestOf(body);
    log.error({ err: thrownError(error), request: request.kind, user: request.user, channel: request.channel }, 'a Slack listener failed');
    try {
      await answer(app.client, request, sandboxText(sandbox, somethingBroke()));
    } catch (err) {
      log.warn({ err, request: request.kind, user: request.user }, 'could not tell the person a listener failed');
    }
  });
}
