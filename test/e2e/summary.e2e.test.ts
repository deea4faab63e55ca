import { afterEach, describe, expect, it } from 'vitest';
import { blockKitProblems } from '../support/block-kit-rules';
import { Harness } from './harness';

const YAML = [
  'timezone: America/New_York',
  'digests:',
  '  - { channel: C0DIGEST, schedule: "* * * * * *", chart: "off" }',
  'summaries:',
  '  - { channel: C0SUMMARY, schedule: "* * * * * *" }',
  '  - { channel: C0SECRET, schedule: "0 8 * * *" }',
].join('\n');

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('scheduled summary, end to end', () => {
  it('the running bot posts the summary of its account, linking to the digest its schedule posted', async () => {
    harness = await Harness.start({ yaml: YAML, env: { WHOP_COMPANY_ID: 'biz_SandboxAccount1' } });
    // A summary that fires before the first digest is kept names the digest channel; a later one links the message.
    const summary = await harness.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === 'C0SUMMARY' && JSON.stringify(c.args.blocks).includes('|biz_SandboxAccount1>*'),
      8_000,
    );
    const blocks = summary.args.blocks as unknown[];
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    const text = JSON.stringify(blocks);
    const linked = /https:\/\/[a-z0-9-]+\.slack\.com\/archives\/C0DIGEST\/p(\d+)\|/.exec(text)?.[1];
    const digests = harness.slack.messages('C0DIGEST').filter((m) => !m.thread_ts);
    expect(digests.map((m) => m.ts.replace('.', ''))).toContain(linked);
    expect(text).toMatch(/Spend \$[\d,]+\.\d\d/);
    expect(text).toMatch(/\d+ open issues/);
  });

  it('the setup check names a summary channel the bot is not in', async () => {
    harness = await Harness.start({ yaml: YAML, channels: { privateChannels: ['C0SECRET'], notMemberOf: ['C0SECRET'] } });
    const warning = 'Channel C0SECRET (summary) was not found';
    // The setup check at start has run by now (Harness.start waits for it).
    expect(harness.logs.filter((line) => line.includes(warning) && line.includes('"level":40'))).toHaveLength(1);
  });
});
