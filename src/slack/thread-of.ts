/** Slack's threads are one level deep: a line about a thread reply goes into that reply's thread. */
export const threadOf = (message: { ts: string; thread_ts?: unknown }): string =>
  typeof message.thread_ts === 'string' && message.thread_ts !== '' ? message.thread_ts : message.ts;
