import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { toVnIsoString, type ApplicantMarks } from '@onestop/contracts';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';

/** A `processing.dossier` row as Postgres returns it. */
export interface DossierRow {
  id: string;
  code: string;
  procedure_code: string;
  unit_id: string;
  agency_id: string;
  officer_id: string | null;
  status: string;
  channel: string | null;
  supplement_policy: string;
  time_limit: { value: number; unit: string } | null;
  received_at: Date;
  due_at: Date | null;
  original_due_at: Date | null;
  applicant_marks: ApplicantMarks | null;
  paused_at: Date | null;
  pause_kind: string | null;
  supplement_count: number;
  finished_at: Date | null;
  version: number;
  updated_at: Date;
}

export type DossierPatch = Partial<Omit<DossierRow, 'id' | 'version' | 'updated_at'>>;

export interface NewDossier {
  id: string;
  procedureCode: string;
  unitId: string;
  agencyId: string;
  status: string;
  channel: string | null;
  supplementPolicy: string;
  timeLimit: { value: number; unit: string } | null;
  receivedAt: Date;
  dueAt: Date | null;
  originalDueAt: Date | null;
  applicantMarks: ApplicantMarks | null;
}

/** API answers show instants in Asia/Ho_Chi_Minh (`…+07:00`), as intake and result do (domain.md §1.4). */
/** The dossier's clock is stopped: paused, and the pause began on or before its legal due day (Vietnam dates). */
const CLOCK_STOPPED = `(d.paused_at IS NOT NULL AND (d.paused_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= (COALESCE(d.original_due_at, d.due_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)`;

const iso = (d: Date | null | undefined): string | null => (d ? toVnIsoString(d) : null);

/** All SQL on processing.dossier and its child tables. */
@Injectable()
export class DossierRepository {
  constructor(@Inject(PROCESSING_CONFIG) private readonly cfg: ProcessingConfig) {}

  private get t(): string {
    return `"${this.cfg.schema}".dossier`;
  }

  async find(m: EntityManager, id: string): Promise<DossierRow | undefined> {
    if (id.includes('\u0000')) return undefined; // no stored id has one; Postgres rejects it in text (was 500)
    const rows: DossierRow[] = await m.query(`SELECT * FROM ${this.t} WHERE id = $1`, [id]);
    return rows[0];
  }

  async lock(m: EntityManager, id: string): Promise<DossierRow | undefined> {
    if (id.includes('\u0000')) return undefined;
    const rows: DossierRow[] = await m.query(`SELECT * FROM ${this.t} WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0];
  }

  /** Inserts a dossier first seen in a DossierReceived event; false when it already existed. */
  async insert(m: EntityManager, d: NewDossier): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO ${this.t} (id, code, procedure_code, unit_id, agency_id, status, channel, supplement_policy,
                              time_limit, received_at, due_at, original_due_at, applicant_marks)
       VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        d.id,
        d.procedureCode,
        d.unitId,
        d.agencyId,
        d.status,
        d.channel,
        d.supplementPolicy,
        d.timeLimit == null ? null : JSON.stringify(d.timeLimit),
        d.receivedAt,
        d.dueAt,
        d.originalDueAt,
        d.applicantMarks === null ? null : JSON.stringify(d.applicantMarks),
      ],
    );
    return rows.length > 0;
  }

  async update(m: EntityManager, id: string, patch: DossierPatch): Promise<void> {
    const keys = Object.keys(patch) as (keyof DossierPatch)[];
    if (keys.length === 0) return;
    const sets = keys.map((k, i) => `${k} = $${i + 2}`);
    const values = keys.map((k) => {
      const v = patch[k];
      return k === 'time_limit' && v != null ? JSON.stringify(v) : v;
    });
    await m.query(`UPDATE ${this.t} SET ${sets.join(', ')} WHERE id = $1`, [id, ...values]);
  }

  async touch(m: EntityManager, id: string, now: Date): Promise<void> {
    await m.query(`UPDATE ${this.t} SET version = version + 1, updated_at = $2 WHERE id = $1`, [id, now]);
  }

  async details(m: EntityManager, id: string) {
    const S = `"${this.cfg.schema}"`;
    const [steps, pauses, dueDates] = await Promise.all([
      m.query(
        `SELECT id, agency_id, description, started_at, due_at, completed_at, outcome
           FROM ${S}.inter_agency_step WHERE dossier_id = $1 ORDER BY started_at, id`,
        [id],
      ) as Promise<{ id: string; agency_id: string; description: string | null; started_at: Date; due_at: Date; completed_at: Date | null; outcome: string | null }[]>,
      m.query(`SELECT kind, reason, started_at, ended_at FROM ${S}.pause_interval WHERE dossier_id = $1 ORDER BY id`, [id]) as Promise<
        { kind: string; reason: string | null; started_at: Date; ended_at: Date | null }[]
      >,
      m.query(
        `SELECT changed_at, previous_due_at, new_due_at, cause FROM ${S}.due_date_change WHERE dossier_id = $1 ORDER BY id`,
        [id],
      ) as Promise<{ changed_at: Date; previous_due_at: Date | null; new_due_at: Date | null; cause: string }[]>,
    ]);
    return {
      interAgencySteps: steps.map((s) => ({
        stepId: s.id,
        agencyId: s.agency_id,
        description: s.description,
        startedAt: iso(s.started_at),
        dueAt: iso(s.due_at),
        completedAt: iso(s.completed_at),
        outcome: s.outcome,
      })),
      pauses: pauses.map((p) => ({ kind: p.kind, reason: p.reason, startedAt: iso(p.started_at), endedAt: iso(p.ended_at) })),
      dueDateHistory: dueDates.map((c) => ({
        changedAt: iso(c.changed_at),
        previousDueAt: iso(c.previous_due_at),
        newDueAt: iso(c.new_due_at),
        cause: c.cause,
      })),
    };
  }

  toView(d: DossierRow) {
    return {
      dossierId: d.id,
      procedureCode: d.procedure_code,
      receivingUnitId: d.unit_id,
      agencyId: d.agency_id,
      officerId: d.officer_id,
      status: d.status,
      channel: d.channel,
      supplementPolicy: d.supplement_policy,
      timeLimit: d.time_limit,
      receivedAt: iso(d.received_at),
      dueAt: iso(d.due_at),
      originalDueAt: iso(d.original_due_at),
      pausedAt: iso(d.paused_at),
      pauseKind: d.pause_kind,
      supplementCount: d.supplement_count,
      finishedAt: iso(d.finished_at),
      version: d.version,
    };
  }

  /**
   * The open dossiers of an agency (and optionally one officer): overdue first (a dossier paused after its legal due
   * DAY is overdue, not paused: such a pause stops no clock, ADR 0101 and the domain's `pauseStopsClock`), then due soon, then the
   * rest by due date; dossiers without a due date last.
   */
  async workQueue(
    m: EntityManager,
    q: { agencyId: string; officerId?: string; now: Date; dueSoonBefore: Date; openStatuses: string[]; limit: number },
  ): Promise<(DossierRow & { urgency: string })[]> {
    return m.query(
      `SELECT d.*,
              CASE WHEN d.due_at IS NULL THEN 'NO_DEADLINE'
                   WHEN ${CLOCK_STOPPED} THEN 'PAUSED'
                   WHEN d.due_at < $3 THEN 'OVERDUE'
                   WHEN d.due_at <= $4 THEN 'DUE_SOON'
                   ELSE 'ON_TRACK' END AS urgency
         FROM ${this.t} d
        WHERE (d.agency_id = $1 OR d.unit_id = $1)
          AND ($2::text IS NULL OR d.officer_id = $2)
          AND d.status = ANY($5::text[])
        ORDER BY CASE WHEN d.due_at IS NULL THEN 4
                      WHEN ${CLOCK_STOPPED} THEN 3
                      WHEN d.due_at < $3 THEN 0
                      WHEN d.due_at <= $4 THEN 1
                      ELSE 2 END,
                 d.due_at NULLS LAST, d.id
        LIMIT $6`,
      [q.agencyId, q.officerId ?? null, q.now, q.dueSoonBefore, q.openStatuses, q.limit],
    );
  }
}
