import { randomBytes } from 'node:crypto';

/** 128 random bits: a button's id for a pending change cannot be guessed, only carried. */
export const newPendingId = (): string => `pc_${randomBytes(16).toString('base64url')}`;

/** Whether a button value or form metadata has the shape of such an id (checked before any store read). */
export const isPendingId = (value: string): boolean => /^pc_[A-Za-z0-9_-]{22}$/.test(value);
