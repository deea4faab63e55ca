import type { WebClientOptions } from '@slack/web-api';
import type { Config } from './config';
import { boltLogger, type Logger } from './logger';

/**
 * For the calls a click or a command waits on: each request gives up after 3 s and is tried twice more,
 * about 10 s in all, instead of @slack/web-api's default ten retries over about 30 minutes.
 */
const INTERACTIVE_CLIENT: Pick<WebClientOptions, 'timeout' | 'retryConfig'> = {
  timeout: 3_000,
  retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 1_000, randomize: false },
};

/**
 * For scheduled digests and alert checks, which nobody is waiting on: a Slack blip of a minute must not
 * lose a daily digest, so the tries go on for about a minute and a half (0.5 s doubling to 30 s, 8 tries).
 */
const SCHEDULED_CLIENT: Pick<WebClientOptions, 'timeout' | 'retryConfig'> = {
  timeout: 10_000,
  retryConfig: { retries: 8, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: false },
};

/** Every value in the config that must never reach a log line: the Slack tokens and secret, each Whop key. */
export const configSecrets = (config: Config): Array<string | undefined> => [
  config.slack.botToken,
  config.slack.appToken,
  config.slack.signingSecret,
  ...config.accounts.map((a) => a.apiKey),
];

/**
 * The Web API clients' settings, the same in every thread: `interactive` for what a person waits on (Bolt's own
 * client), `scheduled` for digests and alert checks. Every client logs through our pino: JSON lines, redacted.
 */
export function slackClientOptions(config: Config, log: Logger, extra?: WebClientOptions) {
  const logger = boltLogger(log);
  const connection: WebClientOptions = { ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}), logger };
  return {
    logger,
    connection,
    interactive: { ...connection, ...INTERACTIVE_CLIENT, ...extra } satisfies WebClientOptions,
    scheduled: { ...connection, ...SCHEDULED_CLIENT, ...extra } satisfies WebClientOptions,
  };
}
