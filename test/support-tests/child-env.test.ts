import { afterEach, describe, expect, it, vi } from 'vitest';
import { childEnv } from '../support/child-env';

afterEach(() => vi.unstubAllEnvs());

describe('childEnv', () => {
  it('passes PATH and the faked clock (LD_PRELOAD, FAKETIME*) through, nothing else, and lets the given values win', () => {
    // CI runs this under faketime itself, which sets FAKETIME_SHARED and more: start from none of them.
    for (const key of Object.keys(process.env)) if (key.startsWith('FAKETIME')) vi.stubEnv(key, undefined);
    vi.stubEnv('LD_PRELOAD', '/usr/lib/faketime/libfaketime.so.1');
    vi.stubEnv('FAKETIME', '+8895407s');
    vi.stubEnv('FAKETIME_DONT_RESET', '1');
    vi.stubEnv('SLACK_BOT_TOKEN', 'xoxb-developer');
    const env = childEnv({ SLACK_BOT_TOKEN: 'xoxb-child', PORT: '0' });
    expect(env).toEqual({
      PATH: process.env.PATH,
      LD_PRELOAD: '/usr/lib/faketime/libfaketime.so.1',
      FAKETIME: '+8895407s',
      FAKETIME_DONT_RESET: '1',
      SLACK_BOT_TOKEN: 'xoxb-child',
      PORT: '0',
    });
  });
});
