import type { KnownBlock, View } from '@slack/types';
import { context } from './kit';
import { LIMITS } from './limits';

/**
 * What every message and form says while the bot runs on its built-in sandbox (WHOP_SANDBOX=1), so nobody takes
 * its simulated ads, spend and changes for real ones.
 */
export const SANDBOX_MARK = ':test_tube: *Sandbox data*';

/** The mark as one part of a view's own context line; nothing off the sandbox. */
export const sandboxMark = (sandbox: boolean): string => (sandbox ? SANDBOX_MARK : '');

const carriesMark = (content: unknown): boolean => JSON.stringify(content ?? '').includes(SANDBOX_MARK);

/** Anything the bot sends as a message: a post, an update, an ephemeral answer, a command's reply. */
interface MessageContent {
  text?: string;
  blocks?: readonly unknown[];
}

/**
 * The same message saying it is sandbox data: a context line under its blocks, or a line under its text when it has
 * none. Unchanged when it says so already (the digest, the card and alerts place the mark themselves), when it has
 * nothing to show (e.g. only `delete_original`), or when its blocks are at Slack's limit, which only the digest
 * reaches, and it carries the mark in its own blocks.
 */
export function withSandboxMark<M extends object>(message: M): M {
  const { text, blocks } = message as MessageContent;
  if (carriesMark(blocks) || (blocks === undefined && carriesMark(text))) return message;
  if (blocks !== undefined && blocks.length > 0) {
    return blocks.length < LIMITS.blocksPerMessage ? { ...message, blocks: [...blocks, context(SANDBOX_MARK)] } : message;
  }
  return text === undefined || text === '' ? message : { ...message, text: `${text}\n${SANDBOX_MARK}` };
}

/** A form (views.open, views.update, a submission's `update`) with the mark under its blocks. */
export function viewWithSandboxMark<V extends View>(view: V): V {
  if (carriesMark(view.blocks) || view.blocks.length >= LIMITS.blocksPerModal) return view;
  return { ...view, blocks: [...view.blocks, context(SANDBOX_MARK)] as KnownBlock[] };
}
