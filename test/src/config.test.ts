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
    expect(config.settings.digests[0]).toEqual({
      account: 'default',
      channel: 'C0123ABCD',
      schedule: '0 9 * * 1-5',
      window: 'yesterday',
      campaigns: [],
      top: 5,
      chart: 'spend_results',
    });
    expect(config.settings.budget).toEqual({ max_amount: 10_000, confirm_change_pct: 50 });
    expect(config.slack.port).toBe(3000);
    expect(config.dbPath).toBe('./data/ads-bot.sqlite');
  });

  it('an alert with none of the calm-alert keys gets their defaults; a wrong quiet_hours is named', () => {
    const alert = parseSettings('alerts:\n  - { channel: C1AB, schedule: "*/15 * * * *", rules: { new_issues: true } }').alerts[0];
    expect(alert).toMatchObject({ resolve_after_checks: 2, resolve_margin_pct: 10, cooldown_hours: 24, max_mentions_per_day: 10 });
    expect(alert?.quiet_hours).toBeUndefined();
    const withQuiet = (span: string) => `alerts:\n  - { channel: C1AB, schedule: "*/15 * * * *", quiet_hours: "${span}", rules: { new_issues: true } }`;
    expect(parseSettings(withQuiet('22:00-08:00')).alerts[0]?.quiet_hours).toBe('22:00-08:00');
    expect(problems(() => parseSettings(withQuiet('22-8')))).toEqual(['ads-bot.yml: alerts[0].quiet_hours: expected a span of the day such as "22:00-08:00"']);
    expect(problems(() => parseSettings(withQuiet('08:00-08:00')))).toEqual(['ads-bot.yml: alerts[0].quiet_hours: expected a span that starts and ends at different times']);
  });

  it('checks the setup every 30 minutes unless told otherwise; a wrong schedule is named', () => {
    expect(parseSettings('').setup_check.schedule).toBe('*/30 * * * *');
    expect(parseSettings('setup_check: { schedule: "0 * * * *" }').setup_check.schedule).toBe('0 * * * *');
    expect(problems(() => parseSettings('setup_check: { schedule: "often" }'))[0]).toMatch(/^ads-bot\.yml: setup_check\.schedule: expected a cron expression/);
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

  it("accepts the example's accounts: and summaries: blocks and its entries' account keys once uncommented", async () => {
    const { readFileSync } = await import('node:fs');
    const uncommented = readFileSync('ads-bot.example.yml', 'utf8')
      .split('\n')
      .map((line) => line.replace(/^# (accounts:|summaries:| {2}[ -] )/, '$1').replace(/^(\s+)# (account: )/, '$1$2'))
      .join('\n');
    const settings = parseSettings(uncommented);
    expect(settings.accounts?.map((a) => a.name)).toEqual(['acme', 'globex']);
    expect([...settings.digests, ...settings.alerts].every((entry) => entry.account === 'acme')).toBe(true);
    expect(settings.summaries.map((s) => s.accounts)).toEqual([['acme', 'globex']]);
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

  it('delivery_status: off unless set, true for all four, a list for some; fatigue with its defaults', () => {
    const rules = (yaml: string) => parseSettings(`alerts:\n  - channel: C0A\n    schedule: "* * * * *"\n    rules: ${yaml}\n`).alerts[0]!.rules;
    expect(rules('{ new_issues: true }')).toMatchObject({ delivery_status: [] });
    expect(rules('{ new_issues: true }').fatigue).toBeUndefined();
    expect(rules('{ delivery_status: true }').delivery_status).toEqual(['payment_failed', 'learning_limited', 'all_ads_rejected', 'ad_groups_off']);
    expect(rules('{ delivery_status: [payment_failed, payment_failed, ad_groups_off] }').delivery_status).toEqual(['payment_failed', 'ad_groups_off']);
    expect(rules('{ fatigue: {} }').fatigue).toEqual({ days: 3, min_impressions: 1000, min_change_pct: 10 });
    expect(rules('{ fatigue: { days: 5, min_impressions: 0 } }').fatigue).toEqual({ days: 5, min_impressions: 0, min_change_pct: 10 });
  });

  it('names bad delivery_status and fatigue values, and does not count delivery_status: false as a rule on', () => {
    const bad = (yaml: string) => problems(() => parseSettings(`alerts:\n  - channel: C0A\n    schedule: "* * * * *"\n    rules: ${yaml}\n`));
    expect(bad('{ new_issues: true, delivery_status: [paused] }')).toEqual([
      'ads-bot.yml: alerts[0].rules.delivery_status: expected true, false or a list of payment_failed, learning_limited, all_ads_rejected, ad_groups_off',
    ]);
    expect(bad('{ new_issues: true, delivery_status: [] }')).toEqual([expect.stringMatching(/alerts\[0\]\.rules\.delivery_status/)]);
    expect(bad('{ new_issues: true, fatigue: { days: 1 } }')).toEqual([expect.stringMatching(/alerts\[0\]\.rules\.fatigue\.days/)]);
    expect(bad('{ delivery_status: false }')).toEqual([expect.stringMatching(/alerts\[0\]\.rules: turn on at least one rule/)]);
  });

  const rules = (yaml: string) => parseSettings(`alerts:\n  - channel: C0A\n    schedule: "* * * * *"\n    rules: ${yaml}\n`).alerts[0]!.rules;

  it('the anomaly rule and the pacing forecast take their stated defaults; pacing as before stays exactly as it was', () => {
    expect(rules('{ anomaly: {} }').anomaly).toEqual({
      metrics: ['spend', 'cost_per_result', 'ctr', 'cpm'],
      weeks: 4,
      sigma: 3,
      min_spend: 10,
      min_impressions: 1000,
      settle_hours: 3,
      window_hours: 6,
      trend_hours: 24,
    });
    expect(rules('{ pacing: { forecast: {} } }').pacing).toEqual({ forecast: { over_pct: 20, under_pct: 50, min_spend: 10, min_day_pct: 15, weeks: 4, settle_hours: 3 } });
    expect(rules('{ pacing: { pct_of_daily_budget: 80, before: "15:00" } }').pacing).toEqual({ pct_of_daily_budget: 80, before: '15:00' });
    expect(rules('{ anomaly: { metrics: [ctr], sigma: 4 }, pacing: { pct_of_daily_budget: 80, before: "15:00", forecast: { over_pct: 30 } } }')).toMatchObject({
      anomaly: { metrics: ['ctr'], sigma: 4 },
      pacing: { pct_of_daily_budget: 80, before: '15:00', forecast: { over_pct: 30, under_pct: 50 } },
    });
  });

  it('names bad anomaly and forecast keys', () => {
    expect(problems(() => rules('{ anomaly: { metrics: [roas], weeks: 2 } }'))).toEqual([
      expect.stringMatching(/alerts\[0\]\.rules\.anomaly\.metrics\[0\]: /),
      expect.stringMatching(/alerts\[0\]\.rules\.anomaly\.weeks: /),
    ]);
    expect(problems(() => rules('{ anomaly: { trend_hours: 96 } }'))).toEqual([expect.stringMatching(/rules\.anomaly\.trend_hours: expected whole hours from 0 to 72/)]);
    expect(problems(() => rules('{ pacing: { pct_of_daily_budget: 80 } }'))).toEqual([expect.stringMatching(/rules\.pacing: pct_of_daily_budget and before go together/)]);
    expect(problems(() => rules('{ pacing: {} }'))).toEqual([expect.stringMatching(/rules\.pacing: set pct_of_daily_budget and before, or forecast/)]);
    expect(problems(() => rules('{ pacing: { forecast: { under_pct: 120 } } }'))).toEqual([expect.stringMatching(/rules\.pacing\.forecast\.under_pct: /)]);
    // A misspelt key would leave its default in force without a word: a sigma of 3 where 2 was meant.
    expect(problems(() => rules('{ anomaly: { sigmaa: 2 } }'))).toEqual([expect.stringMatching(/rules\.anomaly: .*"sigmaa"/)]);
    expect(problems(() => rules('{ anomaly: { window_hours: 2.5 } }'))).toEqual([expect.stringMatching(/rules\.anomaly\.window_hours: expected whole hours from 0 to 12/)]);
    expect(problems(() => rules('{ pacing: { forecast: { over_pc: 5 } } }'))).toEqual([expect.stringMatching(/rules\.pacing\.forecast: .*"over_pc"/)]);
    expect(problems(() => rules('{ fatigue: { dayz: 5 } }'))).toEqual([expect.stringMatching(/rules\.fatigue: .*"dayz"/)]);
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

  const withRules = (rules: string) =>
    `alerts:\n  - channel: C0A\n    schedule: "* * * * *"\n    rules:\n${rules
      .split('\n')
      .map((line) => `      ${line}`)
      .join('\n')}\n`;

  it('reads the bare numbers of metric rules as before, with the default floors and settle_hours', () => {
    const { rules } = parseSettings(withRules('cost_per_result_above: 25\nroas_below: 1.5\nno_delivery_hours: 6')).alerts[0]!;
    expect(rules.cost_per_result_above).toEqual({ limit: 25, min_spend: 10, min_impressions: 1000 });
    expect(rules.roas_below).toEqual({ limit: 1.5, min_spend: 10, min_impressions: 1000, settle_hours: 3 });
    expect(rules.no_delivery_hours).toEqual({ hours: 6, settle_hours: 3 });
  });

  it('reads the object form of metric rules, every key given or left to its default', () => {
    const { rules } = parseSettings(
      withRules(
        'cost_per_result_above: { limit: 25, min_spend: 20, min_impressions: 500 }\nroas_below: { limit: 2, min_spend: 0, min_impressions: 0, settle_hours: 0 }\nno_delivery_hours: { hours: 4, settle_hours: 6 }',
      ),
    ).alerts[0]!;
    expect(rules.cost_per_result_above).toEqual({ limit: 25, min_spend: 20, min_impressions: 500 });
    expect(rules.roas_below).toEqual({ limit: 2, min_spend: 0, min_impressions: 0, settle_hours: 0 });
    expect(rules.no_delivery_hours).toEqual({ hours: 4, settle_hours: 6 });
    expect(parseSettings(withRules('roas_below: { limit: 2 }')).alerts[0]!.rules.roas_below).toEqual({ limit: 2, min_spend: 10, min_impressions: 1000, settle_hours: 3 });
  });

  it('names the key of each bad floor, settle_hours or threshold on its own line', () => {
    const lines = (rules: string) => problems(() => parseSettings(withRules(rules)));
    expect(lines('roas_below: { limit: 1, min_spend: -5, min_impressions: 1.5, settle_hours: 30 }')).toEqual([
      'ads-bot.yml: alerts[0].rules.roas_below.min_spend: expected an amount of 0 or more (0: no spend floor)',
      'ads-bot.yml: alerts[0].rules.roas_below.min_impressions: expected a whole number of impressions',
      'ads-bot.yml: alerts[0].rules.roas_below.settle_hours: expected whole hours from 0 to 24',
    ]);
    expect(lines('cost_per_result_above: { limit: 25, min_impressions: -1 }')).toEqual([
      expect.stringMatching(/^ads-bot\.yml: alerts\[0\]\.rules\.cost_per_result_above\.min_impressions: expected a whole number of impressions, 0 or more/),
    ]);
    expect(lines('roas_below: { min_spend: 5 }')).toEqual(['ads-bot.yml: alerts[0].rules.roas_below.limit: missing (expected number)']);
    expect(lines('cost_per_result_above: -1')).toEqual([expect.stringMatching(/^ads-bot\.yml: alerts\[0\]\.rules\.cost_per_result_above\.limit: /)]);
    expect(lines('no_delivery_hours: { hours: 0 }')).toEqual(['ads-bot.yml: alerts[0].rules.no_delivery_hours.hours: expected whole hours from 1 to 168']);
    expect(lines('cost_per_result_above: "25 dollars"')).toEqual([
      'ads-bot.yml: alerts[0].rules.cost_per_result_above: expected a number or an object such as { limit: 25, min_spend: 10, min_impressions: 1000 }',
    ]);
  });

  it('refuses an exclude pattern that could backtrack for ever on one title, and one that does not compile; keeps ids and plain patterns', () => {
    const lines = (exclude: string) => problems(() => parseSettings(withRules(`cost_per_result_above: { limit: 25, action: pause, mode: auto, exclude: ['${exclude}'] }`)));
    for (const nested of ['/^(\\w+\\s?)*$/', '/(a+)+/i', '/(x*){2,}/']) {
      expect(lines(nested)).toEqual([expect.stringContaining('cost_per_result_above.exclude[0]: expected a title pattern without a repeated group that repeats inside')]);
    }
    expect(lines('/(unclosed/')).toEqual([expect.stringContaining('exclude[0]: expected a title pattern that is a valid regular expression')]);
    expect(lines('Brand')).toEqual([expect.stringContaining('exclude[0]: expected an id such as adgrp_… or a title pattern')]);
    for (const fine of ['/^Brand/i', '/^(Brand|Promo) \\d+/', '/\\(a+\\)+/', 'adgrp_123'])
      expect(() => parseSettings(withRules(`cost_per_result_above: { limit: 25, action: pause, mode: auto, exclude: ['${fine}'] }`))).not.toThrow();
  });

  it('refuses a misspelt key and a key the rule does not take, naming the keys it does', () => {
    const lines = (rules: string) => problems(() => parseSettings(withRules(rules)));
    expect(lines('cost_per_result_above: { limit: 25, min_spent: 20 }')).toEqual([
      'ads-bot.yml: alerts[0].rules.cost_per_result_above: unknown "min_spent": this rule takes limit, min_spend, min_impressions, action, mode, approve_within_hours, revert_after_hours, max_actions_per_day, action_cooldown_hours, exclude',
    ]);
    // Today's cost per result is judged as it stands so far; only rolling windows leave hours out.
    expect(lines('cost_per_result_above: { limit: 25, settle_hours: 3 }')).toEqual([
      'ads-bot.yml: alerts[0].rules.cost_per_result_above: unknown "settle_hours": this rule takes limit, min_spend, min_impressions, action, mode, approve_within_hours, revert_after_hours, max_actions_per_day, action_cooldown_hours, exclude',
    ]);
    // No delivery means no spend and no impressions: floors on them would never let it fire.
    expect(lines('no_delivery_hours: { hours: 6, min_impressions: 100 }')).toEqual([
      'ads-bot.yml: alerts[0].rules.no_delivery_hours: unknown "min_impressions": this rule takes hours, settle_hours, action, mode, approve_within_hours, revert_after_hours, max_actions_per_day, action_cooldown_hours, exclude',
    ]);
  });

  it('the example file states the defaults the parser applies to floors and settle_hours', async () => {
    const { readFileSync } = await import('node:fs');
    const example = readFileSync('ads-bot.example.yml', 'utf8');
    const { rules } = parseSettings(withRules('roas_below: 1')).alerts[0]!;
    expect(example).toContain(`min_spend: ${rules.roas_below!.min_spend}`);
    expect(example).toContain(`min_impressions: ${rules.roas_below!.min_impressions}`);
    expect(example).toContain(`settle_hours: ${rules.roas_below!.settle_hours}`);
  });
});

describe('accounts:', () => {
  const slackEnv = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };
  const keys = { ACME_WHOP_API_KEY: 'acme-key', GLOBEX_WHOP_API_KEY: 'globex-key' };
  const twoAccounts = [
    'accounts:',
    '  - { name: acme, company_id: biz_acme1, api_key_env: ACME_WHOP_API_KEY, operators: [U0ACME], channels: [C0ACMEX] }',
    '  - { name: globex, company_id: biz_globex1, api_key_env: GLOBEX_WHOP_API_KEY }',
  ];
  const yaml = (...lines: string[]) => [...twoAccounts, ...lines].join('\n');

  it('absent: one account named default, from WHOP_API_KEY and WHOP_COMPANY_ID, which every entry belongs to', () => {
    const config = loadConfig({ ...goodEnv, WHOP_COMPANY_ID: 'biz_one' }, files('alerts:\n  - { channel: C0AL, schedule: "*/15 * * * *", rules: { new_issues: true } }\n'));
    expect(config.accounts).toEqual([{ name: 'default', companyId: 'biz_one', apiKey: 'key', operators: [], channels: [] }]);
    expect(config.settings.alerts[0]?.account).toBe('default');
  });

  it('each account reads its key from the variable it names (no WHOP_API_KEY needed); entries carry their account', () => {
    const config = loadConfig(
      { ...slackEnv, ...keys },
      files(yaml('digests:', '  - { account: globex, channel: C0GLOB, schedule: "0 9 * * *" }', '  - { account: acme, channel: C0ACME, schedule: "0 9 * * *" }')),
    );
    expect(config.accounts).toEqual([
      { name: 'acme', companyId: 'biz_acme1', apiKey: 'acme-key', operators: ['U0ACME'], channels: ['C0ACMEX'] },
      { name: 'globex', companyId: 'biz_globex1', apiKey: 'globex-key', operators: [], channels: [] },
    ]);
    expect(config.settings.digests.map((d) => d.account)).toEqual(['globex', 'acme']);
    // The sandbox makes keys of its own: none is read, none is required.
    expect(loadConfig({ ...slackEnv, WHOP_SANDBOX: '1' }, files(yaml())).accounts.map((a) => a.apiKey)).toEqual([undefined, undefined]);
  });

  it("refuses one Whop company under two names: each account's operators would act on the other's ads", () => {
    const text = [
      'accounts:',
      '  - { name: acme, company_id: biz_acme1, api_key_env: ACME_WHOP_API_KEY, operators: [U0ACME] }',
      '  - { name: globex, company_id: biz_acme1, api_key_env: GLOBEX_WHOP_API_KEY, operators: [U0GLOBEX] }',
    ].join('\n');
    expect(problems(() => loadConfig({ ...slackEnv, ACME_WHOP_API_KEY: 'k', GLOBEX_WHOP_API_KEY: 'k' }, files(text)))).toEqual([
      './ads-bot.yml: accounts[1].company_id: biz_acme1 is already account acme: each account needs a Whop company of its own',
    ]);
  });

  it('names each problem on its own line: a missing or unknown account, a duplicate name, a channel of two accounts, an unset key, WHOP_COMPANY_ID', () => {
    const text = [
      'accounts:',
      '  - { name: acme, company_id: biz_acme1, api_key_env: ACME_WHOP_API_KEY, channels: [C0BOTH] }',
      '  - { name: globex, company_id: biz_globex1, api_key_env: GLOBEX_WHOP_API_KEY }',
      '  - { name: acme, company_id: biz_acme2, api_key_env: ACME_WHOP_API_KEY }',
      'digests:',
      '  - { channel: C0NONE, schedule: "0 9 * * *" }',
      '  - { account: initech, channel: C0INIT, schedule: "0 9 * * *" }',
      '  - { account: globex, channel: C0BOTH, schedule: "0 9 * * *" }',
      'alerts:',
      '  - { account: acme, channel: C0GLOB, schedule: "*/15 * * * *", rules: { new_issues: true } }',
      '  - { account: globex, channel: C0GLOB, schedule: "0 * * * *", rules: { new_issues: true } }',
    ].join('\n');
    expect(problems(() => loadConfig({ ...slackEnv, ACME_WHOP_API_KEY: 'k' }, files(text)))).toEqual([
      './ads-bot.yml: accounts[2].name: acme is named twice: each account needs a name of its own',
      './ads-bot.yml: digests[0].account: missing: name one of acme, globex',
      './ads-bot.yml: digests[1].account: unknown account initech: name one of acme, globex',
      './ads-bot.yml: digests[2].channel: C0BOTH already serves account acme (accounts[0].channels[0]): one channel serves one account',
      './ads-bot.yml: alerts[1].channel: C0GLOB already serves account acme (alerts[0].channel): one channel serves one account',
    ]);
    expect(problems(() => loadConfig({ ...slackEnv, ACME_WHOP_API_KEY: '', WHOP_COMPANY_ID: 'biz_x' }, files(yaml())))).toEqual([
      'WHOP_COMPANY_ID: unset it: ./ads-bot.yml has accounts:, and each account names its own company_id',
      "./ads-bot.yml: accounts[0].api_key_env: ACME_WHOP_API_KEY is not set: put account acme's Whop API key in it, or set WHOP_SANDBOX=1",
      "./ads-bot.yml: accounts[1].api_key_env: GLOBEX_WHOP_API_KEY is not set: put account globex's Whop API key in it, or set WHOP_SANDBOX=1",
    ]);
    expect(problems(() => parseSettings('accounts:\n  - { name: Acme!, company_id: acme, api_key_env: "1X" }\n'))).toEqual([
      expect.stringMatching(/^ads-bot\.yml: accounts\[0\]\.name: expected a name of lower-case letters/),
      expect.stringMatching(/^ads-bot\.yml: accounts\[0\]\.company_id: expected a Whop company id/),
      expect.stringMatching(/^ads-bot\.yml: accounts\[0\]\.api_key_env: expected the name of an environment variable/),
    ]);
  });

  it('without accounts:, an entry may name only default', () => {
    expect(problems(() => parseSettings('digests:\n  - { account: acme, channel: C0D, schedule: "0 9 * * *" }\n'))).toEqual([
      'ads-bot.yml: digests[0].account: unknown account acme: name one of default',
    ]);
    expect(parseSettings('digests:\n  - { account: default, channel: C0D, schedule: "0 9 * * *" }\n').digests[0]?.account).toBe('default');
  });
});

describe('summaries in ads-bot.yml', () => {
  const accounts = [
    'accounts:',
    '  - { name: acme, company_id: biz_acme1, api_key_env: ACME_WHOP_API_KEY }',
    '  - { name: beta, company_id: biz_beta1, api_key_env: BETA_WHOP_API_KEY }',
  ].join('\n');

  it('reads an entry with yesterday as its window and every account by default, and names a bad one', () => {
    expect(parseSettings('').summaries).toEqual([]);
    expect(parseSettings('summaries:\n  - { channel: C0SUM, schedule: "0 8 * * 1-5" }').summaries).toEqual([{ channel: 'C0SUM', schedule: '0 8 * * 1-5', window: 'yesterday' }]);
    expect(parseSettings(`${accounts}\nsummaries:\n  - { channel: C0SUM, schedule: "0 8 * * *", window: last_7d, accounts: [acme, " beta "] }`).summaries[0]).toMatchObject({
      window: 'last_7d',
      accounts: ['acme', 'beta'],
    });
    expect(problems(() => parseSettings('summaries:\n  - { channel: general, schedule: "0 8 * * *", window: weekly, accounts: [] }'))).toEqual([
      'ads-bot.yml: summaries[0].channel: expected a Slack channel id such as C0123ABCD',
      expect.stringMatching(/^ads-bot\.yml: summaries\[0\]\.window: .*"yesterday"/),
      'ads-bot.yml: summaries[0].accounts: name at least one account, or leave accounts out for every account',
    ]);
  });

  it('names each unknown account a summary lists on its own line, with its key', () => {
    const text = `${accounts}\ndigests:\n  - { account: acme, channel: C0ACME, schedule: "0 9 * * *" }\nsummaries:\n  - { channel: C0SUM, schedule: "0 8 * * *", accounts: [acme, initech, beta, hooli] }`;
    expect(problems(() => parseSettings(text))).toEqual([
      'ads-bot.yml: summaries[0].accounts[1]: unknown account initech: name one of acme, beta',
      'ads-bot.yml: summaries[0].accounts[3]: unknown account hooli: name one of acme, beta',
    ]);
    expect(parseSettings(text.replace(', initech', '').replace(', hooli', '')).summaries[0]?.accounts).toEqual(['acme', 'beta']);
    expect(problems(() => parseSettings('summaries:\n  - { channel: C0SUM, schedule: "0 8 * * *", accounts: [acme] }'))).toEqual([
      'ads-bot.yml: summaries[0].accounts[0]: unknown account acme: name one of default',
    ]);
  });

  it("refuses a summary of other accounts in one account's channel; of that account alone it may go there", () => {
    const text = (listed: string) =>
      `${accounts}\ndigests:\n  - { account: acme, channel: C0ACME, schedule: "0 9 * * *" }\nsummaries:\n  - { channel: C0ACME, schedule: "0 8 * * *"${listed} }`;
    const refusal =
      "ads-bot.yml: summaries[0].channel: C0ACME serves account acme (digests[0].channel): a summary there would show other accounts' figures; use a channel of its own, or list only acme";
    expect(problems(() => parseSettings(text('')))).toEqual([refusal]);
    expect(problems(() => parseSettings(text(', accounts: [acme, beta]')))).toEqual([refusal]);
    expect(parseSettings(text(', accounts: [acme]')).summaries[0]?.channel).toBe('C0ACME');
  });
});
