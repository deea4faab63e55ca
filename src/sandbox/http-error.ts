// One error type for every refusal, so each route only says the status and why; the server turns it into Whop's error body.

const ERROR_TYPES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  409: 'conflict',
  422: 'unprocessable_entity',
  429: 'rate_limited',
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message);

export function errorBody(status: number, message: string) {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'internal_server_error' : 'error');
  return { error: { type, message } };
}
