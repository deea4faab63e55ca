// Idempotency-Key (server.ts passes POST requests only): the first request with a key is applied and its answer
// kept; repeats get that answer back.
// A repeat that arrives while the first is still running waits for it instead of applying a second time.

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export type Claim =
  | { kind: 'replay'; answer: StoredAnswer }
  /** The key was first used for a different request. */
  | { kind: 'mismatch' }
  /** This request holds the key: settle with its answer, or with null if it was not applied, to free the key. */
  | { kind: 'owner'; settle(answer: StoredAnswer | null): void };

interface Entry {
  request: string;
  outcome: Promise<StoredAnswer | null>;
}

export class IdempotencyStore {
  readonly #entries = new Map<string, Entry>();

  /** `request` identifies what the key was used for (method, path, body). */
  async claim(key: string, request: string): Promise<Claim> {
    for (let entry = this.#entries.get(key); entry; entry = this.#entries.get(key)) {
      if (entry.request !== request) return { kind: 'mismatch' };
      const answer = await entry.outcome;
      if (answer) return { kind: 'replay', answer };
    }
    let resolve!: (answer: StoredAnswer | null) => void;
    const outcome = new Promise<StoredAnswer | null>((r) => (resolve = r));
    this.#entries.set(key, { request, outcome });
    return {
      kind: 'owner',
      settle: (answer) => {
        if (!answer) this.#entries.delete(key);
        resolve(answer);
      },
    };
  }
}
