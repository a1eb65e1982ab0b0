import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { toVnIsoString, type ApplicantMarks } from '@onestop/contracts';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';
import type { ClockHistory } from './result.entities';

export interface ResultDossierRow {
  id: string;
  procedure_code: string;
  unit_id: string;
  agency_id: string;
  status: string;
  received_at: Date;
  due_at: Date | null;
  original_due_at: Date | null;
  time_limit: { value: number; unit: string } | null;
  supplement_policy: string;
  paper_result_required: boolean;
  fee_required: boolean;
  clock_history: ClockHistory;
  applicant_marks: ApplicantMarks | null;
  updated_at: Date;
}

export type ResultDossierPatch = Partial<Omit<ResultDossierRow, 'id' | 'updated_at'>>;

const iso = (d: Date | null | undefined): string | null => (d ? toVnIsoString(d) : null);

/** All SQL of result-service. */
@Injectable()
export class ResultDossierRepository {
  constructor(@Inject(RESULT_CONFIG) private readonly cfg: ResultConfig) {}

  private get S(): string {
    return `"${this.cfg.schema}"`;
  }

  async find(m: EntityManager, id: string, lock = false): Promise<ResultDossierRow | undefined> {
    if (id.includes('\u0000')) return undefined; // no stored id has one; Postgres rejects it in text (was 500)
    const rows: ResultDossierRow[] = await m.query(`SELECT * FROM ${this.S}.dossier WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0];
  }

  async insert(m: EntityManager, d: Omit<ResultDossierRow, 'updated_at' | 'clock_history'>): Promise<void> {
    await m.query(
      `INSERT INTO ${this.S}.dossier (id, procedure_code, unit_id, agency_id, status, received_at, due_at, original_due_at,
                                      time_limit, supplement_policy, paper_result_required, fee_required, clock_history, applicant_marks)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '{"pauses":[],"apologies":[]}', $13) ON CONFLICT (id) DO NOTHING`,
      [
        d.id,
        d.procedure_code,
        d.unit_id,
        d.agency_id,
        d.status,
        d.received_at,
        d.due_at,
        d.original_due_at,
        d.time_limit == null ? null : JSON.stringify(d.time_limit),
        d.supplement_policy,
        d.paper_result_required,
        d.fee_required,
        d.applicant_marks === null ? null : JSON.stringify(d.applicant_marks),
      ],
    );
  }

  async update(m: EntityManager, id: string, patch: ResultDossierPatch, now: Date): Promise<void> {
    const keys = Object.keys(patch) as (keyof ResultDossierPatch)[];
    const sets = keys.map((k, i) => `${k} = $${i + 3}`);
    const values = keys.map((k) => {
      const v = patch[k];
      return (k === 'time_limit' || k === 'clock_history') && v != null ? JSON.stringify(v) : v;
    });
    await m.query(`UPDATE ${this.S}.dossier SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1`, [id, now, ...values]);
  }

  /** Records an inter-agency step started (or completed) in processing; a replay changes nothing. */
  async upsertInterAgencyStep(
    m: EntityManager,
    step: { dossierId: string; stepId: string; agencyCode: string; startedAt?: Date; completedAt?: Date },
  ): Promise<void> {
    await m.query(
      `INSERT INTO ${this.S}.inter_agency_step (dossier_id, step_id, agency_code, started_at, completed_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT inter_agency_step_pkey DO UPDATE SET agency_code = EXCLUDED.agency_code,
         started_at = COALESCE(${this.S}.inter_agency_step.started_at, EXCLUDED.started_at),
         completed_at = COALESCE(${this.S}.inter_agency_step.completed_at, EXCLUDED.completed_at)`,
      [step.dossierId, step.stepId, step.agencyCode, step.startedAt ?? null, step.completedAt ?? null],
    );
  }

  /** Agency codes of the dossier's inter-agency steps not completed yet, in start order. */
  async openInterAgencySteps(m: EntityManager, id: string): Promise<string[]> {
    const rows: { agency_code: string }[] = await m.query(
      `SELECT agency_code FROM ${this.S}.inter_agency_step WHERE dossier_id = $1 AND completed_at IS NULL ORDER BY started_at, step_id`,
      [id],
    );
    return rows.map((r) => r.agency_code);
  }

  async view(m: EntityManager, d: ResultDossierRow) {
    const [result, fees, payments, ret, rating, steps] = await Promise.all([
      m.query(`SELECT * FROM ${this.S}.result WHERE dossier_id = $1`, [d.id]) as Promise<
        { kind: string; legally_valid: boolean; file_url: string | null; result_code: string | null; resolved_at: Date; resolved_by: string }[]
      >,
      m.query(`SELECT code, name, amount, collection_stage, exempt, payment_id FROM ${this.S}.fee_line WHERE dossier_id = $1 ORDER BY id`, [d.id]) as Promise<
        { code: string; name: string; amount: string; collection_stage: string; exempt: boolean; payment_id: string | null }[]
      >,
      m.query(`SELECT * FROM ${this.S}.payment WHERE dossier_id = $1 ORDER BY paid_at`, [d.id]) as Promise<
        { id: string; method: string; paid_online: boolean; gateway: string | null; amount: string; reference: string | null; paid_at: Date }[]
      >,
      m.query(`SELECT * FROM ${this.S}.result_return WHERE dossier_id = $1`, [d.id]) as Promise<
        { mode: string; address: string | null; tracking_code: string | null; returned_at: Date }[]
      >,
      m.query(`SELECT * FROM ${this.S}.rating WHERE dossier_id = $1`, [d.id]) as Promise<{ rating: string; comment: string | null; rated_at: Date }[]>,
      m.query(`SELECT * FROM ${this.S}.inter_agency_step WHERE dossier_id = $1 ORDER BY started_at, step_id`, [d.id]) as Promise<
        { step_id: string; agency_code: string; started_at: Date | null; completed_at: Date | null }[]
      >,
    ]);
    const r = result[0];
    const back = ret[0];
    const rate = rating[0];
    return {
      dossierId: d.id,
      procedureCode: d.procedure_code,
      receivingUnitId: d.unit_id,
      agencyId: d.agency_id,
      status: d.status,
      receivedAt: iso(d.received_at),
      dueAt: iso(d.due_at),
      originalDueAt: iso(d.original_due_at),
      paperResultRequired: d.paper_result_required,
      result: r
        ? { kind: r.kind, legallyValid: r.legally_valid, fileUrl: r.file_url, resultCode: r.result_code, resolvedAt: iso(r.resolved_at), resolvedBy: r.resolved_by }
        : null,
      feeLines: fees.map((f) => ({
        code: f.code,
        name: f.name,
        amount: Number(f.amount),
        collectedAt: f.collection_stage,
        exempt: f.exempt,
        /** The payment that settled the line; null while it is outstanding. */
        paymentId: f.payment_id,
      })),
      payments: payments.map((p) => ({
        paymentId: p.id,
        method: p.method,
        paidOnline: p.paid_online,
        gateway: p.gateway,
        amount: Number(p.amount),
        reference: p.reference,
        paidAt: iso(p.paid_at),
      })),
      return: back ? { mode: back.mode, address: back.address, trackingCode: back.tracking_code, returnedAt: iso(back.returned_at) } : null,
      rating: rate ? { rating: rate.rating, comment: rate.comment, ratedAt: iso(rate.rated_at) } : null,
      interAgencySteps: steps.map((s) => ({ stepId: s.step_id, agencyCode: s.agency_code, startedAt: iso(s.started_at), completedAt: iso(s.completed_at) })),
    };
  }
}
