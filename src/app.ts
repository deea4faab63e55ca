import { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { type Config, ConfigError } from './config';
import { type Logger, boltLogger } from './logger';

export interface AppDeps {
  log: Logger;
  /** Extra WebClient settings, e.g. no retries in tests. */
  clientOptions?: WebClientOptions;
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
  const clientOptions: WebClientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    ...deps.clientOptions,
  };
  const identity = await botIdentity(slack.botToken, clientOptions);
  const common = {
    token: slack.botToken,
    ...identity,
    tokenVerificationEnabled: false,
    logger: boltLogger(deps.log),
    clientOptions,
  };
  if (slack.appToken) {
    // The Socket Mode client opens its connection with its own WebClient: it needs the same API URL.
    return new App({ ...common, socketMode: true, appToken: slack.appToken, installerOptions: { clientOptions } });
  }
  return new App({
    ...common,
    signingSecret: slack.signingSecret!,
    endpoints: '/slack/events',
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ ok: true }));
        },
      },
    ],
  });
}
