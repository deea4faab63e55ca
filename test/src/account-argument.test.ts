import { describe, expect, it } from 'vitest';
import { takeAccountArgument } from '../../src/accounts/argument';

describe('account:<name> in a command', () => {
  it('is taken from anywhere in the text, the rest left for the usual parsing', () => {
    expect(takeAccountArgument('account:acme adgrp_123')).toEqual({ name: 'acme', text: 'adgrp_123' });
    expect(takeAccountArgument('budget adgrp_123 account:globex 150')).toEqual({ name: 'globex', text: 'budget adgrp_123 150' });
    expect(takeAccountArgument('digest last_7d  account:ACME')).toEqual({ name: 'acme', text: 'digest last_7d' });
  });

  it('is absent when not written as a word of its own; an empty name is kept to be answered', () => {
    expect(takeAccountArgument('black friday')).toEqual({ name: null, text: 'black friday' });
    expect(takeAccountArgument('myaccount:acme')).toEqual({ name: null, text: 'myaccount:acme' });
    expect(takeAccountArgument('account: adgrp_1')).toEqual({ name: '', text: 'adgrp_1' });
  });
});
