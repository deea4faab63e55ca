// WebClient and Bolt log every refused call and rate limit; in tests that is noise,
// so this logger keeps the lines for assertions instead of printing them.
import { format } from 'node:util';
import { type Logger, LogLevel } from '@slack/web-api';

export type SilentLogger = Logger & { lines: Array<{ level: LogLevel; text: string }> };

export function silentLogger(): SilentLogger {
  let level = LogLevel.DEBUG;
  const lines: SilentLogger['lines'] = [];
  const keep =
    (at: LogLevel) =>
    (...msg: unknown[]): void => {
      lines.push({ level: at, text: format(...msg) });
    };
  return {
    lines,
    debug: keep(LogLevel.DEBUG),
    info: keep(LogLevel.INFO),
    warn: keep(LogLevel.WARN),
    error: keep(LogLevel.ERROR),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
