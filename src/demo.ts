import { digestMessages } from '../blocks/digest';
import { blocksAsText } from './demo/blocks-as-text';
import { buildDigest } from './digest/build';
import { demoAccount, startSandbox } from './sandbox';
import { createAdsGateway, createWhopClient } from './whop/gateway';

/** `npm run demo`: one digest from the built-in sandbox account, as text and as Block Kit JSON. No credentials. */
const apiKey = 'sandbox_demo';
const sandbox = await startSandbox({ apiKey, account: demoAccount() });
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
  const { main, replies } = digestMessages(view.value, now);
  console.log(blocksAsText(main.blocks));
  for (const reply of replies) console.log(`\n  ↳ in thread:\n${blocksAsText(reply.blocks)}`);
  console.log('\nNotification text:', main.text);
  console.log('\nBlock Kit JSON (paste into https://app.slack.com/block-kit-builder):');
  console.log(JSON.stringify({ blocks: main.blocks }, null, 2));
} finally {
  await sandbox.close();
}
