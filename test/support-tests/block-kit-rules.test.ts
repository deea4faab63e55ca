import { describe, expect, it } from 'vitest';
import { blockKitProblems, blocksCharCount, MAX_MESSAGE_BLOCKS_CHARS, modalProblems } from '../support/block-kit-rules';
import { brokenMessages, fullButValidMessage } from './block-kit-cases';

const modal = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Edit budget' },
  submit: { type: 'plain_text', text: 'Save' },
  blocks,
  ...extra,
});
const input = {
  type: 'input',
  block_id: 'budget',
  label: { type: 'plain_text', text: 'Daily budget' },
  element: { type: 'number_input', action_id: 'amount', is_decimal_allowed: true },
};

describe('blockKitProblems', () => {
  it('accepts a message at every limit but past none', () => {
    expect(blockKitProblems(fullButValidMessage, 'message')).toEqual([]);
  });

  it.each(brokenMessages)('names the problem and where it is: $name', ({ blocks, problem, pointer }) => {
    const problems = blockKitProblems(blocks, 'message');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
    expect(problems[0]).toContain(`[json-pointer:${pointer}]`);
  });

  it('allows 100 blocks in a modal but not 101', () => {
    const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(blockKitProblems(dividers(100), 'modal')).toEqual([]);
    expect(blockKitProblems(dividers(101), 'modal')).toEqual(['no more than 100 items allowed [json-pointer:/blocks]']);
  });
});

describe('modalProblems', () => {
  it('accepts a budget modal', () => {
    expect(modalProblems(modal([input]))).toEqual([]);
  });

  it('points into /view for a title over 24 characters and a broken block', () => {
    const problems = modalProblems(
      modal([{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }], {
        title: { type: 'plain_text', text: 'Edit the daily budget now' },
      }),
    );
    expect(problems).toEqual(['must be less than 25 characters [json-pointer:/view/title/text]', 'must be less than 151 characters [json-pointer:/view/blocks/0/text/text]']);
  });

  it('requires a submit button when the modal has an input', () => {
    const { submit: _, ...withoutSubmit } = modal([input]);
    expect(modalProblems(withoutSubmit)).toEqual(['missing required field: submit (the view has input blocks) [json-pointer:/view]']);
  });
});

describe('blocksCharCount', () => {
  it('counts every string in the blocks, not only the text', () => {
    const blocks = [{ type: 'section', block_id: 'ab', text: { type: 'mrkdwn', text: 'hello' } }];
    expect(blocksCharCount(blocks)).toBe('section'.length + 2 + 'mrkdwn'.length + 5);
  });

  it('keeps the message of every-limit blocks under the whole-message budget', () => {
    expect(blocksCharCount(fullButValidMessage)).toBeLessThan(MAX_MESSAGE_BLOCKS_CHARS);
  });
});
