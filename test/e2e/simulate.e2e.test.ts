import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ACCOUNT_ID } from '../../src/sandbox';
import { blockKitProblems } from '../support/block-kit-rules';
import { Harness } from './harness';

// Rules with actions in every mode; the schedule never comes round during the test, so only the command reads Whop.
const YAML = `timezone: America/New_York
alerts:
  - channel: C0ALERTS
    schedule: "0 0 1 1 *"
    rules:
      anomaly: { action: pause, mode: auto }
      cost_per_result_above: { limit: 20, action: { pause_until: "tomorrow 00:00" }, mode: auto, max_actions_per_day: 2 }
      pacing: { pct_of_daily_budget: 30, before: "15:00", action: { scale_budget: { by_pct: 20 } }, mode: approve }
      no_delivery_hours: { hours: 6, action: pause }
      roas_below: { limit: 1.5, action: pause, mode: auto }
`;

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ yaml: YAML, env: { WHOP_COMPANY_ID: SANDBOX_ACCOUNT_ID } });
});
afterAll(() => h.stop());

const text = (x: unknown) => JSON.stringify(x);

describe('/ads rules simulate', () => {
  it('7 days on the demo account: an ephemeral answer per rule within Slack’s limits, read in one report, nothing changed', async () => {
    const before = h.sandbox.requests.length;
    const sent = await h.command('/ads', 'rules simulate 7', 'U0GUEST');
    expect(JSON.parse(sent.body)).toMatchObject({ response_type: 'ephemeral', text: 'Replaying the alert rules with an action over the last 7 days…' });
    const [answer] = await h.responsesTo(sent.responseUrl, 1, 15_000);
    expect((answer as { response_type?: string }).response_type).toBe('ephemeral');
    expect(blockKitProblems(answer!.blocks!, 'message')).toEqual([]);
    const body = text(answer!.blocks);
    expect(body).toContain('What the rules would have done: last 7 days');
    expect(body).toContain('Hourly checks replayed from Nov 17, 11:00 EST to Nov 24, 10:00 EST');
    for (const rule of ['anomaly', 'cost_per_result_above', 'pacing', 'no_delivery_hours']) expect(body).toContain(`*\`${rule}\`* in <#C0ALERTS>`);
    expect(body).toContain('Not replayed: `roas_below`');
    // The cap of two a day binds on the demo account's many dear ad groups.
    expect(body).toContain('held back by the rule’s max_actions_per_day');
    expect(body).toMatch(/not spent until \w{3}, Nov \d+ 00:00/);
    expect(answer!.text).toMatch(/^Rules simulated over the last 7 days: \d+ actions, \d+ held back\. Nothing was changed\.$/);

    const calls = h.sandbox.requests.slice(before);
    expect(calls.filter((r) => r.method !== 'GET')).toEqual([]);
    const reports = calls.filter((r) => r.path === '/ad_reports');
    // Seven days and the four weeks the anomaly rule compares with: one hourly report, scoped to WHOP_COMPANY_ID.
    expect(reports).toHaveLength(1);
    expect(reports[0]!.query).toMatchObject({ company_id: SANDBOX_ACCOUNT_ID, breakdown: 'ad_group', granularity: 'hourly' });
    for (const list of calls.filter((r) => r.path === '/ad_groups')) expect(list.query.account_id).toBe(SANDBOX_ACCOUNT_ID);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('a wrong number of days answers with the usage and reads nothing', async () => {
    const before = h.sandbox.requests.length;
    const sent = await h.command('/ads', 'rules simulate 90');
    const answer = JSON.parse(sent.body);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('“90” is not a number of days: `/ads rules simulate [days]` takes a number of days from 1 to 28 (default 7)');
    expect(h.sandbox.requests.length).toBe(before);
  });

  it('/ads help names it', async () => {
    const sent = await h.command('/ads', 'help');
    expect(JSON.parse(sent.body).text).toContain('`/ads rules simulate`');
  });
});
