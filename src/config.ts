import { readFileSync } from 'node:fs';
import { validateDetailed } from 'node-cron';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { floorsShape, settleShape } from './alerts/floors';
import { accountActionsSchema, actionShape, NEEDS_ACTION, needsAction } from './automation/rule-action';
import { ACCOUNT_NAME, ANOMALY_METRICS, DEFAULT_ACCOUNT, DELIVERY_STATUS_ALERTS, DIGEST_CHARTS, ID_PATTERN, WINDOWS } from './model';
import { isTimeZone } from './zoned-time';

/** Thrown when start-up settings are missing or wrong; each problem is one line naming the key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Thrown when start-up cannot go on for a reason outside the settings (Slack out of reach): one line. */
export class StartupError extends Error {
  override name = 'StartupError';
}

const timeZone = z.string().refine(isTimeZone, { message: 'expected an IANA time zone name such as America/New_York' });

const cronExpression = z.string().superRefine((expr, ctx) => {
  const check = validateDetailed(expr);
  if (!check.valid) {
    const why = check.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    ctx.addIssue({ code: 'custom', message: `expected a cron expression like "0 9 * * 1-5" (${why})` });
  }
});

const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0123ABCD');
// W…: a user id on Enterprise Grid.
const operatorId = z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'expected a user id (U… or W…) or a user-group id (S…)');

const accountName = z.string().regex(ACCOUNT_NAME, 'expected a name of lower-case letters, digits, - and _ (at most 32), such as acme');

/** One Whop company the bot serves; its API key stays in the environment, named here. */
const accountSchema = z.strictObject({
  name: accountName,
  company_id: z.string().regex(/^biz_[A-Za-z0-9]+$/, 'expected a Whop company id such as biz_…'),
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable such as ACME_WHOP_API_KEY'),
  // People who may act on this account's ads, on top of access.operators.
  operators: z.array(operatorId).default([]),
  // Channels bound to this account besides its digests' and alerts' channels.
  channels: z.array(channelId).default([]),
});

const digestSchema = z.object({
  // Filled in after parsing (settingsSchema): the only account when there is one.
  account: accountName.optional(),
  channel: channelId,
  schedule: cronExpression,
  window: z.enum(WINDOWS).default('yesterday'),
  campaigns: z.array(z.string().regex(ID_PATTERN.ad_campaign, 'expected a campaign id such as adcamp_…')).default([]),
  top: z.number().int().min(1).max(20).default(5),
  chart: z.enum(DIGEST_CHARTS).default('spend_results'),
});

/**
 * A morning summary across accounts: one line per account over `window`. `accounts`: the names of those it lists,
 * in any order (it sorts them worst first); absent, every account.
 */
const summarySchema = z.object({
  channel: channelId,
  schedule: cronExpression,
  window: z.enum(WINDOWS).default('yesterday'),
  accounts: z.array(z.string().trim().min(1, 'expected an account name')).min(1, 'name at least one account, or leave accounts out for every account').optional(),
});

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day such as "15:00"');
const positiveNumber = z.number().positive();
const quietHours = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected a span of the day such as "22:00-08:00"')
  .refine((span) => span.slice(0, 5) !== span.slice(6), { message: 'expected a span that starts and ends at different times' });

/**
 * A rule written as its bare threshold (`cost_per_result_above: 25`, every other key at its default) or as an
 * object (`{ limit: 25, min_spend: 20 }`). Unknown keys are refused: a misspelt floor must not pass silently.
 */
function thresholdOrObject<Shape extends z.ZodRawShape>(bare: keyof Shape & string, shape: Shape, written: string) {
  return z.preprocess(
    (value) => (typeof value === 'number' ? { [bare]: value } : value),
    z.strictObject(shape, {
      error: (issue) => {
        if (issue.code === 'invalid_type') return `expected a number or an object such as ${written}`;
        if (issue.code === 'unrecognized_keys') return `unknown ${issue.keys.map((k) => `"${k}"`).join(', ')}: this rule takes ${Object.keys(shape).join(', ')}`;
        return undefined;
      },
    }),
  );
}

const percent = z.number().positive().max(1000);
/** Hours of the newest data left out: Whop's hourly numbers still move for a few hours. */
const settleHours = z.number().int().min(0).max(12).default(3);
/** Weeks of the same weekday compared with today; fewer than 3 present and nothing is judged. */
const weeks = z.number().int().min(3).max(12).default(4);

const forecastSchema = z.strictObject({
  over_pct: percent.default(20),
  under_pct: z.number().positive().max(100).default(50),
  min_spend: z.number().nonnegative().default(10),
  min_day_pct: z.number().positive().max(100).default(15),
  weeks,
  settle_hours: settleHours,
});

const pacingSchema = z
  .object({
    pct_of_daily_budget: percent.optional(),
    before: clockTime.optional(),
    forecast: forecastSchema.optional(),
    ...actionShape,
  })
  .refine(needsAction, NEEDS_ACTION)
  .refine((p) => (p.pct_of_daily_budget === undefined) === (p.before === undefined), { message: 'pct_of_daily_budget and before go together' })
  .refine((p) => p.pct_of_daily_budget !== undefined || p.forecast !== undefined, { message: 'set pct_of_daily_budget and before, or forecast' });

const anomalySchema = z
  .strictObject({
    metrics: z
      .array(z.enum(ANOMALY_METRICS))
      .min(1)
      .default([...ANOMALY_METRICS]),
    weeks,
    sigma: z.number().positive().max(100).default(3),
    min_spend: z.number().nonnegative().default(10),
    min_impressions: z.number().int().nonnegative().default(1000),
    settle_hours: settleHours,
    window_hours: z.number().int('expected whole hours from 0 to 12').min(0, 'expected whole hours from 0 to 12').max(12, 'expected whole hours from 0 to 12').default(6),
    trend_hours: z.number().int('expected whole hours from 0 to 72').min(0, 'expected whole hours from 0 to 72').max(72, 'expected whole hours from 0 to 72').default(24),
    ...actionShape,
  })
  .refine(needsAction, NEEDS_ACTION);

const alertRulesSchema = z
  .object({
    new_issues: z.boolean().default(false),
    rejected: z.boolean().default(false),
    pacing: pacingSchema.optional(),
    anomaly: anomalySchema.optional(),
    cost_per_result_above: thresholdOrObject('limit', { limit: positiveNumber, ...floorsShape, ...actionShape }, '{ limit: 25, min_spend: 10, min_impressions: 1000 }')
      .refine(needsAction, NEEDS_ACTION)
      .optional(),
    roas_below: thresholdOrObject('limit', { limit: positiveNumber, ...floorsShape, ...settleShape, ...actionShape }, '{ limit: 1.5, min_spend: 10, settle_hours: 3 }')
      .refine(needsAction, NEEDS_ACTION)
      .optional(),
    no_delivery_hours: thresholdOrObject(
      'hours',
      {
        hours: z.number().int('expected whole hours from 1 to 168').min(1, 'expected whole hours from 1 to 168').max(168, 'expected whole hours from 1 to 168'),
        ...settleShape,
        ...actionShape,
      },
      '{ hours: 6, settle_hours: 3 }',
    )
      .refine(needsAction, NEEDS_ACTION)
      .optional(),
    // `true`: every state Whop reports that an alert watches; a list: those only.
    delivery_status: z
      .union([z.boolean(), z.array(z.enum(DELIVERY_STATUS_ALERTS)).min(1)], { error: () => `expected true, false or a list of ${DELIVERY_STATUS_ALERTS.join(', ')}` })
      .default(false)
      .transform((v) => (v === true ? [...DELIVERY_STATUS_ALERTS] : v === false ? [] : [...new Set(v)])),
    fatigue: z
      .strictObject({
        days: z.number().int().min(2).max(14).default(3),
        min_impressions: z.number().int().min(0).default(1000),
        min_change_pct: z.number().min(0).max(100).default(10),
        ...actionShape,
      })
      .refine(needsAction, NEEDS_ACTION)
      .optional(),
  })
  .refine((rules) => Object.values(rules).some((rule) => (Array.isArray(rule) ? rule.length > 0 : rule !== false && rule !== undefined)), {
    message: 'turn on at least one rule',
  });

const alertSchema = z.object({
  account: accountName.optional(),
  channel: channelId,
  schedule: cronExpression,
  mention: z
    .string()
    .regex(/^<(!subteam\^S[A-Z0-9]+|@[UW][A-Z0-9]+|!here|!channel)>$/, 'expected a mention such as "<!subteam^S0123ABC>" or "<@U0123ABC>"')
    .optional(),
  renotify_hours: z.number().positive().default(24),
  resolve_after_checks: z.number().int().min(1).max(100).default(2),
  resolve_margin_pct: z.number().min(0).max(90).default(10),
  // At most the week a resolved alert's record is kept (src/store/retention.ts): a later return has nothing to reopen.
  cooldown_hours: z.number().min(0).max(168).default(24),
  quiet_hours: quietHours.optional(),
  max_mentions_per_day: z.number().int().min(0).max(1000).default(10),
  // 0: an alert names no changes. At most 30 days: older rows say little about today's numbers.
  changes_hours: z.number().min(0).max(720).default(48),
  rules: alertRulesSchema,
});

const settingsShape = z.object({
  accounts: z.array(accountSchema).min(1).optional(),
  timezone: timeZone.default('UTC'),
  digests: z.array(digestSchema).default([]),
  alerts: z.array(alertSchema).default([]),
  summaries: z.array(summarySchema).default([]),
  access: z.object({ operators: z.array(operatorId).default([]) }).prefault({}),
  actions: accountActionsSchema,
  // How often the bot checks its own setup (channels, operators, Whop) after the check at start.
  setup_check: z.object({ schedule: cronExpression.default('*/30 * * * *') }).prefault({}),
  budget: z
    .object({
      max_amount: z.number().positive().default(10_000),
      confirm_change_pct: z.number().positive().default(50),
    })
    .prefault({}),
});

type RawSettings = z.infer<typeof settingsShape>;

/** Names the account a channel already serves and where ads-bot.yml says so. */
type Binding = { account: string; where: string };

/**
 * What `accounts:` asks of the rest of the file: names once each, each entry's account known (and named when there
 * are several), and each channel serving one account only.
 */
function checkAccounts(raw: RawSettings, ctx: z.RefinementCtx): void {
  const names = raw.accounts?.map((a) => a.name) ?? [DEFAULT_ACCOUNT];
  const choices = [...new Set(names)].join(', ');
  raw.accounts?.forEach((a, i) => {
    if (names.indexOf(a.name) !== i) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'name'], message: `${a.name} is named twice: each account needs a name of its own` });
    // Who may act is per account: one company under two names would let each one's operators act on the other's ads.
    const first = raw.accounts?.find((b) => b.company_id === a.company_id);
    if (first && first !== a)
      ctx.addIssue({
        code: 'custom',
        path: ['accounts', i, 'company_id'],
        message: `${a.company_id} is already account ${first.name}: each account needs a Whop company of its own`,
      });
  });
  const bound = new Map<string, Binding>();
  const bind = (channel: string, account: string, path: (string | number)[]) => {
    const where = keyOf(path);
    const before = bound.get(channel);
    if (!before) return void bound.set(channel, { account, where });
    if (before.account !== account) {
      ctx.addIssue({ code: 'custom', path, message: `${channel} already serves account ${before.account} (${before.where}): one channel serves one account` });
    }
  };
  raw.accounts?.forEach((a, i) => {
    a.channels.forEach((channel, j) => {
      bind(channel, a.name, ['accounts', i, 'channels', j]);
    });
  });
  for (const kind of ['digests', 'alerts'] as const) {
    raw[kind].forEach((entry, i) => {
      const path = [kind, i, 'account'];
      const account = entry.account ?? (names.length === 1 ? names[0] : undefined);
      if (account === undefined) ctx.addIssue({ code: 'custom', path, message: `missing: name one of ${choices}` });
      else if (!names.includes(account)) ctx.addIssue({ code: 'custom', path, message: `unknown account ${account}: name one of ${choices}` });
      else bind(entry.channel, account, [kind, i, 'channel']);
    });
  }
  // A summary channel is bound to no account (it lists several); only the names it lists must be accounts. In one
  // client's channel it may list that client alone: the others' figures are not theirs to see.
  raw.summaries.forEach((summary, i) => {
    summary.accounts?.forEach((name, j) => {
      if (!names.includes(name)) ctx.addIssue({ code: 'custom', path: ['summaries', i, 'accounts', j], message: `unknown account ${name}: name one of ${choices}` });
    });
    const owner = bound.get(summary.channel);
    const listed = summary.accounts ?? names;
    if (owner && names.length > 1 && listed.some((name) => name !== owner.account)) {
      ctx.addIssue({
        code: 'custom',
        path: ['summaries', i, 'channel'],
        message: `${summary.channel} serves account ${owner.account} (${owner.where}): a summary there would show other accounts' figures; use a channel of its own, or list only ${owner.account}`,
      });
    }
  });
}

export const settingsSchema = settingsShape.superRefine(checkAccounts).transform((raw) => {
  const only = raw.accounts?.[0]?.name ?? DEFAULT_ACCOUNT;
  return {
    ...raw,
    digests: raw.digests.map((d) => ({ ...d, account: d.account ?? only })),
    alerts: raw.alerts.map((a) => ({ ...a, account: a.account ?? only })),
  };
});

export type Settings = z.output<typeof settingsSchema>;
export type DigestSettings = Settings['digests'][number];
export type AlertSettings = Settings['alerts'][number];
export type SummarySettings = Settings['summaries'][number];
export type AccountSettings = NonNullable<Settings['accounts']>[number];
export type AlertRules = AlertSettings['rules'];
export type AnomalyRule = NonNullable<AlertRules['anomaly']>;
export type ForecastRule = NonNullable<NonNullable<AlertRules['pacing']>['forecast']>;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string({ message: 'missing: the bot token (xoxb-…) from OAuth & Permissions' }).min(1),
  SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', 'expected an app-level token starting with xapp-')),
  SLACK_SIGNING_SECRET: optional(z.string().min(1)),
  SLACK_API_URL: optional(z.url({ message: 'expected a URL such as https://slack.com/api/' })),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  WHOP_SANDBOX: optional(z.enum(['0', '1', 'true', 'false'])).transform((v) => v === '1' || v === 'true'),
  WHOP_API_KEY: optional(z.string().min(1)),
  WHOP_BASE_URL: optional(z.url({ message: 'expected a URL such as https://api.whop.com/api/v1' })),
  WHOP_COMPANY_ID: optional(z.string().min(1)),
  ADS_BOT_CONFIG: z.string().default('./ads-bot.yml'),
  ADS_BOT_DB: z.string().default('./data/ads-bot.sqlite'),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'expected a PostgreSQL URL such as postgres://user@host:5432/ads_bot')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const present = (value: string | undefined) => value !== undefined && value !== '';

const sandboxOn = (env: NodeJS.ProcessEnv) => ['1', 'true'].includes(env.WHOP_SANDBOX ?? '');

/** Whether the YAML text has `accounts:` at its top (read apart from parsing, so a file with errors still tells). */
function declaresAccounts(text: string | undefined): boolean {
  try {
    const raw: unknown = text === undefined ? undefined : parseYaml(text);
    return typeof raw === 'object' && raw !== null && 'accounts' in raw;
  } catch {
    return false;
  }
}

// Checked on the raw environment so they are reported together with every other problem.
function missingAlternatives(env: NodeJS.ProcessEnv, withAccounts: boolean): string[] {
  const problems: string[] = [];
  if (!present(env.SLACK_APP_TOKEN) && !present(env.SLACK_SIGNING_SECRET)) {
    problems.push('SLACK_SIGNING_SECRET: missing: set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP, from Basic Information)');
  }
  // With accounts: each account's key is in the variable it names (accountKeyProblems).
  if (!withAccounts && !present(env.WHOP_API_KEY) && !sandboxOn(env)) {
    problems.push('WHOP_API_KEY: missing: set your Whop API key, or WHOP_SANDBOX=1 to try the bot on simulated ads');
  }
  return problems;
}

/** Each account's key variable set (unless in the sandbox), and WHOP_COMPANY_ID not competing with the accounts' own ids. */
function accountKeyProblems(env: NodeJS.ProcessEnv, accounts: readonly AccountSettings[], source: string): string[] {
  const problems: string[] = [];
  if (present(env.WHOP_COMPANY_ID)) {
    problems.push(`WHOP_COMPANY_ID: unset it: ${source} has accounts:, and each account names its own company_id`);
  }
  if (sandboxOn(env)) return problems;
  accounts.forEach((a, i) => {
    if (!present(env[a.api_key_env])) {
      problems.push(`${source}: accounts[${i}].api_key_env: ${a.api_key_env} is not set: put account ${a.name}'s Whop API key in it, or set WHOP_SANDBOX=1`);
    }
  });
  return problems;
}

/** One Whop company the bot serves: from `accounts:`, or the one of WHOP_API_KEY and WHOP_COMPANY_ID, named `default`. */
export interface AccountConfig {
  name: string;
  /** Scopes lists and reports to the company and refuses ids of others (AccountScope); unset only for `default`. */
  companyId?: string;
  /** Undefined in the sandbox, which makes a key of its own for each account. */
  apiKey?: string;
  /** May act on this account's ads, on top of access.operators. */
  operators: string[];
  /** Bound to this account besides its digests' and alerts' channels. */
  channels: string[];
}

export interface Config {
  slack: {
    botToken: string;
    appToken?: string;
    signingSecret?: string;
    apiUrl?: string;
    port: number;
  };
  whop: { sandbox: boolean; baseURL?: string };
  /** At least one; the order of ads-bot.yml. */
  accounts: AccountConfig[];
  dbPath: string;
  /** Set: state lives in PostgreSQL and several replicas can share it. */
  databaseUrl?: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  settings: Settings;
}

const keyOf = (path: PropertyKey[]) => path.reduce<string>((key, part) => (typeof part === 'number' ? `${key}[${part}]` : key ? `${key}.${String(part)}` : String(part)), '');

const describe = (issues: z.core.$ZodIssue[]) => issues.map((issue) => `${keyOf(issue.path) || '(top level)'}: ${issue.message}`);

// zod's default for an absent key is "expected string, received undefined"; people need to hear "missing".
const parseOptions = {
  error: (issue: z.core.$ZodRawIssue) => (issue.code === 'invalid_type' && issue.input === undefined ? `missing (expected ${issue.expected})` : undefined),
};

/** Parses ads-bot.yml text; throws ConfigError naming each bad key. */
export function parseSettings(yamlText: string, source = 'ads-bot.yml'): Settings {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText) ?? {};
  } catch (err) {
    throw new ConfigError([`${source}: not valid YAML (${(err as Error).message.split('\n')[0]})`]);
  }
  const parsed = settingsSchema.safeParse(raw, parseOptions);
  if (!parsed.success) throw new ConfigError(describe(parsed.error.issues).map((line) => `${source}: ${line}`));
  return parsed.data;
}

type ReadFile = (path: string) => string;
const readText: ReadFile = (path) => readFileSync(path, 'utf8');

/** The accounts the bot serves; without `accounts:`, today's one from WHOP_API_KEY and WHOP_COMPANY_ID, named `default`. */
function accountsOf(settings: Settings, env: NodeJS.ProcessEnv, e: z.infer<typeof envSchema>): AccountConfig[] {
  const key = (value: string | undefined) => (e.WHOP_SANDBOX || !present(value) ? undefined : value);
  if (!settings.accounts) return [{ name: DEFAULT_ACCOUNT, companyId: e.WHOP_COMPANY_ID, apiKey: key(e.WHOP_API_KEY), operators: [], channels: [] }];
  return settings.accounts.map((a) => ({ name: a.name, companyId: a.company_id, apiKey: key(env[a.api_key_env]), operators: a.operators, channels: a.channels }));
}

/** The one place that reads the environment: env variables plus the YAML file they point at. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, readFile: ReadFile = readText): Config {
  const problems: string[] = [];
  const parsedEnv = envSchema.safeParse(env, parseOptions);
  if (!parsedEnv.success) problems.push(...describe(parsedEnv.error.issues));

  const configPath = parsedEnv.success ? parsedEnv.data.ADS_BOT_CONFIG : (env.ADS_BOT_CONFIG ?? './ads-bot.yml');
  let settings: Settings | undefined;
  let text: string | undefined;
  let unreadable: string | undefined;
  try {
    text = readFile(configPath);
  } catch {
    unreadable = `ADS_BOT_CONFIG: cannot read ${configPath} (copy ads-bot.example.yml to ${configPath} and edit it)`;
  }
  problems.push(...missingAlternatives(env, declaresAccounts(text)));
  if (unreadable) problems.push(unreadable);
  if (text !== undefined) {
    try {
      settings = parseSettings(text, configPath);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (settings?.accounts) problems.push(...accountKeyProblems(env, settings.accounts, configPath));

  if (problems.length > 0 || !parsedEnv.success || !settings) throw new ConfigError(problems);
  const e = parsedEnv.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT,
    },
    whop: { sandbox: e.WHOP_SANDBOX, baseURL: e.WHOP_BASE_URL },
    accounts: accountsOf(settings, env, e),
    dbPath: e.ADS_BOT_DB,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    settings,
  };
}
