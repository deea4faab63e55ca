import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Locks, MessageStore } from '../store/types';

/**
 * How far this host's clock may lag Slack's before a click's copy is wrongly taken for newer than the
 * stored one. Within this margin the stored copy wins: a row update is never lost, at the cost of an edit
 * made elsewhere in the same few seconds.
 */
const CLOCK_MARGIN_MS = 5_000;

/** A message as a click showed it: Slack's copy, and when Slack took it (the action's `action_ts`). */
export interface ShownMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: KnownBlock[];
  seenAt: Date;
}

/** When Slack took the copy of the message a click carries; an unreadable time makes the stored copy win. */
export const seenAt = (action: { action_ts?: string }): Date => new Date(Number(action.action_ts) * 1000);

/**
 * Updates posted messages one change at a time, across every replica sharing the store. Two clicks on
 * different rows each carry the message as it was when clicked; each change is applied to the newest
 * version, which is the stored copy when the bot wrote it after (or just before) Slack showed the click's
 * copy, and otherwise the click's copy, edits from elsewhere included.
 */
export class MessageUpdates {
  constructor(
    private readonly client: WebClient,
    private readonly store: { messages: MessageStore; messageLocks: Locks },
    /** The real clock, whatever the app's `now()`: written times are compared with Slack's action_ts. */
    private readonly clock: () => number = Date.now,
  ) {}

  update(message: ShownMessage, change: (blocks: KnownBlock[]) => KnownBlock[]): Promise<void> {
    // Held for one read, one chat.update (which the app's WebClient gives up on after about 10 s) and one write.
    return this.store.messageLocks.run(`message:${message.channel}:${message.ts}`, async () => {
      const stored = await this.store.messages.get(message.channel, message.ts);
      // Written as `!(older)` so that an unreadable seenAt (NaN) keeps the stored copy.
      const storedIsNewer = stored !== undefined && !(stored.writtenAt.getTime() < message.seenAt.getTime() - CLOCK_MARGIN_MS);
      const blocks = change(storedIsNewer ? stored.blocks : message.blocks);
      await this.client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, blocks });
      await this.store.messages.save(message.channel, message.ts, { blocks, writtenAt: new Date(this.clock()) });
    });
  }

  /** Keeps the copy of a message the bot just posted, so the first update of one of its rows starts from all of it. */
  posted(channel: string, ts: string, blocks: KnownBlock[]): Promise<void> {
    return this.store.messages.save(channel, ts, { blocks, writtenAt: new Date(this.clock()) });
  }

  idle(): Promise<void> {
    return this.store.messageLocks.idle();
  }
}
