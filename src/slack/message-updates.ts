import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { KeyedLock } from '../keyed-lock';

const REMEMBERED_MESSAGES = 500;

/**
 * Updates posted messages one change at a time. Two clicks on different rows of one message each
 * carry the message as it was when clicked; applying both to the latest version keeps both changes.
 */
export class MessageUpdates {
  private readonly lock = new KeyedLock();
  private readonly latest = new Map<string, KnownBlock[]>();

  constructor(private readonly client: WebClient) {}

  update(
    message: { channel: string; ts: string; text: string; blocks: KnownBlock[] },
    change: (blocks: KnownBlock[]) => KnownBlock[],
  ): Promise<void> {
    const key = `${message.channel}:${message.ts}`;
    return this.lock.run(key, async () => {
      const blocks = change(this.latest.get(key) ?? message.blocks);
      await this.client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, blocks });
      this.latest.delete(key);
      this.latest.set(key, blocks);
      if (this.latest.size > REMEMBERED_MESSAGES) this.latest.delete(this.latest.keys().next().value!);
    });
  }

  idle(): Promise<void> {
    return this.lock.idle();
  }
}
