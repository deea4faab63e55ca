import { describe, expect, it } from 'vitest';
import type { AccountContext } from '../../src/accounts/context';
import { accountRegistry } from '../../src/accounts/registry';
import { commandAccount } from '../../src/accounts/resolve';

/** Just what resolving reads: a name and the channels bound to it. */
const account = (name: string, channels: string[]) => ({ name, channels: new Set(channels) }) as unknown as AccountContext;

describe('which account a command is for', () => {
  const acme = account('acme', ['C0ACME']);
  const globex = account('globex', ['C0GLOBEX']);
  const two = accountRegistry([acme, globex]);

  it("in a bound channel, its account, named or not; naming another is refused with the channel's account", () => {
    expect(commandAccount(two, 'C0ACME', null)).toEqual({ ok: true, account: acme });
    expect(commandAccount(two, 'C0ACME', 'acme')).toEqual({ ok: true, account: acme });
    expect(commandAccount(two, 'C0ACME', 'globex')).toEqual({ ok: false, text: expect.stringMatching(/^This channel belongs to acme/) });
  });

  it('elsewhere, the account named; missing or unknown, the choices', () => {
    expect(commandAccount(two, 'C0OTHER', 'globex')).toEqual({ ok: true, account: globex });
    expect(commandAccount(two, 'C0OTHER', null)).toEqual({ ok: false, text: 'Which account? Add `account:acme` or `account:globex` to the command. Nothing was changed.' });
    expect(commandAccount(two, 'C0OTHER', '<!channel>')).toEqual({ ok: false, text: expect.stringMatching(/^There is no account &lt;!channel&gt;\. Which account\?/) });
  });

  it('with one account, that one anywhere', () => {
    const one = accountRegistry([acme]);
    expect(commandAccount(one, 'C0OTHER', null)).toEqual({ ok: true, account: acme });
    expect(commandAccount(one, 'C0OTHER', 'acme')).toEqual({ ok: true, account: acme });
  });

  it('with one account, naming another is told there is only one, without the name it is kept under', () => {
    const one = accountRegistry([account('default', [])]);
    for (const channel of ['C0OTHER', 'C0ACME']) {
      expect(commandAccount(one, channel, 'globex')).toEqual({ ok: false, text: 'This bot serves one Whop account: leave out `account:`. Nothing was changed.' });
    }
  });
});
