import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSettings } from '../../src/config';

const goodEnv = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', WHOP_API_KEY: 'key' };
const files = (text: string) => (path: string) => {
  if (path !== './ads-bot.yml') throw new Error('ENOENT');
  return text;
};

const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('reads the documented example and applies defaults', () => {
    const config = loadConfig(goodEnv, files('digests:\n  - channel: C0123ABCD\n    schedule: "0 9 * * 1-5"\n'));
    expect(config.settings.timezone).toBe('UTC');
    expect(config.settings.digests[0]).toEqual({ channel: 'C0123ABCD', schedule: '0 9 * * 1-5', window: 'yesterday', campaigns: [], top: 5 });
    expect(config.settings.budget).toEqual({ max_amount: 10_000, confirm_change_pct: 50 });
    expect(config.slack.port).toBe(3000);
    expect(config.dbPath).toBe('./data/ads-bot.sqlite');
  });

  it('accepts a schedule with a seconds field', () => {
    expect(parseSettings('digests:\n  - { channel: C1AB, schedule: "*/5 * * * * *" }').digests[0]?.schedule).toBe('*/5 * * * * *');
  });

  it('accepts Enterprise Grid user ids (W…) as operators next to U… users and S… groups, and names a wrong one', () => {
    expect(parseSettings('access:\n  operators: [W0123ABC, U0123ABC, S0123ABC]\n').access.operators).toEqual(['W0123ABC', 'U0123ABC', 'S0123ABC']);
    expect(problems(() => parseSettings('access:\n  operators: [maria]\n'))).toEqual(['ads-bot.yml: access.operators[0]: expected a user id (U… or W…) or a user-group id (S…)']);
  });

  it('names every missing setting on its own line', () => {
    expect(problems(() => loadConfig({}, files('')))).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: missing/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET: missing: set SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/),
      expect.stringMatching(/^WHOP_API_KEY: missing: .*WHOP_SANDBOX=1/),
    ]);
  });

  it('names each bad key in ads-bot.yml with what is expected', () => {
    const yaml = ['timezone: Mars/Olympus', 'digests:', '  - channel: general', '    schedule: "61 * * * *"', '    window: last_week', 'budget: { max_amount: -5 }'].join('\n');
    expect(problems(() => loadConfig(goodEnv, files(yaml)))).toEqual([
      './ads-bot.yml: timezone: expected an IANA time zone name such as America/New_York',
      './ads-bot.yml: digests[0].channel: expected a Slack channel id such as C0123ABCD',
      expect.stringMatching(/^\.\/ads-bot\.yml: digests\[0\]\.schedule: expected a cron expression/),
      expect.stringMatching(/^\.\/ads-bot\.yml: digests\[0\]\.window: .*"yesterday"/),
      expect.stringMatching(/^\.\/ads-bot\.yml: budget\.max_amount: /),
    ]);
  });

  it('says when the config file is missing or not YAML', () => {
    expect(problems(() => loadConfig({ ...goodEnv, ADS_BOT_CONFIG: './nope.yml' }, files('')))).toEqual([
      'ADS_BOT_CONFIG: cannot read ./nope.yml (copy ads-bot.example.yml to ./nope.yml and edit it)',
    ]);
    expect(problems(() => loadConfig(goodEnv, files('digests: [')))[0]).toMatch(/^\.\/ads-bot\.yml: not valid YAML/);
  });

  it('chooses Socket Mode with an app token and sandbox Whop without a key', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', WHOP_SANDBOX: '1' }, files(''));
    expect(config.slack.appToken).toBe('xapp-1');
    expect(config.whop.sandbox).toBe(true);
  });

  it('accepts the committed example file', async () => {
    const { readFileSync } = await import('node:fs');
    expect(() => parseSettings(readFileSync('ads-bot.example.yml', 'utf8'))).not.toThrow();
  });
});

describe('alert settings', () => {
  it('reads the documented alert block', () => {
    const settings = parseSettings(
      'alerts:\n  - channel: C0ALERTS\n    schedule: "*/15 * * * *"\n    mention: "<!subteam^S0123ABC>"\n    rules:\n      new_issues: true\n      pacing: { pct_of_daily_budget: 80, before: "15:00" }\n',
    );
    expect(settings.alerts[0]).toMatchObject({
      renotify_hours: 24,
      changes_hours: 48,
      rules: { new_issues: true, rejected: false, pacing: { pct_of_daily_budget: 80, before: '15:00' } },
    });
  });

  it('changes_hours: 0 names no changes; a negative or month-long one is named as wrong', () => {
    const alert = (hours: string) => `alerts:\n  - channel: C0A\n    schedule: "* * * * *"\n    changes_hours: ${hours}\n    rules: { rejected: true }\n`;
    expect(parseSettings(alert('0')).alerts[0]!.changes_hours).toBe(0);
    expect(problems(() => parseSettings(alert('-1')))).toEqual([expect.stringMatching(/alerts\[0\]\.changes_hours:/)]);
    expect(problems(() => parseSettings(alert('1000')))).toEqual([expect.stringMatching(/alerts\[0\]\.changes_hours:/)]);
  });

  it('names bad alert keys', () => {
    expect(
      problems(() =>
        parseSettings('alerts:\n  - channel: C0A\n    schedule: "* * * * *"\n    mention: "@here"\n    rules: { pacing: { pct_of_daily_budget: 80, before: "3pm" } }\n'),
      ),
    ).toEqual([expect.stringMatching(/alerts\[0\]\.mention: expected a mention/), expect.stringMatching(/alerts\[0\]\.rules\.pacing\.before: expected a time of day/)]);
    expect(problems(() => parseSettings('alerts:\n  - channel: C0A\n    schedule: "* * * * *"\n    rules: {}\n'))).toEqual([
      expect.stringMatching(/alerts\[0\]\.rules: turn on at least one rule/),
    ]);
  });
});
