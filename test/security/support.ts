// Small helpers shared by the hostile-input, secrets and fault tests (test/security, test/faults).
import type { AdGroupRecord, AdRecord } from '../../src/sandbox';
import type { AuditEntry } from '../../src/store/types';
import type { Harness } from '../e2e/harness';

export const CHANNEL = 'C0DIGEST';

/** Settings with one digest that never fires by itself (1 January, midnight). */
export const digestYaml = (extra = '') => ['timezone: America/New_York', 'digests:', `  - channel: ${CHANNEL}`, '    schedule: "0 0 1 1 *"', extra].join('\n');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The text of one message the fake Slack holds, blocks included. */
export const messageJson = (h: Harness, ts: string, channel = CHANNEL) => JSON.stringify(h.slack.messages(channel).find((m) => m.ts === ts));

/** An active ad group that has a button in the digest message. */
export function activeGroupIn(h: Harness, ts: string, channel = CHANNEL): AdGroupRecord {
  const shown = messageJson(h, ts, channel);
  const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && shown.includes(`"${g.id}"`));
  if (!group) throw new Error('no active ad group with a button in the digest');
  return group;
}

export function activeAdIn(h: Harness, ts: string, channel = CHANNEL): AdRecord {
  const shown = messageJson(h, ts, channel);
  const ad = h.sandbox.account.ads.find((a) => a.status === 'active' && shown.includes(`"${a.id}"`));
  if (!ad) throw new Error('no active ad with a button in the digest');
  return ad;
}

/** Every request to Whop that could change something (anything but GET). */
export const whopWrites = (h: Harness) => h.sandbox.requests.filter((r) => r.method !== 'GET');

/** Every Slack Web API call that posts or changes something people see. */
export const slackWrites = (h: Harness) => h.slack.calls.filter((c) => /^(chat\.(postMessage|update|postEphemeral|delete)|views\.(open|update|push))$/.test(c.method));

/** The audit rows for an item, read from the state file as a restarted bot would. */
export const auditFor = (h: Harness, id: string): Promise<AuditEntry[]> => h.auditFor(id);

export async function waitForAudit(h: Harness, id: string, count = 1, timeoutMs = 5_000): Promise<AuditEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await auditFor(h, id);
    if (rows.length >= count) return rows;
    if (Date.now() > deadline) throw new Error(`${count} audit row(s) for ${id} not found within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** What the person who typed or clicked was told: respond() answers and ephemeral messages. */
export const answersTo = (h: Harness, url?: string) => h.slack.responses.filter((r) => url === undefined || r.url === url).map((r) => JSON.stringify(r.body));
