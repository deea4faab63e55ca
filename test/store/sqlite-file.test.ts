import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite-store';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the SQLite state file', () => {
  it('is created readable and writable by its owner only, and so are its -wal and -shm files', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mode-')), 'data', 'state.sqlite');
    const store = openSqliteStore(path);
    try {
      await store.clicks.claim('k', new Date('2026-11-25T10:00:00Z'));
      expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      expect(mode(join(path, '..'))).toBe(0o700);
    } finally {
      await store.close();
    }
  });

  it('keeps the mode its owner gave an existing file, and gives its -wal and -shm files no more than that', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mode-')), 'state.sqlite');
    writeFileSync(path, '');
    chmodSync(path, 0o640);
    const store = openSqliteStore(path);
    try {
      await store.clicks.claim('k', new Date('2026-11-25T10:00:00Z'));
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual([0o640, 0o640, 0o640]);
    } finally {
      await store.close();
    }
  });
});
