import type { RespondFn } from '@slack/bolt';
import type { View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { viewWithSandboxMark, withSandboxMark } from '../../blocks/sandbox-mark';

// On the sandbox every message and form the bot shows says so. Applied where they leave the bot (the Web API
// client, respond(), ack()) rather than in each view, so no reply, notice or new handler can go out without it.

const markText = (text: string): string => withSandboxMark({ text }).text;

/** What a handler passes to respond() or to a command's ack(): a message, or its text alone. */
function markMessage<M>(message: M): M {
  if (typeof message === 'string') return markText(message) as M;
  return typeof message === 'object' && message !== null ? withSandboxMark(message) : message;
}

/** What a handler passes to ack(): nothing, a command's reply, or a form submission's `update` or `push`. */
function markAck<R>(response: R): R {
  if (typeof response === 'object' && response !== null && 'view' in response) {
    return { ...response, view: viewWithSandboxMark((response as { view: View }).view) };
  }
  return markMessage(response);
}

/** A Web API client whose messages and forms carry the mark; every other method is the client's own. */
export function sandboxClient(client: WebClient): WebClient {
  const chat: WebClient['chat'] = {
    ...client.chat,
    postMessage: (args) => client.chat.postMessage(withSandboxMark(args)),
    postEphemeral: (args) => client.chat.postEphemeral(withSandboxMark(args)),
    update: (args) => client.chat.update(withSandboxMark(args)),
    scheduleMessage: (args) => client.chat.scheduleMessage(withSandboxMark(args)),
  };
  const views: WebClient['views'] = {
    ...client.views,
    open: (args) => client.views.open({ ...args, view: viewWithSandboxMark(args.view) }),
    update: (args) => client.views.update({ ...args, view: viewWithSandboxMark(args.view) }),
    push: (args) => client.views.push({ ...args, view: viewWithSandboxMark(args.view) }),
    publish: (args) => client.views.publish({ ...args, view: viewWithSandboxMark(args.view) }),
  };
  return new Proxy(client, { get: (target, key, receiver) => (key === 'chat' ? chat : key === 'views' ? views : Reflect.get(target, key, receiver)) });
}

interface ListenerArgs {
  ack: (response?: never) => Promise<void>;
  client: WebClient;
  respond?: RespondFn;
}

/** Wraps a Bolt listener so that its client, respond() and ack() mark what they send; as it is off the sandbox. */
export function sandboxReplies(sandbox: boolean) {
  return <A extends ListenerArgs>(listener: (args: A) => Promise<void>): ((args: A) => Promise<void>) => {
    if (!sandbox) return listener;
    return (args) => {
      const { respond } = args;
      const ack = ((response?: unknown) => args.ack(markAck(response) as never)) as A['ack'];
      return listener({
        ...args,
        ack,
        client: sandboxClient(args.client),
        ...(respond ? { respond: ((message) => respond(markMessage(message))) satisfies RespondFn } : {}),
      });
    };
  };
}

/** The text of a notice sent outside a listener (the last-resort error answer), marked on the sandbox. */
export const sandboxText = (sandbox: boolean, text: string): string => (sandbox ? markText(text) : text);
