import { randomBytes } from 'node:crypto';

/** 128 random bits: a button's id for a pending change cannot be guessed, only carried. */
export const newPendingId = (): string => `pc_${randomBytes(16).toString('base64url')}`;
