import { APIConnectionError, APIError } from '@whop/sdk';

export type WhopFailureKind = 'bad_key' | 'forbidden' | 'not_found' | 'invalid' | 'rate_limited' | 'unavailable';

/** A Whop error in words a marketer can act on; `detail` keeps Whop's own message for the log. */
export interface WhopFailure {
  kind: WhopFailureKind;
  status?: number;
  message: string;
  detail?: string;
  /**
   * For a write: the answer does not say whether it was applied. No answer came (a timeout, a dropped connection),
   * or Whop answered 5xx after the SDK's retries; the SDK retries on those, so an earlier attempt may have gone
   * through. "Nothing was changed" cannot be said: read the item back instead.
   */
  unsure?: boolean;
}

export type WhopResult<T> = { ok: true; value: T } | { ok: false; error: WhopFailure };

const whopMessage = (err: APIError): string | undefined => {
  const body = err.error as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : undefined;
};

export function describeWhopError(err: APIError): WhopFailure {
  const detail = whopMessage(err);
  const status = err.status;
  if (err instanceof APIConnectionError || status === undefined || status >= 500) {
    return { kind: 'unavailable', status, detail, message: 'Whop is not answering right now. Try again in a few minutes.', unsure: true };
  }
  switch (status) {
    case 401:
      return { kind: 'bad_key', status, detail, message: 'Whop rejected the bot’s API key. An admin needs to check WHOP_API_KEY.' };
    case 403:
      return {
        kind: 'forbidden',
        status,
        detail,
        message: 'The bot’s Whop API key is not allowed to do this. An admin needs to grant it the ads permissions in Whop.',
      };
    case 404:
      return { kind: 'not_found', status, detail, message: 'Whop has no such item: check the id, or it may have been deleted.' };
    case 429:
      return { kind: 'rate_limited', status, detail, message: 'Whop is rate-limiting the bot. Try again in a minute.' };
    default:
      return { kind: 'invalid', status, detail, message: `Whop refused: ${detail ?? `error ${status}`}.` };
  }
}

/** Runs one SDK call and turns Whop's errors into a typed result; anything else is a bug and is rethrown. */
export async function attempt<T>(call: () => Promise<T>): Promise<WhopResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    if (err instanceof APIError) return { ok: false, error: describeWhopError(err) };
    throw err;
  }
}
