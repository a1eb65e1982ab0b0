import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { PRODUCER as INTAKE_PRODUCER, type BuiltEvent } from './dossier-events';
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
  /** The receiving officer's name (token); null before 2026-11-25 and for imports. */
  receivedByName?: string | null;
  /** COUNTER, POST or ONLINE; null: at the counter. */
  resultDelivery?: string | null;
  imported: boolean;
  version?: number;
  /** Status after the last event consumed from processing/result (NULL until one came), and its time. */
  lifecycleStatus?: string | null;
  lifecycleUpdatedAt?: Date | null;
  /** Due dates after the last consumed event that moved them (ADR 0208, amendment 2026-11-25); NULL: the receipt's. */
  lifecycleDue?: { dueAt: string | null; originalDueAt: string | null } | null;
  /** Imported pre-2025 dossier (ADR 0206): the old system's number (when ours was assigned) and receiving unit. */
  legacyCode?: string | null;
  legacyAgencyCode?: string | null;
  legacyCommuneCode?: string | null;
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
  due_explanation AS "dueExplanation", time_limit AS "timeLimit", received_by AS "receivedBy", received_by_name AS "receivedByName", result_delivery AS "resultDelivery", imported, version,
  lifecycle_status AS "lifecycleStatus", lifecycle_updated_at AS "lifecycleUpdatedAt", lifecycle_due AS "lifecycleDue",
  legacy_code AS "legacyCode", legacy_agency_code AS "legacyAgencyCode", legacy_commune_code AS "legacyCommuneCode"`;

const CLAIM_SQL = `WITH l AS (
         SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS n FROM unnest($5::text[]) AS k),
       b AS (
         SELECT b.* FROM l, unnest($1::text[], $2::text[], $3::text[], $4::date[]) WITH ORDINALITY AS b(scope, key, unit, day, ord)),
       f AS (
         SELECT b.ord, k.request_hash, k.status, k.response
           FROM b JOIN intake.idempotency_key k ON k.scope = b.scope AND k.key = b.key),
       s AS (
         INSERT INTO intake.dossier_sequence (unit_code, day, last_value)
         SELECT b.unit, b.day, count(*)::int FROM b WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.ord = b.ord)
          GROUP BY b.unit, b.day ORDER BY b.unit, b.day
         ON CONFLICT (unit_code, day) DO UPDATE SET last_value = intake.dossier_sequence.last_value + EXCLUDED.last_value
         RETURNING unit_code, day, last_value)
       SELECT f.ord::int AS ord, f.request_hash, f.status, f.response, NULL::text AS unit, NULL::text AS day, NULL::int AS last FROM f
       UNION ALL
       SELECT NULL, NULL, NULL, NULL, s.unit_code, to_char(s.day, 'YYYY-MM-DD'), s.last_value FROM s`;

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
           due_explanation, time_limit, received_by, imported, version, received_by_name, result_delivery)
         SELECT $1::uuid,
           CASE WHEN $38::text IS NULL THEN $2::text
                ELSE $4::text || '-' || $38::text || '-' || CASE WHEN s.v < 10000 THEN lpad(s.v::text, 4, '0') ELSE s.v::text END END,
           $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::jsonb, $10::text, $11::timestamptz,
           $12::timestamptz, $13::timestamptz, $14::text, $15::timestamptz, $16::timestamptz, $17::jsonb, $18::jsonb,
           $19::text, $20::bool, $21::int, $39::text, $40::text
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
        codeDay?.isoDate ?? null, codeDay?.yymmdd ?? null, d.receivedByName ?? null, d.resultDelivery ?? null,
      ],
    });
    return r.rows[0];
  }

  /**
   * Group commit, step 1, in ONE round trip that also opens the transaction (`BEGIN; …`): the idempotency
   * advisory locks of all keys (`lockKeys`, sorted; the same lock as `withIdempotency`, all taken before any sequence row: the aggregate `l` is complete before `b`
   * yields a row), the stored answers of keys already used, and the sequence numbers of every (unit, day) for
   * the other members. `last` is the sequence's value after adding `count` receipts: the batch owns numbers
   * `last - count + 1 … last` (the row lock is held until COMMIT, so they stay consecutive and a rollback gives
   * them back). The lookup sees the statement's snapshot, taken before a lock wait: a key committed by the
   * holder meanwhile is missed here, and then the idempotency insert of step 2 fails on the primary key, which
   * sends the batch to the per-request fallback (that replays it).
   */
  async claimBatch(
    c: PoolClient,
    members: { scope: string; key: string; unitCode: string; isoDate: string }[],
    lockKeys: string[],
  ): Promise<{ found: Map<number, { requestHash: string; status: number; response: unknown }>; last: Map<string, number> }> {
    type ClaimRow = { ord: number | null; request_hash: string | null; status: number | null; response: unknown; unit: string | null; day: string | null; last: number | null };
    const values = [members.map((m) => m.scope), members.map((m) => m.key), members.map((m) => m.unitCode), members.map((m) => m.isoDate), lockKeys];
    // `BEGIN; <claim>` as ONE simple query (the extended protocol takes one statement per round trip): the values
    // are inlined as array literals, each element quoted by pg's own escapeLiteral.
    const lit = (xs: string[]) => `ARRAY[${xs.map((x) => c.escapeLiteral(x)).join(',')}]`;
    const text = CLAIM_SQL.replace(/\$(\d)/g, (_, n: string) => lit(values[Number(n) - 1] as string[]));
    const res = (await c.query(`BEGIN; ${text}`)) as unknown as { rows: ClaimRow[] }[];
    const rows = (res[1] as { rows: ClaimRow[] }).rows;
    const found = new Map<number, { requestHash: string; status: number; response: unknown }>();
    const last = new Map<string, number>();
    for (const x of rows) {
      if (x.ord != null) found.set(x.ord - 1, { requestHash: x.request_hash as string, status: x.status as number, response: x.response });
      else last.set(`${x.unit}|${x.day}`, x.last as number);
    }
    return { found, last };
  }

  /**
   * Group commit, step 2: the dossiers (final codes), their components and history events, one audit row each,
   * the stored idempotency answers and the outbox rows (the format of `outboxTableDdl`, as `appendToOutbox`
   * writes them) of a whole batch, as multi-row inserts in ONE statement, then one NOTIFY for the relay
   * (delivered at COMMIT).
   *
   * The rows travel as one JSON document per table (`json_to_recordset`), serialised by `JSON.stringify` in one
   * native pass: the JSON values (applicant, envelopes, answers) are nested as they are, not stringified and
   * then escaped again as elements of ~55 pg array literals (which cost ~5% of the service's CPU, ADR 0204).
   * Timestamps are ISO-8601 UTC strings.
   */
  async insertReceiptBatch(
    c: PoolClient,
    items: {
      row: DossierRow;
      components: ComponentRow[];
      events: BuiltEvent[];
      audit: { actor: string; unitId: string; action: string; target: string; ip: string | null; correlationId: string | null; details: unknown };
      answer: { scope: string; key: string; requestHash: string; status: number; body: unknown };
    }[],
    notifyChannel: string,
  ): Promise<void> {
    const dossiers: unknown[] = [];
    const comps: unknown[] = [];
    const events: unknown[] = [];
    const audits: unknown[] = [];
    const answers: unknown[] = [];
    const outbox: unknown[] = [];
    for (const { row: d, components, events: evs, audit: a, answer } of items) {
      dossiers.push({
        id: d.id, code: d.code, unit_id: d.unitId, unit_code: d.unitCode, procedure_code: d.procedureCode,
        procedure_version: d.procedureVersion, channel: d.channel, status: d.status, applicant: d.applicant,
        external_ref: d.externalRef, submitted_at: d.submittedAt, received_at: d.receivedAt, rejected_at: d.rejectedAt,
        rejection_reason: d.rejectionReason, due_at: d.dueAt, original_due_at: d.originalDueAt,
        due_explanation: d.dueExplanation, time_limit: d.timeLimit, received_by: d.receivedBy, imported: d.imported,
        version: evs.length, received_by_name: d.receivedByName ?? null, result_delivery: d.resultDelivery ?? null,
      });
      for (const k of components) {
        comps.push({
          dossier_id: d.id, component_code: k.code, name: k.name, copies: k.copies, digitised: k.digitised, reused: k.reused,
          from_repository: k.fromRepository, file_ref: k.fileRef, recorded_at: k.recordedAt, recorded_by: k.recordedBy,
        });
      }
      evs.forEach((e, i) => {
        events.push({ id: e.id, dossier_id: d.id, seq: i + 1, type: e.type, occurred_at: e.occurredAt, actor: d.receivedBy, payload: historyPayload(e.payload) });
        const r = e.record;
        outbox.push({ id: r.id, aggregate_id: r.key, type: r.type, version: r.version, envelope: r.envelope, public_envelope: r.publicEnvelope ?? null });
      });
      audits.push({ actor: a.actor, unit_id: a.unitId, action: a.action, target: a.target, ip: a.ip, correlation_id: a.correlationId, details: a.details ?? null });
      answers.push({ scope: answer.scope, key: answer.key, request_hash: answer.requestHash, status: answer.status, response: answer.body });
    }
    await c.query({
      name: 'intake.insert-receipt-batch-json',
      text: `WITH d AS (
         INSERT INTO intake.dossier (id, code, unit_id, unit_code, procedure_code, procedure_version, channel, status,
           applicant, external_ref, submitted_at, received_at, rejected_at, rejection_reason, due_at, original_due_at,
           due_explanation, time_limit, received_by, imported, version, received_by_name, result_delivery)
         SELECT * FROM json_to_recordset($1::json) AS x(id uuid, code text, unit_id text, unit_code text,
           procedure_code text, procedure_version text, channel text, status text, applicant jsonb, external_ref text,
           submitted_at timestamptz, received_at timestamptz, rejected_at timestamptz, rejection_reason text,
           due_at timestamptz, original_due_at timestamptz, due_explanation jsonb, time_limit jsonb, received_by text,
           imported bool, version int, received_by_name text, result_delivery text)),
       c AS (
         INSERT INTO intake.dossier_component (dossier_id, component_code, name, copies, digitised, reused,
           from_repository, file_ref, recorded_at, recorded_by)
         SELECT * FROM json_to_recordset($2::json) AS x(dossier_id uuid, component_code text, name text, copies int,
           digitised bool, reused bool, from_repository bool, file_ref text, recorded_at timestamptz, recorded_by text)),
       e AS (
         INSERT INTO intake.dossier_event (id, dossier_id, seq, type, occurred_at, actor, payload, imported)
         SELECT x.*, false FROM json_to_recordset($3::json) AS x(id uuid, dossier_id uuid, seq int, type text,
           occurred_at timestamptz, actor text, payload jsonb)),
       a AS (
         INSERT INTO intake.audit_log (actor, unit_id, action, target, ip, correlation_id, details)
         SELECT * FROM json_to_recordset($4::json) AS x(actor text, unit_id text, action text, target text, ip text,
           correlation_id text, details jsonb)),
       i AS (
         INSERT INTO intake.idempotency_key (scope, key, request_hash, status, response)
         SELECT * FROM json_to_recordset($5::json) AS x(scope text, key text, request_hash text, status int, response jsonb)),
       o AS (
         INSERT INTO intake.outbox (id, aggregate_id, type, version, envelope, public_envelope)
         SELECT * FROM json_to_recordset($6::json) AS x(id uuid, aggregate_id text, type text, version int, envelope jsonb,
           public_envelope jsonb))
       SELECT pg_notify($7, '')`,
      values: [
        JSON.stringify(dossiers), JSON.stringify(comps), JSON.stringify(events), JSON.stringify(audits),
        JSON.stringify(answers), JSON.stringify(outbox), notifyChannel,
      ],
    });
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
           received_by_name = $17, version = version + $11, updated_at = now()
         WHERE id = $1 RETURNING id, version - $11 AS base)
       INSERT INTO intake.dossier_event (id, dossier_id, seq, type, occurred_at, actor, payload, imported)
       SELECT x.id, u.id, u.base + x.ord, x.type, x.at, $12, x.payload, false
         FROM u, unnest($13::uuid[], $14::text[], $15::timestamptz[], $16::jsonb[]) WITH ORDINALITY AS x(id, type, at, payload, ord)`,
      [
        d.id, d.status, d.receivedAt, d.rejectedAt, d.rejectionReason, d.dueAt, d.originalDueAt,
        d.dueExplanation == null ? null : JSON.stringify(d.dueExplanation),
        d.timeLimit == null ? null : JSON.stringify(d.timeLimit), d.receivedBy, events.length, actor,
        events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.occurredAt),
        events.map((e) => JSON.stringify(historyPayload(e.payload))), d.receivedByName ?? null,
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

  /**
   * The dossier by its code or, for an imported dossier whose number was assigned here, by the old system's number
   * (`legacy_code`, ADR 0206 amendment 2026-11-25): the answer is the same dossier under its code.
   */
  async findView(code: string): Promise<DossierView | undefined> {
    const row =
      (await this.findRow(code)) ??
      (await this.sql.query<DossierRow>(`SELECT ${DOSSIER_COLUMNS} FROM intake.dossier WHERE legacy_code = $1`, [code]))[0];
    if (!row) return undefined;
    const comps = await this.sql.query<ComponentRow>(
      `SELECT component_code AS code, name, copies, digitised, reused, from_repository AS "fromRepository",
              file_ref AS "fileRef", recorded_at AS "recordedAt", recorded_by AS "recordedBy"
         FROM intake.dossier_component WHERE dossier_id = $1 ORDER BY component_code`,
      [row.id],
    );
    return toView(row, comps);
  }

  /**
   * The dossier's events, oldest first, with the base fields put back into each payload: intake's own events
   * (`producer: intake-service`, in their `seq` order) merged by time with the events consumed from the other
   * services (`seq: null`; their public fields only). At the same instant intake's events come first.
   */
  async history(dossier: Pick<DossierView, 'id' | 'code' | 'unitCode' | 'procedureCode'>): Promise<HistoryEntry[]> {
    const [rows, consumed] = await Promise.all([
      this.sql.query<{ id: string; seq: number; type: string; occurredAt: Date; actor: string | null; imported: boolean; payload: Record<string, unknown> }>(
        `SELECT id, seq, type, occurred_at AS "occurredAt", actor, imported, payload
           FROM intake.dossier_event WHERE dossier_id = $1 ORDER BY seq`,
        [dossier.id],
      ),
      this.sql.query<{ id: string; type: string; occurredAt: Date; producer: string; imported: boolean; summary: Record<string, unknown> }>(
        `SELECT id, type, occurred_at AS "occurredAt", producer, imported, summary
           FROM intake.lifecycle_event WHERE dossier_code = $1 ORDER BY occurred_at, consumed_at, id`,
        [dossier.code],
      ),
    ]);
    const base = { dossierId: dossier.code, receivingUnitId: dossier.unitCode, procedureCode: dossier.procedureCode };
    const own: HistoryEntry[] = rows.map((r) => ({ eventId: r.id, seq: r.seq, type: r.type, occurredAt: toVnIso(r.occurredAt), producer: INTAKE_PRODUCER, actor: r.actor, imported: r.imported, payload: { ...base, ...r.payload } }));
    const others: HistoryEntry[] = consumed.map((r) => ({ eventId: r.id, seq: null, type: r.type, occurredAt: toVnIso(r.occurredAt), producer: r.producer, actor: null, imported: r.imported, payload: { ...base, ...r.summary } }));
    // merge two lists each already in order (a stable merge: intake's own `seq` order is never reshuffled)
    const out: HistoryEntry[] = [];
    let i = 0;
    let j = 0;
    while (i < own.length || j < others.length) {
      const a = own[i];
      const b = others[j];
      if (b === undefined || (a !== undefined && rows[i]!.occurredAt.getTime() <= consumed[j]!.occurredAt.getTime())) {
        out.push(a as HistoryEntry);
        i++;
      } else {
        out.push(b);
        j++;
      }
    }
    return out;
  }
}

/** History rows leave out what the dossier row holds: the code, the receiving unit and the procedure. */
function historyPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const { dossierId: _d, receivingUnitId: _u, procedureCode: _p, ...rest } = payload;
  return rest;
}

const iso = (d: Date | null): string | null => (d == null ? null : toVnIso(d));
const isoText = (s: string | null): string | null => (s == null ? null : toVnIso(new Date(s)));

export function toView(row: DossierRow, comps: ComponentRow[]): DossierView {
  return {
    id: row.id,
    code: row.code,
    unitCode: row.unitCode,
    procedureCode: row.procedureCode,
    procedureVersion: row.procedureVersion,
    channel: row.channel as DossierView['channel'],
    status: currentStatus(row) as DossierView['status'],
    intakeStatus: row.status as DossierView['status'],
    statusUpdatedAt: iso(statusTime(row)),
    applicant: row.applicant,
    externalRef: row.externalRef,
    submittedAt: iso(row.submittedAt),
    receivedAt: iso(row.receivedAt),
    rejectedAt: iso(row.rejectedAt),
    rejectionReason: row.rejectionReason,
    // the appointment in force and the legal due date follow the lifecycle (ADR 0208); the receipt keeps its own
    dueAt: row.lifecycleDue ? isoText(row.lifecycleDue.dueAt) : iso(row.dueAt),
    originalDueAt: row.lifecycleDue ? isoText(row.lifecycleDue.originalDueAt) : iso(row.originalDueAt),
    receiptDueAt: iso(row.dueAt),
    dueExplanation: row.dueExplanation,
    timeLimit: row.timeLimit as DossierView['timeLimit'],
    receivedBy: row.receivedBy,
    receivedByName: row.receivedByName ?? null,
    resultDelivery: (row.resultDelivery ?? 'COUNTER') as DossierView['resultDelivery'],
    imported: row.imported,
    legacyCode: row.legacyCode ?? null,
    legacyUnit: row.legacyAgencyCode != null || row.legacyCommuneCode != null ? { agencyCode: row.legacyAgencyCode ?? null, communeCode: row.legacyCommuneCode ?? null } : null,
    version: row.version ?? 1,
    components: comps.map(
      (x): DossierComponent => ({ ...x, recordedAt: toVnIso(x.recordedAt) }),
    ),
  };
}

/** When intake's own status was last set: the latest of its status-changing times. */
function intakeStatusTime(row: DossierRow): Date | null {
  const times = [row.submittedAt, row.receivedAt, row.rejectedAt].filter((t): t is Date => t != null);
  return times.length === 0 ? null : new Date(Math.max(...times.map((t) => t.getTime())));
}

function lifecycleIsNewer(row: DossierRow): boolean {
  if (row.lifecycleStatus == null || row.lifecycleUpdatedAt == null) return false;
  const own = intakeStatusTime(row);
  return own === null || row.lifecycleUpdatedAt.getTime() >= own.getTime();
}

/**
 * The dossier's current status: the status after the last event consumed from processing/result when it is newer
 * than intake's own, else intake's (ADR 0208). The components rule and the lookup use it.
 */
export function currentStatus(row: DossierRow): string {
  return lifecycleIsNewer(row) ? (row.lifecycleStatus as string) : row.status;
}

function statusTime(row: DossierRow): Date | null {
  return lifecycleIsNewer(row) ? (row.lifecycleUpdatedAt as Date) : intakeStatusTime(row);
}
