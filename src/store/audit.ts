import type { SqliteDatabase } from './sqlite';

export type AuditOutcome = 'done' | 'already' | 'refused' | 'failed';

export interface AuditEntry {
  at: Date;
  userId: string;
  action: string;
  entityKind: string;
  entityId: string;
  entityTitle: string | null;
  before: string | null;
  after: string | null;
  channel: string | null;
  messageTs: string | null;
  outcome: AuditOutcome;
  detail: string | null;
}

/** Who did what to which ad, and how it went; failed attempts are kept too. */
export interface AuditLog {
  record(entry: AuditEntry): void;
  forEntity(entityId: string): AuditEntry[];
}

interface AuditRow {
  at: string;
  user_id: string;
  action: string;
  entity_kind: string;
  entity_id: string;
  entity_title: string | null;
  before: string | null;
  after: string | null;
  channel: string | null;
  message_ts: string | null;
  outcome: AuditOutcome;
  detail: string | null;
}

export function sqliteAuditLog(db: SqliteDatabase): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit (at, user_id, action, entity_kind, entity_id, entity_title, before, after, channel, message_ts, outcome, detail)
     VALUES (@at, @user_id, @action, @entity_kind, @entity_id, @entity_title, @before, @after, @channel, @message_ts, @outcome, @detail)`,
  );
  const select = db.prepare<[string], AuditRow>('SELECT * FROM audit WHERE entity_id = ? ORDER BY id');
  return {
    record: (e) =>
      insert.run({
        at: e.at.toISOString(),
        user_id: e.userId,
        action: e.action,
        entity_kind: e.entityKind,
        entity_id: e.entityId,
        entity_title: e.entityTitle,
        before: e.before,
        after: e.after,
        channel: e.channel,
        message_ts: e.messageTs,
        outcome: e.outcome,
        detail: e.detail,
      }),
    forEntity: (entityId) =>
      select.all(entityId).map((r) => ({
        at: new Date(r.at),
        userId: r.user_id,
        action: r.action,
        entityKind: r.entity_kind,
        entityId: r.entity_id,
        entityTitle: r.entity_title,
        before: r.before,
        after: r.after,
        channel: r.channel,
        messageTs: r.message_ts,
        outcome: r.outcome,
        detail: r.detail,
      })),
  };
}
