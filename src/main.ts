import { startBot } from './bot';
import { ConfigError, loadConfig, StartupError } from './config';
import { createLogger } from './logger';

/** A settings problem, or Slack out of reach, is the operator's to fix: one line each and exit code 2, no stack trace. */
async function orExit<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`whop-ads-bot cannot start: ${err.message}\n`);
      process.exit(2);
    }
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`whop-ads-bot cannot start; fix these settings:\n${err.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(2);
  }
}

const config = await orExit(() => loadConfig());
const log = createLogger(config.logLevel);
const bot = await orExit(() => startBot(config, { log }));

// A library failing outside any handler must not take the bot down with it: log it and carry on.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    bot.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  });
}
