import type { Settings } from '../config';
import type { Store } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import type { SummaryAccount } from './account';

export interface StoreAccountDeps {
  name: string;
  gateway: AdsGateway;
  /** The account's own digests and alert checks: their channels are where its digests and alerts are. */
  settings: Pick<Settings, 'digests' | 'alerts'>;
  store: { alerts: Pick<Store['alerts'], 'open'>; digests: Pick<Store['digests'], 'latest'> };
}

const unique = (values: readonly string[]) => [...new Set(values)];

/** An account as the summary reads it from the bot's own state: open alerts of its alert channels, its newest digest. */
export function storeAccount(deps: StoreAccountDeps): SummaryAccount {
  const alertChannels = unique(deps.settings.alerts.map((a) => a.channel));
  const digestChannels = unique(deps.settings.digests.map((d) => d.channel));
  return {
    name: deps.name,
    gateway: deps.gateway,
    openAlerts: async () => (await Promise.all(alertChannels.map((channel) => deps.store.alerts.open(channel)))).reduce((n, open) => n + open.length, 0),
    latestDigest: () => deps.store.digests.latest(digestChannels),
    digestChannel: digestChannels[0] ?? null,
  };
}
