/**
 * The work a handler does after its ack (Whop calls, message updates) waits for one of a fixed number
 * of slots. Waiting work is not runnable, so under a flood it cannot crowd out the acks of requests
 * still arriving, which Slack needs within 3 seconds; the work itself still all gets done, in order.
 */
export class PostAckSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  private readonly running = new Set<Promise<void>>();

  constructor(slots: number) {
    this.free = slots;
  }

  private acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }

  /** Wraps a Bolt listener: its `ack` answers Slack at once, then holds the listener until a slot is free. */
  wrap<A extends { ack: (...args: never[]) => Promise<void> }>(listener: (args: A) => Promise<void>): (args: A) => Promise<void> {
    return (args) => {
      const run = this.run(listener, args);
      this.running.add(run);
      return run.finally(() => this.running.delete(run));
    };
  }

  /** Resolves when every listener started so far, waiting or working, has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled(this.running);
  }

  private async run<A extends { ack: (...args: never[]) => Promise<void> }>(listener: (args: A) => Promise<void>, args: A): Promise<void> {
    let held = false;
    const ack = (async (...ackArgs: Parameters<A['ack']>) => {
      await args.ack(...ackArgs);
      await this.acquire();
      held = true;
    }) as A['ack'];
    try {
      await listener({ ...args, ack });
    } finally {
      if (held) this.release();
    }
  }
}
