import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { BuiltEvent } from './dossier-events';
import type { Applicant, DossierComponent, DossierView, HistoryEntry } from './dossier.model';
import { SqlExecutor } from './sql-executor';
import { toVnIso } from './vn-time.util';

export interface DossierRow {
  id: string;
  code: string;
  unitId: string;
  unitCode: string;
  procedureCode: string;
  procedureVersion: string | null;
  channel: string;
  status: string;
  applicant: Applicant;
  externalRef: string | null;
  submittedAt: Date | null;
  receivedAt: Date | null;
  rejectedAt: Date | null;
  rejectionReason: string | null;
  dueAt: Date | null;
  originalDueAt: Date | null;
  dueExplanation: string[] | null;
  timeLimit: { value: number; unit: string } | null;
  receivedBy: string | null;
  imported: boolean;
  version?: number;
}

export interface ComponentRow {
  code: string;
  name: string;
  copies: number;
  digitised: boolean;
  reused: boolean;
  fromRepository: boolean;
  fileRef: string | null;
  recordedAt: Date;
  recordedBy: string | null;
}

const DOSSIER_COLUMNS = `id, code, unit_id AS "unitId", unit_code AS "unitCode", procedure_code AS "procedureCode",
  procedure_version AS "procedureVersion", channel, status, applicant, external_ref AS "externalRef",
  submitted_at AS "submittedAt", received_at AS "receivedAt", rejected_at AS "rejectedAt",
  rejection_reason AS "rejectionReason", due_at AS "dueAt", original_due_at AS "originalDueAt",
  due_explanation AS "dueExplanation", time_limit AS "timeLimit", received_by AS "receivedBy", imported, version`;

/** All SQL about dossiers. Write methods take the caller's transaction client. */
@Injectable()
export class DossierRepository {
  constructor(@Inject(SqlExecutor) private readonly sql: SqlExecutor) {}

  /** Keeps the live sequence above an imported code's number (same unit and day). */
  async raiseSequence(c: PoolClient, unitCode: string, isoDay: string, atLeast: number): Promise<void> {
    await c.query(
      `INSERT INTO intake.dossier_sequence (unit_code, day, last_value) VALUES ($1, $2, $3)
       ON CONFLICT (unit_code, day) DO UPDATE SET last_value = GREATEST(intake.dossier_sequence.last_value, EXCLUDED.last_value)`,
      [unitCode, isoDay, atLeast],
    );
  }

  /**
   * Inserts a dossier with its components and history events in ONE statement (one round trip).
   * - New dossier (`codeDay` given, `d.code` ignored): the statement also takes the next number of the unit's
   *   daily sequence (`dossier_sequence` upsert; its row lock serialises receipts of that unit and day until
   *   commit, so numbers are consecutive, without gaps or duplicates) and formats the code like
   *   `generateDossierCode`; returns the code and the number (the caller checks them against the domain).
   * - Import (`codeDay` omitted): `d.code` is used as given, `ON CONFLICT DO NOTHING`; returns undefined when the
   *   code already exists (nothing written).
   * History rows store the payload without the base fields the dossier row already holds (see `history`).
   */
  async insertGraph(
    c: PoolClient,
    d: DossierRow,
    components: ComponentRow[],
    events: BuiltEvent[],
    actor: string | null,
    codeDay?: { isoDate: string; yymmdd: string },
  ): Promise<{ code: string; seq: number | null } | undefined> {
    const r = await c.query<{ code: string; seq: number | null }>({
      // Named: prepared once per connection (this CTE is the costliest statement to plan on the hot path).
      name: codeDay ? 'intake.insert-graph' : 'intake.insert-graph-import',
      text: `WITH s AS (
         INSERT INTO intake.dossier_sequence (unit_code, day, last_value)
         SELECT $4::text, $37::date, 1 WHERE $38::text IS NOT NULL
         ON CONFLICT (unit_code, day) DO UPDATE SET last_value = intake.dossier_sequence.last_value + 1
         RETURNING last_value AS v),
       d AS (
         INSERT INTO intake.dossier (id, code, unit_id, unit_code, procedure_code, procedure_version, channel, status,
           applicant, external_ref, submitted_at, received_at, rejected_at, rejection_reason, due_at, original_due_at,
           due_explanation, time_limit, received_by, imported, version)
         SELECT $1::uuid,
           CASE WHEN $38::text IS NULL THEN $2::text
                ELSE $4::text || '-' || $38::text || '-' || CASE WHEN s.v < 10000 THEN lpad(s.v::text, 4, '0') ELSE s.v::text END END,
           $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::jsonb, $10::text, $11::timestamptz,
           $12::timestamptz, $13::timestamptz, $14::text, $15::timestamptz, $16::timestamptz, $17::jsonb, $18::jsonb,
           $19::text, $20::bool, $21::int
         FROM (SELECT 1) AS one LEFT JOIN s ON true
         ${codeDay ? '' : 'ON CONFLICT DO NOTHING'}
         RETURNING id, code),
       c AS (
         INSERT INTO intake.dossier_component (dossier_id, component_code, name, copies, digitised, reused,
           from_repository, file_ref, recorded_at, recorded_by)
         SELECT d.id, x.* FROM d, unnest($22::text[], $23::text[], $24::int[], $25::bool[], $26::bool[], $27::bool[],
           $28::text[], $29::timestamptz[], $30::text[]) AS x),
       e AS (
         INSERT INTO intake.dossier_event (id, dossier_id, seq, type, occurred_at, actor, payload, imported)
         SELECT x.id, d.id, x.seq, x.type, x.at, $31::text, x.payload, $20::bool FROM d,
           unnest($32::uuid[], $33::int[], $34::text[], $35::timestamptz[], $36::jsonb[]) AS x(id, seq, type, at, payload))
       SELECT d.code, (SELECT v FROM s) AS seq FROM d`,
      values: [
        d.id, codeDay ? null : d.code, d.unitId, d.unitCode, d.procedureCode, d.procedureVersion, d.channel, d.status,
        JSON.stringify(d.applicant), d.externalRef, d.submittedAt, d.receivedAt, d.rejectedAt, d.rejectionReason,
        d.dueAt, d.originalDueAt, d.dueExplanation == null ? null : JSON.stringify(d.dueExplanation),
        d.timeLimit == null ? null : JSON.stringify(d.timeLimit), d.receivedBy, d.imported, events.length,
        components.map((x) => x.code), components.map((x) => x.name), components.map((x) => x.copies),
        components.map((x) => x.digitised), components.map((x) => x.reused), components.map((x) => x.fromRepository),
        components.map((x) => x.fileRef), components.map((x) => x.recordedAt), components.map((x) => x.recordedBy),
        actor,
        events.map((e) => e.id), events.map((_, i) => i + 1), events.map((e) => e.type),
        events.map((e) => e.occurredAt), events.map((e) => JSON.stringify(historyPayload(e.payload))),
        codeDay?.isoDate ?? null, codeDay?.yymmdd ?? null,
      ],
    });
    return r.rows[0];
  }

  async lockByCode(c: PoolClient, code: string): Promise<DossierRow | undefined> {
    const r = await c.query<DossierRow>(`SELECT ${DOSSIER_COLUMNS} FROM intake.dossier WHERE code = $1 FOR UPDATE`, [code]);
    return r.rows[0];
  }

  /** Saves the new state and appends the events after the current last one; bumps the version. */
  async update(c: PoolClient, d: DossierRow, events: BuiltEvent[], actor: string | null): Promise<void> {
    await c.query(
      `WITH u AS (
         UPDATE intake.dossier SET status = $2, received_at = $3, rejected_at = $4, rejection_reason = $5, due_at = $6,
           original_due_at = $7, due_explanation = $8, time_limit = $9, received_by = $10,
           version = version + $11, updated_at = now()
         WHERE id = $1 RETURNING id, version - $11 AS base)
       INSERT INTO intake.dossier_event (id, dossier_id, seq, type, occurred_at, actor, payload, imported)
       SELECT x.id, u.id, u.base + x.ord, x.type, x.at, $12, x.payload, false
         FROM u, unnest($13::uuid[], $14::text[], $15::timestamptz[], $16::jsonb[]) WITH ORDINALITY AS x(id, type, at, payload, ord)`,
      [
        d.id, d.status, d.receivedAt, d.rejectedAt, d.rejectionReason, d.dueAt, d.originalDueAt,
        d.dueExplanation == null ? null : JSON.stringify(d.dueExplanation),
        d.timeLimit == null ? null : JSON.stringify(d.timeLimit), d.receivedBy, events.length, actor,
        events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.occurredAt),
        events.map((e) => JSON.stringify(historyPayload(e.payload))),
      ],
    );
  }

  async upsertComponents(c: PoolClient, dossierId: string, components: ComponentRow[]): Promise<void> {
    await c.query(
      `INSERT INTO intake.dossier_component (dossier_id, component_code, name, copies, digitised, reused,
         from_repository, file_ref, recorded_at, recorded_by)
       SELECT $1, x.* FROM unnest($2::text[], $3::text[], $4::int[], $5::bool[], $6::bool[], $7::bool[], $8::text[],
         $9::timestamptz[], $10::text[]) AS x
       ON CONFLICT (dossier_id, component_code) DO UPDATE SET copies = EXCLUDED.copies,
         digitised = intake.dossier_component.digitised OR EXCLUDED.digitised,
         reused = intake.dossier_component.reused OR EXCLUDED.reused,
         from_repository = intake.dossier_component.from_repository OR EXCLUDED.from_repository,
         file_ref = COALESCE(EXCLUDED.file_ref, intake.dossier_component.file_ref),
         recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by`,
      [
        dossierId, components.map((x) => x.code), components.map((x) => x.name), components.map((x) => x.copies),
        components.map((x) => x.digitised), components.map((x) => x.reused), components.map((x) => x.fromRepository),
        components.map((x) => x.fileRef), components.map((x) => x.recordedAt), components.map((x) => x.recordedBy),
      ],
    );
  }

  async findRow(code: string): Promise<DossierRow | undefined> {
    return (await this.sql.query<DossierRow>(`SELECT ${DOSSIER_COLUMNS} FROM intake.dossier WHERE code = $1`, [code]))[0];
  }

  async findView(code: string): Promise<DossierView | undefined> {
    const row = await this.findRow(code);
    if (!row) return undefined;
    const comps = await this.sql.query<ComponentRow>(
      `SELECT component_code AS code, name, copies, digitised, reused, from_repository AS "fromRepository",
              file_ref AS "fileRef", recorded_at AS "recordedAt", recorded_by AS "recordedBy"
         FROM intake.dossier_component WHERE dossier_id = $1 ORDER BY component_code`,
      [row.id],
    );
    return toView(row, comps);
  }

  /** The dossier's events, oldest first, with the base fields put back into each payload. */
  async history(dossier: Pick<DossierView, 'id' | 'code' | 'unitCode' | 'procedureCode'>): Promise<HistoryEntry[]> {
    const rows = await this.sql.query<{ id: string; seq: number; type: string; occurredAt: Date; actor: string | null; imported: boolean; payload: Record<string, unknown> }>(
      `SELECT id, seq, type, occurred_at AS "occurredAt", actor, imported, payload
         FROM intake.dossier_event WHERE dossier_id = $1 ORDER BY seq`,
      [dossier.id],
    );
    const base = { dossierId: dossier.code, receivingUnitId: dossier.unitCode, procedureCode: dossier.procedureCode };
    return rows.map((r) => ({ eventId: r.id, seq: r.seq, type: r.type, occurredAt: toVnIso(r.occurredAt), actor: r.actor, imported: r.imported, payload: { ...base, ...r.payload } }));
  }
}

/** History rows leave out what the dossier row holds: the code, the receiving unit and the procedure. */
function historyPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const { dossierId: _d, receivingUnitId: _u, procedureCode: _p, ...rest } = payload;
  return rest;
}

const iso = (d: Date | null): string | null => (d == null ? null : toVnIso(d));

export function toView(row: DossierRow, comps: ComponentRow[]): DossierView {
  return {
    id: row.id,
    code: row.code,
    unitCode: row.unitCode,
    procedureCode: row.procedureCode,
    procedureVersion: row.procedureVersion,
    channel: row.channel as DossierView['channel'],
    status: row.status as DossierView['status'],
    applicant: row.applicant,
    externalRef: row.externalRef,
    submittedAt: iso(row.submittedAt),
    receivedAt: iso(row.receivedAt),
    rejectedAt: iso(row.rejectedAt),
    rejectionReason: row.rejectionReason,
    dueAt: iso(row.dueAt),
    originalDueAt: iso(row.originalDueAt),
    dueExplanation: row.dueExplanation,
    timeLimit: row.timeLimit as DossierView['timeLimit'],
    receivedBy: row.receivedBy,
    imported: row.imported,
    version: row.version ?? 1,
    components: comps.map(
      (x): DossierComponent => ({ ...x, recordedAt: toVnIso(x.recordedAt) }),
    ),
  };
}
