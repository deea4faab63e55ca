import { App, HTTPReceiver } from '@slack/bolt';
import { WebAPIHTTPError, WebAPIRequestError, WebClient, type WebClientOptions } from '@slack/web-api';
import { type Config, ConfigError, StartupError } from './config';
import { type Logger, redactValues } from './logger';
import { EVENTS_PATH, guardEventRequests } from './receiver/signed-requests';
import type { SlackHome } from './slack/authz';
import { configSecrets, slackClientOptions } from './slack-clients';

export interface AppDeps {
  log: Logger;
  /** Extra WebClient settings, e.g. no retries in tests. */
  clientOptions?: WebClientOptions;
  /** For /healthz: which store and whether it answers. */
  database: () => Promise<{ kind: string; ok: boolean }>;
}

const SLACK_API_URL = 'https://slack.com/api/';

/** Why no answer came, in the words an admin searches for: the system error code where there is one. */
function networkReason(err: WebAPIRequestError): string {
  const cause = (err.original as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (err.original.name === 'TimeoutError') return 'no answer in time';
  return typeof cause?.message === 'string' ? cause.message : err.original.message;
}

/**
 * Asks Slack who the bot is once, at start: a bad token stops start-up with a clear line instead of
 * failing on the first click, and Bolt then needs no auth.test of its own. Slack out of reach (a
 * firewall, a wrong SLACK_API_URL) stops it too, after the client's few quick tries.
 */
async function botIdentity(token: string, clientOptions: WebClientOptions): Promise<{ botId: string; botUserId: string; home: SlackHome; workspaceUrl: string | null }> {
  try {
    const answer = await new WebClient(token, clientOptions).auth.test();
    // A bot token always belongs to one workspace; Slack adds enterprise_id only on Enterprise Grid.
    // biome-ignore lint/style/noNonNullAssertion: auth.test answers team_id for every valid token, and an invalid one throws
    const home = { teamId: answer.team_id!, enterpriseId: answer.enterprise_id || null };
    // biome-ignore lint/style/noNonNullAssertion: for the bot token SLACK_BOT_TOKEN asks for (xoxb-), auth.test answers bot_id and user_id
    return { botId: answer.bot_id!, botUserId: answer.user_id!, home, workspaceUrl: answer.url ?? null };
  } catch (err) {
    const url = clientOptions.slackApiUrl ?? SLACK_API_URL;
    if (err instanceof WebAPIRequestError) {
      throw new StartupError(`cannot reach Slack at ${url} (${networkReason(err)}); check the network, firewall or proxy, and SLACK_API_URL`);
    }
    if (err instanceof WebAPIHTTPError) {
      throw new StartupError(`Slack at ${url} answered HTTP ${err.statusCode} ${err.statusMessage}; try again in a minute, or check SLACK_API_URL`);
    }
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    throw new ConfigError([`SLACK_BOT_TOKEN: Slack did not accept it (${code}); copy the Bot User OAuth Token again`]);
  }
}

/**
 * The Bolt app, on Socket Mode when an app token is set, else on HTTP at /slack/events with /healthz; and the
 * workspace it is installed in, which decides who may act.
 */
export async function buildApp(config: Config, deps: AppDeps): Promise<{ app: App; home: SlackHome; workspaceUrl: string | null }> {
  const { slack } = config;
  // Whatever shape they travel in (error text, a library's debug line), these never reach the logs.
  redactValues(deps.log, configSecrets(config));
  const { logger, connection, interactive: clientOptions } = slackClientOptions(config, deps.log, deps.clientOptions);
  const { home, workspaceUrl, ...identity } = await botIdentity(slack.botToken, clientOptions);
  const common = {
    token: slack.botToken,
    ...identity,
    tokenVerificationEnabled: false,
    // The bot keeps no conversation state; Bolt's default store costs an Error and its stack per request.
    convoStore: false as const,
    logger,
    clientOptions,
    // The error handler (src/slack/listener-error.ts) needs the request, to answer the person.
    extendedErrorHandler: true,
  };
  if (slack.appToken) {
    // The Socket Mode client opens its connection with its own WebClient: same API URL and logger, but
    // its own patient retries for reconnecting, not the short ones a click needs.
    const app = new App({ ...common, socketMode: true, appToken: slack.appToken, installerOptions: { clientOptions: { ...connection, ...deps.clientOptions } } });
    return { app, home, workspaceUrl };
  }
  // biome-ignore lint/style/noNonNullAssertion: the config refuses to start without SLACK_APP_TOKEN or SLACK_SIGNING_SECRET, and Socket Mode returned above
  const signingSecret = slack.signingSecret!;
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: EVENTS_PATH,
    logger: common.logger,
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        // 200 once listening; 503 when the state store cannot be reached, so a balancer drains this replica.
        handler: (_req, res) => {
          deps.database().then(
            (db) => {
              res.writeHead(db.ok ? 200 : 503, { 'Content-Type': 'application/json' });
              res.end(JSON.stringify({ ok: db.ok, database: db.ok ? db.kind : 'unreachable' }));
            },
            () => {
              res.writeHead(503, { 'Content-Type': 'application/json' });
              res.end(JSON.stringify({ ok: false, database: 'unreachable' }));
            },
          );
        },
      },
    ],
  });
  guardEventRequests(receiver, signingSecret, deps.log);
  return { app: new App({ ...common, receiver }), home, workspaceUrl };
}
