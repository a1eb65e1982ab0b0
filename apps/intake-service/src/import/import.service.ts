import { Inject, Injectable } from '@nestjs/common';
import { Channel, DossierStatus, EventValidationException, PUBLIC_REFERENCE_PATTERN, WITHDRAWAL_REQUEST_REF_PATTERN, type EventTypeV1, type PayloadOfV1 } from '@onestop/contracts';
import { CodeFormatException, DOSSIER_TRANSITIONS, formatDossierCode, parseDossierCode, parseOneStopUnitCode, toVnDate, type DossierCodeParts } from '@onestop/domain';
import { ProblemException, validateBody, type FieldError } from '@onestop/http';
import { appendToOutbox, type OutboxRecord } from '@onestop/messaging';
import type { PoolClient } from 'pg';
import { INTAKE_CATALOGUE, type IntakeCatalogue, type ProcedureInfo } from '../catalogue/intake-catalogue';
import { INTAKE_SCHEMA } from '../config/intake.config';
import { CLOCK, type Clock } from '../dossiers/clock';
import { applicantPayload, receivedPayload } from '../dossiers/dossier-intake.service';
import { applicantFingerprints, holdsApplicantData } from '../dossiers/personal-data.util';
import { buildEvent, type BuiltEvent } from '../dossiers/dossier-events';
import { DossierRepository, type ComponentRow, type DossierRow } from '../dossiers/dossier.repository';
import { uuidV5 } from '../dossiers/deterministic-id.util';
import { ORIGINAL_RECEIPT_DUE_NOTE_EN } from '../dossiers/receipt.renderer';
import { SqlExecutor } from '../dossiers/sql-executor';
import { toVnIso } from '../dossiers/vn-time.util';
import { IMPORT_LINE_SCHEMA, type ImportLine, type LegacyUnitRef } from './import-line.schema';
import { importJobId, importScopeOf, mayReadImportJob, type ImportingOfficer, type ImportScope } from './import-scope.util';
import { stripBom } from './ndjson-lines.util';
import { dueAfter, statusAfter, type LifecycleDue } from '../lifecycle/lifecycle-status.util';
import { toStorableText, unstorableTextFields } from '../dossiers/dto/storable-text.util';

export interface ImportRejection {
  line: number;
  errors: FieldError[];
}

export interface ImportProgress {
  line: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

export interface ImportReport extends ImportProgress {
  jobId: string;
  fileSha256: string;
  /** Who the job belongs to (ADR 0205): `unit:{unitCode}` or `admin`; null for a job from before the scope existed. */
  scope: ImportScope | null;
  status: 'RUNNING' | 'COMPLETED';
  /** First line not yet processed (resume point). */
  nextLine: number;
  totalLines: number | null;
  /**
   * Lines holding nothing but white space, passed over (a finished job: totalLines = imported + duplicates + rejected
   * + blankLines); null while the job runs (black-box round 8: a blank line was counted in totalLines and nowhere else).
   */
  blankLines: number | null;
  /** The first 100 rejected lines (GET /imports/{id}/rejections pages through all of them; `rejected` counts them all). */
  rejections: ImportRejection[];
}

export interface ImportOptions {
  /** SHA-256 of the file's bytes as sent (a leading BOM included). */
  fileSha256: string;
  fileName?: string;
  /** Who imports: an officer imports only their own unit's dossiers unless they hold the `admin` role. */
  officer: { officerId: string; unitId: string; roles: string[] };
  chunkSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Stops between chunks (Ctrl-C / SIGTERM in the CLI); the job resumes at `nextLine` on the next run. */
  signal?: AbortSignal;
}

/** A line whose receiving unit is resolved to a 2025 one-stop unit (given, or mapped from `legacyUnit`). */
type ResolvedLine = ImportLine & { unitCode: string };

/** First day of the 2025 one-stop catalogue; a receipt before it may name a legacy unit (ADR 0206). */
const REFORM_DAY = '2025-07-01';

/** The built rows and events of a line under a given dossier code. */
interface Built {
  dossier: DossierRow;
  components: ComponentRow[];
  events: BuiltEvent[];
}

interface Prepared extends Built {
  lineNo: number;
  legacy: LegacyUnitRef | null;
  /**
   * Set when the file's code is the old system's number (not a code of our scheme for the 2025 unit): the dossier
   * gets the next number of the unit's sequence on the receipt day, in the chunk's transaction, and the old number
   * (unique) is its idempotency key (ADR 0206). `dossier`/`events` are then built with a provisional code.
   */
  assign: { legacyCode: string; rebuild: (code: string) => Built } | null;
  components: ComponentRow[];
  events: BuiltEvent[];
  seq: number;
  day: string;
}

const EVENT_STATUS: Map<string, (typeof DOSSIER_TRANSITIONS)[keyof typeof DOSSIER_TRANSITIONS]> = new Map(
  Object.values(DOSSIER_TRANSITIONS).map((r) => [r.event, r]),
);

/**
 * Payload fields that say when something happened (`finishedAt`, `returnedAt`, `transferredAt`, `paidAt`, `at`, ...),
 * as opposed to deadlines (`dueAt`, `originalDueAt`, `newDueAt`, `stepDueAt`, ...), which may lie ahead.
 */
const EVENT_TIME_FIELD = /^(at|[a-z][A-Za-z]*At)$/;
const DEADLINE_FIELD = /due/i;

/**
 * Times that cannot be true of a historical dossier. Statistics classify by the payload's own times (a dossier
 * counts as resolved on `finishedAt`, not on the line's `occurredAt`), so like `occurredAt` none of them may lie in
 * the future or before the dossier's first event; the appointment (`dueAt`) cannot precede the receipt.
 */
function impossibleTimes(line: ImportLine, times: Date[], now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const first = times[0] as Date;
  line.history.forEach((h, i) => {
    for (const [key, value] of Object.entries(h.payload ?? {})) {
      if (!EVENT_TIME_FIELD.test(key) || DEADLINE_FIELD.test(key) || typeof value !== 'string') continue;
      const t = Date.parse(value);
      if (Number.isNaN(t)) continue; // not a date-time: the event contract names the field
      const field = `history[${i}].payload.${key}`;
      if (t > now.getTime()) errors.push({ field, message: 'must not be in the future' });
      else if (t < first.getTime()) errors.push({ field, message: `must not be before the dossier's first event (${toVnIso(first)})` });
    }
  });
  const received = line.history.findIndex((h) => h.type === 'DossierReceived');
  if (typeof line.dueAt === 'string' && received >= 0 && Date.parse(line.dueAt) < (times[received] as Date).getTime()) {
    errors.push({ field: 'dueAt', message: `must not be before the receipt (history[${received}].occurredAt)` });
  }
  return errors;
}

/** When a history entry happened by its own account: the latest time its payload states, else its `occurredAt`. */
function ownTime(h: ImportLine['history'][number]): { ms: number; field: string } {
  let best: { ms: number; field: string } | undefined;
  for (const [key, value] of Object.entries(h.payload ?? {})) {
    if (!EVENT_TIME_FIELD.test(key) || DEADLINE_FIELD.test(key) || typeof value !== 'string') continue;
    const t = Date.parse(value);
    if (!Number.isNaN(t) && (best === undefined || t > best.ms)) best = { ms: t, field: `payload.${key}` };
  }
  return best ?? { ms: Date.parse(h.occurredAt), field: 'occurredAt' };
}

/**
 * The events' own times must follow the history's order (black-box round 8: a `ResultReturned.returnedAt` three weeks
 * before the `DossierResolved.finishedAt` before it, or a resolution dated inside a supplementation round that the
 * history closes later, were imported and counted on those days). Each entry's own time (`ownTime`) may not be
 * before the previous entry's.
 */
function outOfOrderTimes(line: ImportLine, first: Date, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  let prev: { ms: number; i: number; type: string } | undefined;
  line.history.forEach((h, i) => {
    const own = ownTime(h);
    if (own.ms > now.getTime() || own.ms < first.getTime()) return; // impossible on its own: `impossibleTimes` names it
    if (prev && own.ms < prev.ms) {
      errors.push({ field: `history[${i}].${own.field}`, message: `must not be before history[${prev.i}] (${prev.type} at ${toVnIso(new Date(prev.ms))}): the events' own times follow the history's order` });
    }
    if (!prev || own.ms >= prev.ms) prev = { ms: own.ms, i, type: h.type };
  });
  return errors;
}

/** Events that end a pause and may state the legal due date after it (`newDueAt`, ADR 0301). */
const PAUSE_ENDS = new Set(['SupplementReceived', 'ProcessingResumed', 'PaymentCompleted']);

/**
 * The due dates the history states must hold together (black-box round 8: a `DossierResolved.originalDueAt` 15 days
 * after the line's `dueAt`, with no pause in between, turned a late dossier into an early one; a supplement's
 * `newDueAt` before the appointment moved it earlier, so intake, processing and statistics each held another date).
 * From the appointment (`dueAt`, of the line or the calendar's), only a pause moves the legal due date, and only later:
 * a `newDueAt` of a supplement, resumption or payment may not be before the legal due date before it. A
 * `DossierResolved` states the dates of record: its `originalDueAt` is the legal due date, its `dueAt` the appointment
 * in force (moved by an apology too) — exactly, unless a pause ended without stating its `newDueAt`, after which they may
 * only be later than before it.
 */
function dueDateErrors(line: ImportLine, receiptDue: number | null): FieldError[] {
  if (receiptDue === null) return [];
  const errors: FieldError[] = [];
  let legal = receiptDue;
  let appointment = receiptDue;
  let unstated = false;
  const show = (ms: number) => toVnIso(new Date(ms));
  line.history.forEach((h, i) => {
    const p = (h.payload ?? {}) as Record<string, unknown>;
    const at = (k: string): number | undefined => (typeof p[k] === 'string' && !Number.isNaN(Date.parse(p[k] as string)) ? Date.parse(p[k] as string) : undefined);
    if (PAUSE_ENDS.has(h.type)) {
      const next = at('newDueAt');
      if (next === undefined) {
        unstated = true;
        return;
      }
      if (next < legal) errors.push({ field: `history[${i}].payload.newDueAt`, message: `must not be before the legal due date of record ${show(legal)}: a pause only moves it later` });
      else [legal, appointment] = [next, Math.max(next, appointment)];
    } else if (h.type === 'ApologyIssued') {
      const next = at('newDueAt');
      if (next !== undefined) appointment = next;
    } else if (h.type === 'DossierResolved') {
      for (const [k, want] of [['originalDueAt', legal], ['dueAt', appointment]] as const) {
        const got = at(k);
        if (got === undefined || got === want || (unstated && got >= want)) continue;
        errors.push({
          field: `history[${i}].payload.${k}`,
          message: unstated
            ? `must not be before ${show(want)} (the ${k === 'dueAt' ? 'appointment' : 'legal due date'} of record before the pause): a pause only moves it later`
            : `must be ${show(want)}, the ${k === 'dueAt' ? 'appointment in force' : 'legal due date'} of record (the line's dueAt, moved only by a pause's newDueAt${k === 'dueAt' ? ' or an apology' : ''})`,
        });
      }
    }
  });
  return errors;
}

/** The rejected line as kept in `import_rejection.raw`: at most 10,000 characters, a NUL byte shown as U+FFFD. */
function storableRaw(raw: string): string {
  return toStorableText(raw.slice(0, 10_000));
}

/**
 * Reference codes an imported event publishes on the public topic (`DossierWithdrawn.requestRef`,
 * `InterAgencyStep*.stepId`, `feeLines[].code`): like a live withdrawal's `requestRef` (ADR 0308), a reference
 * number, never a name, phone or ID number typed into the old system.
 */
const PUBLISHED_REFERENCE = new RegExp(PUBLIC_REFERENCE_PATTERN, 'u');
const WITHDRAWAL_REFERENCE = new RegExp(WITHDRAWAL_REQUEST_REF_PATTERN, 'u');
const REFERENCE_MESSAGE = 'is published on the public topic: a reference number (letters, digits, . _ / -; no spaces, at most 64 characters), not an ID or phone number';

/** An ISO 8601 date-time with its offset (`Z`, `+00:00`, `+07:00`): a time of the payload. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The payload with every date-time written in Vietnam time (+07:00), the same instants: the file may use `Z` or any
 * offset, the published events use the producers' form (docs/event-contract.md; black-box round 10).
 */
function inVietnamTime<T>(value: T): T {
  if (typeof value === 'string') return (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? toVnIso(new Date(value)) : value) as T;
  if (Array.isArray(value)) return value.map(inVietnamTime) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = inVietnamTime(v);
    return out as T;
  }
  return value;
}

/** The public string fields (path under the payload, value) of a built event's public projection. */
function publicStrings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => publicStrings(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) publicStrings(v, `${path}.${k}`, out);
  return out;
}

/**
 * What an imported history would publish that live intake never does: a component of another procedure (a free
 * code on the public topic), a reference that is not a reference number, or the applicant's own personal data in
 * any field of an event's public projection (a fee line named after the applicant, ...).
 */
function publishedFieldErrors(line: ImportLine, procedure: ProcedureInfo): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set(procedure.components.map((x) => x.code));
  line.history.forEach((h, i) => {
    const p = (h.payload ?? {}) as Record<string, unknown>;
    const field = (k: string) => `history[${i}].payload.${k}`;
    if ((h.type === 'ComponentDigitised' || h.type === 'DataReused') && typeof p['componentCode'] === 'string' && !known.has(p['componentCode'])) {
      errors.push({ field: field('componentCode'), message: `is not a component of procedure ${procedure.code}` });
    }
    const refs = h.type === 'DossierWithdrawn' ? ['requestRef'] : h.type === 'InterAgencyStepStarted' || h.type === 'InterAgencyStepCompleted' ? ['stepId'] : [];
    const pattern = h.type === 'DossierWithdrawn' ? WITHDRAWAL_REFERENCE : PUBLISHED_REFERENCE;
    for (const k of refs) if (typeof p[k] === 'string' && !pattern.test(p[k] as string)) errors.push({ field: field(k), message: REFERENCE_MESSAGE });
    if (h.type === 'FinancialObligationRequested' && Array.isArray(p['feeLines'])) {
      (p['feeLines'] as unknown[]).forEach((f, j) => {
        const code = (f as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && !PUBLISHED_REFERENCE.test(code)) errors.push({ field: field(`feeLines[${j}].code`), message: REFERENCE_MESSAGE });
      });
    }
  });
  return errors;
}

/** Fields of the public projections of a line's events that carry the applicant's personal data. */
function personalDataInPublicFields(line: ImportLine, events: BuiltEvent[]): FieldError[] {
  const personal = applicantFingerprints(line.applicant);
  const errors: FieldError[] = [];
  events.forEach((e, i) => {
    // the base fields (code, unit, procedure) are checked codes: a short ID number may be digits of the code's date
    const { dossierId: _d, receivingUnitId: _u, procedureCode: _p, ...projected } = (e.record.publicEnvelope as { payload: Record<string, unknown> }).payload;
    for (const [path, value] of publicStrings(projected, '')) {
      // any case, NFC or NFD, with or without diacritics and separators (`001.155.009.999`)
      if (holdsApplicantData(value, personal)) errors.push({ field: `history[${i}].payload${path}`, message: "is published on the public topic and must not contain the applicant's personal data" });
    }
  });
  return errors;
}

/** An existing dossier as far as "the same dossier" goes (ADR 0202): procedure, channel, applicant id. */
interface KnownDossier {
  code: string;
  procedureCode: string;
  channel: string;
  idNumber: string | null;
}

/** What makes an existing dossier another dossier than the line's (empty: the same dossier). */
function differences(known: KnownDossier, d: DossierRow): string[] {
  return [
    known.procedureCode !== d.procedureCode ? 'procedure' : undefined,
    known.channel !== d.channel ? 'channel' : undefined,
    known.idNumber !== d.applicant.idNumber ? 'applicant' : undefined,
  ].filter((x): x is string => x !== undefined);
}

/**
 * Two imports of overlapping files (or a file and a live receipt) lock the same dossier codes and daily sequence rows
 * in different orders, and Postgres may end one chunk's transaction with a deadlock (40P01): that chunk rolled
 * back, so it is simply run again (a few times, after a short random pause), instead of failing the import with a 500.
 */
async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 100 * attempt));
    }
  }
}

class LineRejected extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/**
 * Historical import of NDJSON dossiers with their whole history. Each chunk of lines is one transaction:
 * dossiers (ON CONFLICT DO NOTHING), history, outbox rows (events with deterministic ids and
 * `imported: true`), rejected lines and the job's resume point. A job is one file for one scope (the officer's
 * unit, or `admin`; ADR 0205): re-running it resumes after the last committed chunk, a finished job returns its
 * report and changes nothing; another scope gets its own job, and dossiers already imported count as duplicates.
 */
@Injectable()
export class ImportService {
  constructor(
    @Inject(SqlExecutor) private readonly sql: SqlExecutor,
    @Inject(DossierRepository) private readonly repo: DossierRepository,
    @Inject(INTAKE_CATALOGUE) private readonly catalogue: IntakeCatalogue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(lines: AsyncIterable<string> | Iterable<string>, o: ImportOptions): Promise<ImportReport> {
    const scope = importScopeOf(o.officer);
    const jobId = importJobId(o.fileSha256, scope);
    await this.sql.query(
      `INSERT INTO intake.import_job (id, file_sha256, scope, file_name, status, started_by) VALUES ($1, $2, $3, $4, 'RUNNING', $5)
       ON CONFLICT (file_sha256, scope) DO NOTHING`,
      [jobId, o.fileSha256, scope, o.fileName ?? null, o.officer.officerId],
    );
    const job = await this.report(jobId);
    if (!job) throw new Error('import job vanished');
    if (job.status === 'COMPLETED') return job;

    const chunkSize = o.chunkSize ?? 250;
    let lineNo = 0;
    let chunk: { lineNo: number; raw: string }[] = [];
    const flush = async (): Promise<void> => {
      if (chunk.length === 0) return;
      const p = await this.processChunk(jobId, chunk, lineNo + 1, o);
      chunk = [];
      o.onProgress?.(p);
    };
    for await (const raw of lines) {
      lineNo++;
      if (lineNo < job.nextLine) continue;
      chunk.push({ lineNo, raw: lineNo === 1 ? stripBom(raw) : raw });
      if (chunk.length >= chunkSize) {
        await flush();
        if (o.signal?.aborted) return (await this.report(jobId)) as ImportReport;
      }
    }
    await flush();
    await this.sql.query(
      `UPDATE intake.import_job SET status = 'COMPLETED', total_lines = $2, next_line = GREATEST(next_line, $2 + 1), finished_at = now() WHERE id = $1`,
      [jobId, lineNo],
    );
    return (await this.report(jobId)) as ImportReport;
  }

  async report(jobId: string, maxRejections = 100): Promise<ImportReport | undefined> {
    const rows = await this.sql.query<{ id: string; fileSha256: string; scope: ImportScope | null; status: 'RUNNING' | 'COMPLETED'; nextLine: number; totalLines: number | null; imported: number; duplicates: number; rejected: number }>(
      `SELECT id, file_sha256 AS "fileSha256", scope, status, next_line AS "nextLine", total_lines AS "totalLines", imported, duplicates, rejected
         FROM intake.import_job WHERE id = $1`,
      [jobId],
    );
    const j = rows[0];
    if (!j) return undefined;
    return {
      jobId: j.id,
      fileSha256: j.fileSha256,
      scope: j.scope,
      status: j.status,
      nextLine: j.nextLine,
      totalLines: j.totalLines,
      blankLines: j.totalLines === null ? null : Math.max(0, j.totalLines - j.imported - j.duplicates - j.rejected),
      line: j.nextLine - 1,
      imported: j.imported,
      duplicates: j.duplicates,
      rejected: j.rejected,
      rejections: await this.rejections(jobId, maxRejections),
    };
  }

  /** The job's report if `viewer` may read it (its own unit's scope, or admin); undefined as for an unknown job. */
  async reportFor(jobId: string, viewer: ImportingOfficer): Promise<ImportReport | undefined> {
    const r = await this.report(jobId);
    return r && mayReadImportJob(viewer, r.scope) ? r : undefined;
  }

  /**
   * One page of the job's rejected lines (by line number) and how many there are in all, if `viewer` may read the
   * job; undefined for an unknown job or another scope's (GET /imports/{id}/rejections?offset=&limit=).
   */
  async rejectionsPageFor(jobId: string, viewer: ImportingOfficer, page: { offset: number; limit: number }): Promise<{ total: number; rejections: ImportRejection[] } | undefined> {
    const rows = await this.sql.query<{ scope: ImportScope | null; total: number }>(
      `SELECT scope, (SELECT count(*)::int FROM intake.import_rejection r WHERE r.job_id = j.id) AS total FROM intake.import_job j WHERE id = $1`,
      [jobId],
    );
    const job = rows[0];
    if (!job || !mayReadImportJob(viewer, job.scope)) return undefined;
    const rejections = await this.sql.query<ImportRejection>(
      `SELECT line_no AS line, errors FROM intake.import_rejection WHERE job_id = $1 ORDER BY line_no OFFSET $2 LIMIT $3`,
      [jobId, page.offset, page.limit],
    );
    return { total: job.total, rejections };
  }

  /** Rejected lines after line `afterLine`, at most `limit`, by line number (keyset paging: the CLI's full report). */
  async rejectionsAfter(jobId: string, afterLine: number, limit: number): Promise<ImportRejection[]> {
    return this.sql.query<ImportRejection>(
      `SELECT line_no AS line, errors FROM intake.import_rejection WHERE job_id = $1 AND line_no > $2 ORDER BY line_no LIMIT $3`,
      [jobId, afterLine, limit],
    );
  }

  /**
   * The lookup's status time and due dates of an imported dossier, as if intake had consumed its history (its lifecycle
   * consumer passes over intake's own events, imported ones included): the status reached by the last event that
   * changed it, when, and the due dates after the history (black-box round 8: a dossier RETURNED on 26/9 said
   * `statusUpdatedAt` 23/9, its receipt; a supplement's `newDueAt` was not followed).
   */
  private async recordLifecycle(c: PoolClient, built: Built): Promise<void> {
    let status: DossierStatus | null = null;
    let at: Date | null = null;
    const iso = (d: Date | null) => (d === null ? null : d.toISOString());
    const receipt: LifecycleDue = { dueAt: iso(built.dossier.dueAt), originalDueAt: iso(built.dossier.originalDueAt) };
    let due = receipt;
    for (const e of built.events) {
      const next = statusAfter(e.type, status, e.payload);
      if (next !== status) [status, at] = [next, e.occurredAt];
      due = dueAfter(e, due);
    }
    if (status === null || at === null) return;
    await c.query(`UPDATE intake.dossier SET lifecycle_status = $2, lifecycle_updated_at = $3, lifecycle_due = $4 WHERE id = $1`, [
      built.dossier.id,
      status,
      at,
      due === receipt ? null : JSON.stringify(due),
    ]);
  }

  async rejections(jobId: string, limit = 10_000): Promise<ImportRejection[]> {
    const rows = await this.sql.query<ImportRejection>(
      `SELECT line_no AS line, errors FROM intake.import_rejection WHERE job_id = $1 ORDER BY line_no LIMIT $2`,
      [jobId, limit],
    );
    return rows;
  }

  private async processChunk(jobId: string, chunk: { lineNo: number; raw: string }[], nextLine: number, o: ImportOptions): Promise<ImportProgress> {
    const prepared: Prepared[] = [];
    const rejected: { lineNo: number; errors: FieldError[]; raw: string }[] = [];
    for (const { lineNo, raw } of chunk) {
      if (raw.trim() === '') continue;
      try {
        prepared.push(this.prepare(lineNo, raw, o));
      } catch (err) {
        if (err instanceof LineRejected) rejected.push({ lineNo, errors: err.errors, raw: storableRaw(raw) });
        else if (err instanceof ProblemException) rejected.push({ lineNo, errors: err.errors ?? [{ field: 'line', message: err.message }], raw: storableRaw(raw) });
        else throw err;
      }
    }
    const rawOf = new Map(chunk.map((x) => [x.lineNo, storableRaw(x.raw)]));
    return retryOnDeadlock(() => this.sql.tx(async (c) => {
      const job = await c.query<{ nextLine: number }>(`SELECT next_line AS "nextLine" FROM intake.import_job WHERE id = $1 FOR UPDATE`, [jobId]);
      const from = job.rows[0]?.nextLine ?? 1;
      let imported = 0;
      let duplicates = 0;
      const clashes: typeof rejected = [];
      const records: OutboxRecord[] = [];
      for (const p of prepared) {
        if (p.lineNo < from) continue; // a concurrent run already committed this line
        let built: Built = p;
        if (p.assign) {
          // one dossier per old number, whichever job imports it: lock the number, then look it up
          await c.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`intake.import-legacy:${p.assign.legacyCode}`]);
          const known = await c.query<KnownDossier>(
            `SELECT code, procedure_code AS "procedureCode", channel, applicant->>'idNumber' AS "idNumber" FROM intake.dossier WHERE legacy_code = $1`,
            [p.assign.legacyCode],
          );
          const holder = known.rows[0];
          if (holder) {
            // the same dossier imported before; another dossier under the same old number is a clash, not a duplicate
            const differs = differences(holder, p.dossier);
            if (differs.length === 0) duplicates++;
            else clashes.push({ lineNo: p.lineNo, errors: [{ field: 'code', message: `${p.assign.legacyCode} is already the old number of dossier ${holder.code} (different ${differs.join(', ')})` }], raw: rawOf.get(p.lineNo) ?? '' });
            continue;
          }
          // a portal reference held by another dossier: refused before it takes a number of the unit's day
          // (only the reference: the provisional code is no code of this dossier yet)
          const taken = p.dossier.externalRef ? await this.clash(c, { ...p.dossier, code: p.assign.legacyCode }) : undefined;
          if (taken) {
            clashes.push({ lineNo: p.lineNo, errors: [taken], raw: rawOf.get(p.lineNo) ?? '' });
            continue;
          }
          const next = await c.query<{ n: number }>(
            `INSERT INTO intake.dossier_sequence (unit_code, day, last_value) VALUES ($1, $2, 1)
             ON CONFLICT (unit_code, day) DO UPDATE SET last_value = intake.dossier_sequence.last_value + 1 RETURNING last_value AS n`,
            [p.dossier.unitCode, p.day],
          );
          built = p.assign.rebuild(formatDossierCode({ unitCode: p.dossier.unitCode, date: p.day, sequence: (next.rows[0] as { n: number }).n }));
        }
        const inserted = await this.repo.insertGraph(c, built.dossier, built.components, built.events, null);
        if (!inserted) {
          // Already there: the same dossier imported before (a duplicate), or another dossier holding its code or
          // portal reference, which must not silently swallow this one (a rejection naming the field).
          const clash = await this.clash(c, built.dossier);
          if (clash) clashes.push({ lineNo: p.lineNo, errors: [clash], raw: rawOf.get(p.lineNo) ?? '' });
          else duplicates++;
          continue;
        }
        imported++;
        await this.recordLifecycle(c, built);
        if (p.legacy) {
          await c.query(`UPDATE intake.dossier SET legacy_agency_code = $2, legacy_commune_code = $3, legacy_code = $4 WHERE id = $1`, [
            built.dossier.id,
            p.legacy.agencyCode,
            p.legacy.communeCode,
            p.assign?.legacyCode ?? null,
          ]);
        }
        if (!p.assign) await this.repo.raiseSequence(c, p.dossier.unitCode, p.day, p.seq);
        records.push(...built.events.map((e) => e.record));
      }
      await appendToOutbox(c, INTAKE_SCHEMA, records);
      const fresh = [...rejected.filter((r) => r.lineNo >= from), ...clashes].sort((a, b) => a.lineNo - b.lineNo);
      if (fresh.length > 0) {
        await c.query(
          `INSERT INTO intake.import_rejection (job_id, line_no, errors, raw)
           SELECT $1, * FROM unnest($2::int[], $3::jsonb[], $4::text[]) ON CONFLICT DO NOTHING`,
          // a field path may quote a property name of the line (`is not an allowed property`): stored as text Postgres takes
          [jobId, fresh.map((r) => r.lineNo), fresh.map((r) => JSON.stringify(r.errors.map((e) => ({ ...e, field: toStorableText(e.field), message: toStorableText(e.message) })))), fresh.map((r) => r.raw)],
        );
      }
      const r = await c.query<ImportProgress>(
        `UPDATE intake.import_job SET next_line = GREATEST(next_line, $2), imported = imported + $3, duplicates = duplicates + $4,
                rejected = rejected + $5
          WHERE id = $1 RETURNING next_line - 1 AS line, imported, duplicates, rejected`,
        [jobId, nextLine, imported, duplicates, fresh.length],
      );
      return r.rows[0] as ImportProgress;
    }));
  }

  /**
   * Why a dossier that was not inserted is not a duplicate, if it is not: its code belongs to a dossier with another
   * procedure, channel or applicant (imported from another file or system, or received live), or its `externalRef`
   * is the portal reference of another dossier of the unit. Says which, without personal data.
   */
  private async clash(c: PoolClient, d: DossierRow): Promise<FieldError | undefined> {
    const r = await c.query<KnownDossier>(
      `SELECT code, procedure_code AS "procedureCode", channel, applicant->>'idNumber' AS "idNumber" FROM intake.dossier
        WHERE code = $1 OR (unit_id = $2 AND external_ref = $3) ORDER BY (code = $1) DESC LIMIT 1`,
      [d.code, d.unitId, d.externalRef],
    );
    const other = r.rows[0];
    if (!other) return undefined;
    if (other.code !== d.code) {
      return { field: 'externalRef', message: `${d.externalRef} is already the portal reference of dossier ${other.code} of unit ${d.unitCode}` };
    }
    const differs = differences(other, d);
    return differs.length === 0 ? undefined : { field: 'code', message: `${d.code} is already the code of another dossier (different ${differs.join(', ')})` };
  }

  /** Validates one line completely (schema, catalogues, lifecycle) and builds its rows and events. */
  private prepare(lineNo: number, raw: string, o: ImportOptions): Prepared {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new LineRejected([{ field: 'line', message: 'not valid JSON' }]);
    }
    // `[]`, `42`, `null`: the line is at fault (validateBody would name a request `body`, which an import has not)
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new LineRejected([{ field: 'line', message: 'a JSON object is required: one dossier per line' }]);
    }
    const parsed = validateBody<ImportLine>('intake.import-line', IMPORT_LINE_SCHEMA, json);
    // U+0000 / lone surrogates cannot be stored: refuse the line, or its chunk's transaction fails on every run
    const unstorable = unstorableTextFields(parsed);
    if (unstorable.length > 0) throw new LineRejected(unstorable);
    const errors: FieldError[] = [];
    const now = this.clock.now();
    const times = parsed.history.map((h) => new Date(h.occurredAt));
    const first = times[0] as Date;
    // The receiving unit: a 2025 one-stop unit (any date; before its validFrom = history already mapped by the
    // province), or for a receipt before 2025-07-01 the legacy unit, mapped to its 2025 successor (ADR 0206).
    let unitCode = parsed.unitCode;
    /** The unit code is a one-stop unit of the catalogue that may receive this dossier on its date. */
    let unitKnown = false;
    let legacyFailed = false;
    if (parsed.legacyUnit) {
      const oldCode = parsed.legacyUnit.communeCode;
      if (toVnDate(first.getTime()) >= REFORM_DAY) {
        legacyFailed = true;
        errors.push({ field: 'legacyUnit', message: `names a pre-2025 unit, but the dossier was received on or after ${REFORM_DAY}: give the 2025 unitCode` });
      } else {
        const mapped = this.catalogue.legacyUnit(oldCode, first);
        if (!mapped) {
          legacyFailed = true;
          errors.push({ field: 'legacyUnit.communeCode', message: `no pre-2025 commune ${oldCode} in force on ${toVnDate(first.getTime())} (GSO code of the old commune at the receipt date)` });
        } else if (unitCode !== undefined && unitCode !== mapped.unitCode) {
          legacyFailed = true;
          errors.push({ field: 'unitCode', message: `old commune ${oldCode} is recorded under ${mapped.unitCode} (its 2025 successor), not ${unitCode}` });
        } else {
          unitCode = mapped.unitCode;
          unitKnown = true;
        }
      }
    } else if (unitCode === undefined) {
      errors.push({ field: 'unitCode', message: 'is required (or legacyUnit for a dossier received before 2025-07-01)' });
    }
    if (unitCode === undefined) throw new LineRejected(errors);
    const line: ResolvedLine = { ...parsed, unitCode };
    let parts: DossierCodeParts | undefined;
    /** A legacy line's code that is the old system's number: our code is assigned at insert (ADR 0206). */
    let assignCode = false;
    try {
      parts = parseDossierCode(line.code);
      if (parts.unitCode !== line.unitCode) {
        if (line.legacyUnit && parseOneStopUnitCode(parts.unitCode) === undefined) assignCode = true;
        else errors.push({ field: 'code', message: `must start with the unit code ${line.unitCode}${line.legacyUnit ? ' (the 2025 unit this dossier is recorded under), or be the old system\'s number' : ''}` });
      }
    } catch (err) {
      if (!(err instanceof CodeFormatException)) throw err;
      errors.push({ field: 'code', message: err.message });
    }
    if (o.officer.unitId !== line.unitCode && !o.officer.roles.includes('admin')) {
      errors.push({ field: 'unitCode', message: `officer of unit ${o.officer.unitId} may not import dossiers of unit ${line.unitCode}` });
    }
    times.forEach((t, i) => {
      if (t.getTime() > now.getTime()) errors.push({ field: `history[${i}].occurredAt`, message: 'must not be in the future' });
      if (i > 0 && t < (times[i - 1] as Date)) errors.push({ field: `history[${i}].occurredAt`, message: 'history must be in chronological order' });
    });
    if (!unitKnown && !legacyFailed) {
      unitKnown = this.catalogue.importUnit(line.unitCode, first) !== undefined;
      if (!unitKnown) errors.push({ field: 'unitCode', message: `unknown one-stop unit ${line.unitCode}` });
    }
    const procedure = unitKnown ? this.catalogue.procedure(line.procedureCode, first, line.unitCode, line.channel) : undefined;
    if (unitKnown && !procedure) errors.push({ field: 'procedureCode', message: `unknown procedure ${line.procedureCode}` });
    if (procedure) {
      const known = new Set(procedure.components.map((x) => x.code));
      line.components.forEach((x, i) => {
        if (!known.has(x.code)) errors.push({ field: `components[${i}].code`, message: `${x.code} is not a component of procedure ${procedure.code}` });
      });
    }
    // Replay the lifecycle: every event must be allowed from the status it follows.
    let status: DossierStatus | null = null;
    line.history.forEach((h, i) => {
      const rule = EVENT_STATUS.get(h.type);
      if (!rule) {
        errors.push({ field: `history[${i}].type`, message: `unknown lifecycle event ${h.type}` });
        return;
      }
      if (!rule.from.includes(status)) {
        errors.push({ field: `history[${i}].type`, message: `${h.type} is not allowed after ${status ?? 'nothing'}` });
        return;
      }
      if (rule.to !== 'same') status = rule.to;
    });
    errors.push(...impossibleTimes(line, times, now));
    errors.push(...outOfOrderTimes(line, first, now));
    // (an appointment already refused is not checked against the dates that follow it)
    if (procedure && status !== null && !errors.some((e) => e.field === 'dueAt')) {
      const received = line.history.find((h) => h.type === 'DossierReceived');
      const receiptDue = line.dueAt !== undefined ? (line.dueAt === null ? null : Date.parse(line.dueAt)) : received ? (this.catalogue.dueDate(new Date(received.occurredAt), procedure).dueAt?.getTime() ?? null) : null;
      errors.push(...dueDateErrors(line, receiptDue));
    }
    if (procedure) errors.push(...publishedFieldErrors(line, procedure));
    if (errors.length > 0 || !procedure || status === null || !parts) throw new LineRejected(errors);

    const receiptDay = toVnDate(first.getTime());
    const build = (code: string): Built => {
      const coded: ResolvedLine = { ...line, code };
      const comps: ComponentRow[] = line.components.map((x) => ({
        code: x.code,
        name: procedure.components.find((p) => p.code === x.code)?.name ?? x.code,
        copies: x.copies ?? 1,
        digitised: x.digitised ?? false,
        reused: x.reused ?? false,
        fromRepository: x.fromRepository ?? false,
        fileRef: x.fileRef ?? null,
        recordedAt: first,
        recordedBy: null,
      }));
      const dossier: DossierRow = {
        id: uuidV5(`dossier:${code}`),
        code,
        unitId: line.unitCode,
        unitCode: line.unitCode,
        procedureCode: procedure.code,
        procedureVersion: procedure.version ?? null,
        channel: line.channel,
        status: status as DossierStatus,
        applicant: line.applicant,
        externalRef: line.externalRef ?? null,
        submittedAt: null,
        receivedAt: null,
        rejectedAt: null,
        rejectionReason: null,
        dueAt: null,
        originalDueAt: null,
        dueExplanation: null,
        timeLimit: procedure.timeLimit,
        receivedBy: null,
        imported: true,
      };
      // the old system's number, when ours is assigned (ADR 0206): carried by the DossierReceived event
      const legacyCode = assignCode ? line.code : undefined;
      const events = line.history.map((h, i) => this.historyEvent(coded, h, i, dossier, procedure, comps, o.fileSha256, legacyCode));
      return { dossier, components: comps, events };
    };
    const checked = (b: Built): Built => {
      const leaks = personalDataInPublicFields(line, b.events);
      if (leaks.length > 0) throw new LineRejected(leaks);
      return b;
    };
    if (assignCode) {
      // built once with a provisional code so that a payload error rejects the line now, not in the transaction
      const provisional = checked(build(formatDossierCode({ unitCode: line.unitCode, date: receiptDay, sequence: 1 })));
      return { lineNo, legacy: line.legacyUnit ?? null, ...provisional, assign: { legacyCode: line.code, rebuild: build }, seq: 0, day: receiptDay };
    }
    return { lineNo, legacy: line.legacyUnit ?? null, ...checked(build(line.code)), assign: null, seq: parts.sequence, day: parts.date };
  }

  private historyEvent(
    line: ResolvedLine,
    h: ResolvedLine['history'][number],
    i: number,
    d: DossierRow,
    procedure: ProcedureInfo,
    comps: ComponentRow[],
    sha: string,
    legacyCode?: string,
  ): BuiltEvent {
    const at = new Date(h.occurredAt);
    const base = { dossierId: line.code, receivingUnitId: line.unitCode, procedureCode: procedure.code };
    const meta = { occurredAt: at, correlationId: `import-${sha.slice(0, 16)}`, id: uuidV5(`${line.code}#${i}`), imported: true };
    const build = <T extends EventTypeV1>(type: T, payload: PayloadOfV1<T>): BuiltEvent => {
      try {
        return buildEvent(type, payload, meta);
      } catch (err) {
        if (err instanceof EventValidationException) {
          throw new LineRejected([{ field: `history[${i}].payload${err.path.replace(/^\$(\.payload)?/, '')}`, message: err.reason }]);
        }
        throw err;
      }
    };
    switch (h.type) {
      case 'DossierSubmitted':
        d.submittedAt = at;
        return build('DossierSubmitted', { ...base, submittedAt: toVnIso(at), channel: line.channel as Channel, applicantType: line.applicant.type, sectorCode: procedure.sectorCode, applicant: applicantPayload(line.applicant) });
      case 'DossierReceived': {
        const due = line.dueAt !== undefined ? { dueAt: line.dueAt === null ? null : new Date(line.dueAt), explanation: [ORIGINAL_RECEIPT_DUE_NOTE_EN] } : this.catalogue.dueDate(at, procedure);
        d.receivedAt = at;
        d.dueAt = due.dueAt;
        d.originalDueAt = due.dueAt;
        d.dueExplanation = due.explanation;
        d.receivedBy = h.actor ?? null;
        if (line.channel === Channel.Direct && !d.submittedAt) d.submittedAt = at;
        return build(
          'DossierReceived',
          receivedPayload(this.catalogue, procedure, {
            dossierId: line.code,
            unitCode: line.unitCode,
            receivedAt: at,
            submittedAt: d.submittedAt ?? null,
            channel: line.channel as Channel,
            dueAt: due.dueAt,
            originalDueAt: due.dueAt,
            applicant: line.applicant,
            components: comps,
            ...(legacyCode ? { legacyCode } : {}),
          }),
        );
      }
      case 'DossierIntakeRejected':
        if (!h.reason) throw new LineRejected([{ field: `history[${i}].reason`, message: 'is required for DossierIntakeRejected' }]);
        d.rejectedAt = at;
        d.rejectionReason = h.reason;
        return build('DossierIntakeRejected', { ...base, rejectedAt: toVnIso(at), reason: h.reason });
      case 'ProcessingResumed':
        // live POST /resumptions publishes `reason: 'resumed'` when none is given: an imported resumption may omit it too
        return build('ProcessingResumed', { reason: 'resumed', ...inVietnamTime(h.payload ?? {}), ...base } as never);
      default:
        return build(h.type as EventTypeV1, { ...inVietnamTime(h.payload ?? {}), ...base } as never);
    }
  }
}
