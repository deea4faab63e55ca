import { App } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Config } from './config';
import { type Logger, boltLogger } from './logger';

export interface AppDeps {
  log: Logger;
  /** Extra WebClient settings, e.g. no retries in tests. */
  clientOptions?: WebClientOptions;
}

/** The Bolt app, on Socket Mode when an app token is set, else on HTTP at /slack/events with /healthz. */
export function buildApp(config: Config, deps: AppDeps): App {
  const { slack } = config;
  const clientOptions: WebClientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    ...deps.clientOptions,
  };
  const common = { token: slack.botToken, logger: boltLogger(deps.log), clientOptions };
  if (slack.appToken) return new App({ ...common, socketMode: true, appToken: slack.appToken });
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
