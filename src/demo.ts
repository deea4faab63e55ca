import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trendAltText, trendChartSvg, trendSparkline } from '../blocks/chart';
import { digestMessages } from '../blocks/digest';
import { createChartRenderer } from './charts/renderer';
import { blocksAsText } from './demo/blocks-as-text';
import { buildDigest } from './digest/build';
import { trendDays } from './digest/trend';
import { demoAccount, startSandbox } from './sandbox';
import { createAdsGateway, createWhopClient } from './whop/gateway';

/**
 * `npm run demo`: one digest from the built-in sandbox account, as text and as Block Kit JSON, and its trend chart
 * written to a PNG file (in Slack it is uploaded and shown as an image block). No credentials.
 */
const apiKey = 'sandbox_demo';
const sandbox = await startSandbox({ apiKey, account: demoAccount() });
const charts = createChartRenderer();
try {
  const gateway = createAdsGateway(createWhopClient({ apiKey, baseURL: sandbox.url }));
  const now = new Date();
  const view = await buildDigest(gateway, {
    digest: { window: 'yesterday', campaigns: [], top: 5 },
    timeZone: 'America/New_York',
    now,
    sandbox: true,
  });
  if (!view.ok) throw new Error(view.error.message);
  const days = await trendDays(gateway, { window: 'yesterday', campaigns: [], metric: 'spend_results', timeZone: 'America/New_York', now });
  if (!days.ok) throw new Error(days.error.message);
  const chart = { metric: 'spend_results', days: days.value, currency: view.value.currency, timeZone: 'America/New_York' } as const;
  const file = join(tmpdir(), 'ads-digest-chart.png');
  writeFileSync(file, await charts.render(trendChartSvg(chart)));
  const { main, replies } = digestMessages(view.value, now, { kind: 'sparkline', line: trendSparkline(chart) });
  console.log(blocksAsText(main.blocks));
  for (const reply of replies) console.log(`\n  ↳ in thread:\n${blocksAsText(reply.blocks)}`);
  console.log('\nNotification text:', main.text);
  console.log('\nBlock Kit JSON (paste into https://app.slack.com/block-kit-builder):');
  console.log(JSON.stringify({ blocks: main.blocks }, null, 2));
  console.log(`\nDigest chart (PNG, shown in Slack as an image block): ${file}`);
  console.log(`Its alt text: ${trendAltText(chart)}`);
} finally {
  await charts.close();
  await sandbox.close();
}
