import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { KeyedLock } from '../keyed-lock';

/**
 * Updates posted messages one change at a time. Two clicks on different rows of one message each
 * carry the message as it was when clicked; applying both to the latest version keeps both changes.
 */
export class MessageUpdates {
  private readonly lock = new KeyedLock();
  /** The version this process last wrote, kept only while more updates of that message are queued. */
  private readonly latest = new Map<string, KnownBlock[]>();
  private readonly queued = new Map<string, number>();

  constructor(private readonly client: WebClient) {}

  update(
    message: { channel: string; ts: string; text: string; blocks: KnownBlock[] },
    change: (blocks: KnownBlock[]) => KnownBlock[],
  ): Promise<void> {
    const key = `${message.channel}:${message.ts}`;
    this.queued.set(key, (this.queued.get(key) ?? 0) + 1);
    return this.lock
      .run(key, async () => {
        const blocks = change(this.latest.get(key) ?? message.blocks);
        await this.client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, blocks });
        this.latest.set(key, blocks);
      })
      .finally(() => {
        // Once nothing is queued, the next click carries the message as Slack has it, edits from elsewhere included.
        const left = (this.queued.get(key) ?? 1) - 1;
        if (left > 0) return void this.queued.set(key, left);
        this.queued.delete(key);
        this.latest.delete(key);
      });
  }

  idle(): Promise<void> {
    return this.lock.idle();
  }
}
