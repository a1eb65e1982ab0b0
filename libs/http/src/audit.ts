const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface AuditEntry {
  actor: string;
  unitId: string;
  action: string;
  target: string;
  ip?: string;
  correlationId?: string;
  details?: Record<string, unknown>;
}

/** DDL for the append-only audit log of a service schema; call from the service's migration. */
export function auditTableDdl(schema: string): string[] {
  return [
    `CREATE TABLE ${ident(schema)}.audit_log (
       id bigserial PRIMARY KEY,
       at timestamptz NOT NULL DEFAULT now(),
       actor text NOT NULL,
       unit_id text NOT NULL,
       action text NOT NULL,
       target text NOT NULL,
       ip text,
       correlation_id text,
       details jsonb
     )`,
    `CREATE INDEX audit_log_target_idx ON ${ident(schema)}.audit_log (target, at)`,
  ];
}

/** Appends an audit row inside the caller's transaction (who, when, what, from where). */
export async function recordAudit(
  tx: { query(sql: string, params?: unknown[]): Promise<unknown> },
  schema: string,
  e: AuditEntry,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${ident(schema)}.audit_log (actor, unit_id, action, target, ip, correlation_id, details) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [e.actor, e.unitId, e.action, e.target, e.ip ?? null, e.correlationId ?? null, e.details ? JSON.stringify(e.details) : null],
  );
}
