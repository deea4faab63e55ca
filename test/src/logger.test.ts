import { Writable } from 'node:stream';
import { asCodedError } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { boltLogger, createLogger } from '../../src/logger';

function capture() {
  const lines: Array<Record<string, unknown> & { err?: { message?: string; stack?: string } }> = [];
  const sink = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: createLogger('debug', sink), lines };
}

describe('boltLogger', () => {
  it('logs an error Bolt hands it (wrapped as Bolt wraps a listener’s) with the thrown message and stack, not as {}', () => {
    const { log, lines } = capture();
    boltLogger(log).error(asCodedError(new Error('database is locked')));
    boltLogger(log).warn('Slack API error: channel_not_found', new Error('An API error occurred: channel_not_found'));
    expect(lines[0]).toMatchObject({ level: 50, component: 'bolt', msg: 'database is locked', err: { type: 'Error', message: 'database is locked' } });
    expect(lines[0]!.err!.stack).toMatch(/\n\s+at /);
    expect(lines[1]).toMatchObject({ level: 40, msg: 'Slack API error: channel_not_found', err: { message: 'An API error occurred: channel_not_found' } });
  });

  it('joins plain parts into one message', () => {
    const { log, lines } = capture();
    boltLogger(log).info('http request failed', 'fetch failed');
    expect(lines).toMatchObject([{ level: 30, msg: 'http request failed fetch failed' }]);
  });
});
