import { type Logger as BoltLogger, LogLevel } from '@slack/web-api';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Every key under which a secret could travel; pino replaces the value before it is written. */
export const REDACTED_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'apiKey',
  'authorization',
  'Authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.apiKey',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'config.slack',
  'config.accounts[*].apiKey',
];

const CENSOR = '[redacted]';

/**
 * Secrets inside text, where key-based redaction cannot see them: a token in an error message, a
 * header or a payload that a library logged as a JSON string. Applied to every finished line.
 */
const SECRET_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, CENSOR], // Slack bot, user and refresh tokens
  [/\bxapp-[A-Za-z0-9-]+/g, CENSOR], // Slack app-level tokens (Socket Mode)
  [/\b(Bearer|Basic)\s+[^\s"\\]+/gi, `$1 ${CENSOR}`],
  // "token":"…" inside a JSON string (e.g. a Slack payload a library logged whole), escaped or not.
  [/(\\?"(?:token|access_token|bot_token|app_token|api_key|apiKey|signing_secret|signingSecret|client_secret)\\?"\s*:\s*\\?")[^"\\]*/g, `$1${CENSOR}`],
];

const SECRETS = Symbol('whop-ads-bot.secrets');
type WithSecrets = Logger & { [SECRETS]?: Set<string> };

/** Values shorter than this are not treated as secrets: scrubbing them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

function scrub(line: string, secrets: ReadonlySet<string>): string {
  let out = line;
  for (const secret of secrets) {
    if (!out.includes(secret)) continue;
    out = out.split(secret).join(CENSOR);
  }
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return out;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const secrets = new Set<string>();
  const log = pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      base: { app: 'whop-ads-bot' },
      hooks: { streamWrite: (line) => scrub(line, secrets) },
    },
    destination,
  ) as WithSecrets;
  log[SECRETS] = secrets;
  return log;
}

/**
 * The configured secret values (tokens, signing secret, API key): from now on they are replaced in
 * every line this logger and its children write, whatever shape they travel in.
 */
export function redactValues(log: Logger, values: ReadonlyArray<string | null | undefined>): void {
  const secrets = (log as WithSecrets)[SECRETS];
  if (!secrets) return;
  for (const value of values) {
    if (!value || value.length < MIN_SECRET_LENGTH) continue;
    secrets.add(value);
    // The same value as it appears inside a JSON string (quotes and backslashes escaped).
    const inJson = JSON.stringify(value).slice(1, -1);
    if (inJson !== value) secrets.add(inJson);
  }
}

/**
 * Writes a line another thread's logger finished (made by createLogger at the same level, its secrets redacted there)
 * to this logger's destination, as it is: the bot's lines leave by one stream, whichever thread wrote them.
 */
export function writeFinishedLine(log: Logger, line: string): void {
  (log as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]?.write(line);
}

const BOLT_LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
};

/** Bolt wraps what a listener threw in its own error and keeps the thrown one as `original`. */
export const thrownError = (error: Error): Error => {
  const original = (error as { original?: unknown }).original;
  return original instanceof Error ? original : error;
};

/**
 * Bolt and the Slack clients log through our pino, so their lines are JSON and pass the same redaction.
 * An Error among the parts goes under `err` with its message and stack (JSON.stringify makes it `{}`).
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      const error = parts.find((p): p is Error => p instanceof Error);
      if (!error) return child[level](text(parts));
      const rest = parts.filter((p) => p !== error);
      child[level]({ err: thrownError(error) }, rest.length > 0 ? text(rest) : error.message);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => {},
    getLevel: () => BOLT_LEVELS[child.level] ?? LogLevel.ERROR,
    setName: () => {},
  };
}
