import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { auditReply, parseToggleId, updateRow } from '../../blocks/action-result';
import { type DigestView, digestMessages } from '../../blocks/digest';
import { currencyOf } from '../../src/currency';
import { blockKitProblems } from '../support/block-kit-rules';

const NOW = new Date('2026-11-25T15:42:00Z');
const TZ = 'America/New_York';
const zero = { spend: 0, impressions: 0, clicks: 0, purchases: 0, purchaseValueUsd: 0, results: null, ctr: null, cpc: null, cpm: null, roas: null, costPerResult: null };

const digest = (): KnownBlock[] => {
  const view: DigestView = {
    window: { name: 'yesterday', from: new Date('2026-11-24T05:00:00Z'), to: new Date('2026-11-25T05:00:00Z'), timeZone: TZ },
    currency: currencyOf('usd'),
    totals: zero,
    previous: zero,
    topAdGroups: [
      { kind: 'ad_group', id: 'adgrp_1', title: 'Prospecting <US>', status: 'active', campaignTitle: 'BF', spend: 10, results: 1, costPerResult: 10 },
      { kind: 'ad_group', id: 'adgrp_2', title: 'Retargeting', status: 'active', campaignTitle: 'BF', spend: 5, results: 1, costPerResult: 5 },
    ],
    issues: [
      {
        message: 'Ad rejected',
        entities: [
          { kind: 'ad', id: 'ad_1', title: 'Ad one', status: 'active' },
          { kind: 'ad', id: 'ad_2', title: 'Ad two', status: 'active' },
        ],
      },
    ],
    sandbox: false,
  };
  return digestMessages(view, NOW).main.blocks;
};

const json = (blocks: KnownBlock[]) => JSON.stringify(blocks);

describe('updating a row after a click', () => {
  it('shows the new status, who paused it and when, and the undo button; other rows stay as they were', () => {
    const before = digest();
    const after = updateRow(before, {
      entity: { kind: 'ad_group', id: 'adgrp_1', title: 'Prospecting <US>', status: 'paused' },
      done: { verb: 'pause', by: 'U42', at: NOW, timeZone: TZ },
    });
    const changed = after.map((b, i) => (json([b]) === json([before[i]!]) ? null : i)).filter((i) => i !== null);
    expect(changed).toHaveLength(1);
    const row = after[changed[0]!] as { text: { text: string }; accessory: { action_id: string; value: string; text: { text: string } } };
    expect(row.text.text).toContain('*Prospecting &lt;US&gt;* (ad group, :double_vertical_bar: Paused)');
    expect(row.text.text).toContain(':double_vertical_bar: Paused by <@U42> · 10:42');
    expect(row.accessory).toMatchObject({ action_id: 'ad_group.unpause', value: 'adgrp_1', text: { text: 'Unpause' } });
    expect(blockKitProblems(after, 'message')).toEqual([]);
  });

  it('an undo replaces the attribution line instead of stacking another', () => {
    const paused = updateRow(digest(), {
      entity: { kind: 'ad_group', id: 'adgrp_2', title: 'Retargeting', status: 'paused' },
      done: { verb: 'pause', by: 'U1', at: NOW, timeZone: TZ },
    });
    const resumed = updateRow(paused, {
      entity: { kind: 'ad_group', id: 'adgrp_2', title: 'Retargeting', status: 'active' },
      done: { verb: 'unpause', by: 'U2', at: NOW, timeZone: TZ },
    });
    const text = json(resumed);
    expect(text).toContain(':arrow_forward: Unpaused by <@U2> · 10:42');
    expect(text).not.toContain('Paused by <@U1>');
    expect(text).toContain('(ad group, :large_green_circle: Active)');
  });

  it('in a row naming several ads, changes only that ad and keeps the button suffix', () => {
    const after = updateRow(digest(), {
      entity: { kind: 'ad', id: 'ad_2', title: 'Ad two', status: 'paused' },
      done: { verb: 'pause', by: 'U7', at: NOW, timeZone: TZ },
    });
    const text = json(after);
    expect(text).toContain('*Ad one* (ad, :large_green_circle: Active)');
    expect(text).toContain('*Ad two* (ad, :double_vertical_bar: Paused)');
    expect(text).toContain(':double_vertical_bar: *Ad two*: paused by <@U7> · 10:42');
    const actions = after.find((b) => b.type === 'actions') as { elements: { action_id: string; value: string }[] };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      ['ad.pause:0', 'ad_1'],
      ['ad.unpause:1', 'ad_2'],
    ]);
    expect(blockKitProblems(after, 'message')).toEqual([]);
  });

  it('refreshing a row without an actor changes only its status and button', () => {
    const after = updateRow(digest(), { entity: { kind: 'ad_group', id: 'adgrp_1', title: 'Prospecting <US>', status: 'paused' } });
    expect(json(after)).not.toContain(' by <@');
    expect(json(after)).toContain('"action_id":"ad_group.unpause","value":"adgrp_1"');
  });

  it('drops the button of an item Whop has rejected since, and an actions block left empty', () => {
    const rejected = (id: string, title: string) => ({ entity: { kind: 'ad' as const, id, title, status: 'rejected' } });
    const after = updateRow(updateRow(digest(), rejected('ad_1', 'Ad one')), rejected('ad_2', 'Ad two'));
    expect(json(after)).toContain('*Ad two* (ad, :no_entry: Rejected)');
    expect(after.some((b) => b.type === 'actions')).toBe(false);
    expect(blockKitProblems(after, 'message')).toEqual([]);
  });

  it('reads action ids with and without a suffix, and nothing else', () => {
    expect(parseToggleId('ad.pause')).toEqual({ kind: 'ad', verb: 'pause' });
    expect(parseToggleId('ad_group.unpause:3')).toEqual({ kind: 'ad_group', verb: 'unpause', suffix: '3' });
    expect(parseToggleId('ad_campaign.pause')).toBeNull();
    expect(parseToggleId('ad.delete')).toBeNull();
  });

  it('the audit reply names the actor, the item and its id, escaped', () => {
    expect(auditReply({ entity: { kind: 'ad', id: 'ad_9', title: '<!channel>', status: 'paused' }, done: { verb: 'pause', by: 'U1', at: NOW, timeZone: TZ } })).toBe(
      '<@U1> paused ad *&lt;!channel&gt;* (`ad_9`) at 10:42',
    );
  });
});
