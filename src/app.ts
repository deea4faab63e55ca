import { App, HTTPReceiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { type Config, ConfigError } from './config';
import { type Logger, boltLogger, redactValues } from './logger';
import { EVENTS_PATH, guardEventRequests } from './receiver/signed-requests';

export interface AppDeps {
  log: Logger;
  /** Extra WebClient settings, e.g. no retries in tests. */
  clientOptions?: WebClientOptions;
  /** For /healthz: which store and whether it answers. */
  database: () => Promise<{ kind: string; ok: boolean }>;
}

/**
 * Asks Slack who the bot is once, at start: a bad token stops start-up with a clear line instead of
 * failing on the first click, and Bolt then needs no auth.test of its own.
 */
async function botIdentity(token: string, clientOptions: WebClientOptions): Promise<{ botId: string; botUserId: string }> {
  try {
    const answer = await new WebClient(token, clientOptions).auth.test();
    return { botId: answer.bot_id!, botUserId: answer.user_id! };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    throw new ConfigError([`SLACK_BOT_TOKEN: Slack did not accept it (${code}); copy the Bot User OAuth Token again`]);
  }
}

/** The Bolt app, on Socket Mode when an app token is set, else on HTTP at /slack/events with /healthz. */
export async function buildApp(config: Config, deps: AppDeps): Promise<App> {
  const { slack } = config;
  // Whatever shape they travel in (error text, a library's debug line), these never reach the logs.
  redactValues(deps.log, [slack.botToken, slack.appToken, slack.signingSecret, config.whop.apiKey]);
  const clientOptions: WebClientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    ...deps.clientOptions,
  };
  const identity = await botIdentity(slack.botToken, clientOptions);
  const common = {
    token: slack.botToken,
    ...identity,
    tokenVerificationEnabled: false,
    // The bot keeps no conversation state; Bolt's default store costs an Error and its stack per request.
    convoStore: false as const,
    logger: boltLogger(deps.log),
    clientOptions,
  };
  if (slack.appToken) {
    // The Socket Mode client opens its connection with its own WebClient: it needs the same API URL.
    return new App({ ...common, socketMode: true, appToken: slack.appToken, installerOptions: { clientOptions } });
  }
  const receiver = new HTTPReceiver({
    signingSecret: slack.signingSecret!,
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
  guardEventRequests(receiver, slack.signingSecret!, deps.log);
  return new App({ ...common, receiver });
}
