// The action pipeline an alert check gets outside the bot (tests' harness, bench): only its rule path runs, as no
// person's click goes through it; a click would be refused.
import { type ActionPipeline, createPipeline } from '../../src/actions/pipeline';
import { createLogger } from '../../src/logger';
import { DEFAULT_ACCOUNT } from '../../src/model';
import type { Store } from '../../src/store/types';

export const ruleOnlyPipeline = (store: Store, now: () => Date): ActionPipeline =>
  createPipeline({
    authz: { check: async () => ({ ok: false, reason: 'not_operator' }), operatorsMention: () => '' },
    clicks: store.clicks,
    locks: store.locks,
    audit: store.forAccount(DEFAULT_ACCOUNT).audit,
    now,
    log: createLogger('silent'),
  });
