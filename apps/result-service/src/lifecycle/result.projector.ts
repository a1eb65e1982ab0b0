import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { applicantMarks, applicantMarksKey, DossierStatus, toVnIsoString, type DossierEventV1, type EventOfTypeV1 } from '@onestop/contracts';
import { isSettledStatus, statusAfterConsumedEvent } from '@onestop/domain';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';
import { ResultDossierRepository, type ResultDossierRow } from '../dossiers/result-dossier.repository';
import { ResultsService } from '../dossiers/results.service';

type PauseKind = 'SUPPLEMENT' | 'PAYMENT' | 'SUSPENSION';

/**
 * The contract's free text and codes may hold U+0000, which Postgres cannot store in text/jsonb: such a valid event
 * (a fee line name, a rating comment, a result code from the import) failed its batch on every retry and stalled
 * every later event of the partition. NUL characters are dropped before the event is applied.
 */
function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.split('\u0000').join('') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v)])) as T;
  }
  return value;
}

/**
 * Builds result-service's view of each dossier from the lifecycle events of intake and processing: status,
 * competent agency, due dates (receipt, supplementation, apology, pauses recomputed with the domain
 * calculator), the fee lines of a financial obligation and the inter-agency steps (open ones block the
 * result). One transaction per batch; event ids are claimed in processed_event first, so redelivery changes
 * nothing. Its own events are applied by its commands.
 */
/** processing-service's events that change a dossier's status in this view (or pause its clock). */
const PROCESSING_PHASE_EVENTS: ReadonlySet<string> = new Set([
  'DossierTransferred',
  'InterAgencyStepStarted',
  'InterAgencyStepCompleted',
  'SupplementRequested',
  'SupplementReceived',
  'FinancialObligationRequested',
  'ProcessingSuspended',
  'ProcessingResumed',
  'DossierRefused',
  'DossierWithdrawn',
]);

@Injectable()
export class ResultProjector {
  private readonly log = new Logger(ResultProjector.name);

  constructor(
    private readonly ds: DataSource,
    private readonly repo: ResultDossierRepository,
    private readonly results: ResultsService,
    @Inject(RESULT_CONFIG) private readonly cfg: ResultConfig,
  ) {}

  async applyBatch(events: readonly DossierEventV1[]): Promise<void> {
    if (events.length === 0) return;
    await this.ds.transaction(async (m) => {
      const claimed: { event_id: string }[] = await m.query(
        `INSERT INTO "${this.cfg.schema}".processed_event (event_id, type)
         SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [events.map((e) => e.id), events.map((e) => e.type)],
      );
      const fresh = new Set(claimed.map((r) => r.event_id));
      for (const e of events) {
        if (!fresh.delete(e.id) || e.producer === this.cfg.service) continue;
        await this.apply(m, JSON.stringify(e.payload).includes('\\u0000') ? withoutNul(e) : e);
      }
    });
  }

  private async apply(m: EntityManager, e: DossierEventV1): Promise<void> {
    if (e.type === 'DossierReceived') {
      const p = e.payload;
      await this.repo.insert(m, {
        id: p.dossierId,
        procedure_code: p.procedureCode,
        unit_id: p.receivingUnitId,
        agency_id: p.resolvingUnitId,
        status: DossierStatus.Received,
        received_at: new Date(p.receivedAt),
        due_at: p.dueAt ? new Date(p.dueAt) : null,
        original_due_at: p.originalDueAt ? new Date(p.originalDueAt) : p.dueAt ? new Date(p.dueAt) : null,
        time_limit: { value: p.timeLimit.value, unit: p.timeLimit.unit },
        supplement_policy: p.supplementPolicy,
        paper_result_required: p.paperResultRequired,
        fee_required: p.feeRequired,
        // keyed marks only: a published resultCode holding the applicant's data is refused (ADR 0309, amendment round 8)
        applicant_marks: p.applicant ? applicantMarks(p.applicant, applicantMarksKey(this.cfg.jwtSecret)) : null,
      });
      return;
    }
    const d = await this.repo.find(m, e.payload.dossierId, true);
    if (!d) {
      this.log.warn(`${e.type} ${e.id} for a dossier not received here: ${e.payload.dossierId}`);
      return;
    }
    const at = new Date(e.occurredAt);
    if (PROCESSING_PHASE_EVENTS.has(e.type) && isSettledStatus(d.status as DossierStatus) && statusAfterConsumedEvent(e.type, d.status as DossierStatus) === d.status) {
      // processing's command crossed this service's outcome (or a withdrawal/refusal already applied): the view keeps
      // its status, so the dossier is not left IN_PROCESS with no action (ADR 0300 amendment); records are kept
      this.log.warn(`${e.type} ${e.id} arrived after dossier ${d.id} was ${d.status}: status kept`);
      if (e.type === 'InterAgencyStepStarted' || e.type === 'InterAgencyStepCompleted') return this.recordStep(m, d.id, e);
      if (e.type === 'FinancialObligationRequested') return this.recordFeeLines(m, d.id, e);
      return;
    }
    switch (e.type) {
      case 'DossierTransferred':
        return this.repo.update(m, d.id, { status: DossierStatus.InProcess, agency_id: e.payload.agencyCode }, at);
      case 'InterAgencyStepStarted':
        await this.recordStep(m, d.id, e);
        return this.repo.update(m, d.id, { status: DossierStatus.InProcess }, at);
      case 'InterAgencyStepCompleted':
        return this.recordStep(m, d.id, e);
      case 'SupplementRequested':
        return this.pause(m, d, 'SUPPLEMENT', e.payload.requestedAt, DossierStatus.SupplementRequested);
      case 'SupplementReceived': {
        const history = this.closePause(d, 'SUPPLEMENT', e.payload.receivedAt);
        const due = e.payload.newDueAt ? new Date(e.payload.newDueAt) : d.due_at;
        return this.repo.update(m, d.id, { status: DossierStatus.InProcess, clock_history: history, due_at: due, original_due_at: due }, at);
      }
      case 'FinancialObligationRequested': {
        await this.recordFeeLines(m, d.id, e);
        // Nothing to pay (exempt applicant, or lines totalling 0): processing keeps the dossier IN_PROCESS with its
        // clock running (ADR 0306), so no payment pause here either; the lines are kept, marked exempt.
        if (e.payload.exempt || e.payload.totalAmount <= 0) return;
        return this.pause(m, d, 'PAYMENT', e.payload.requestedAt, DossierStatus.AwaitingPayment);
      }
      case 'ProcessingSuspended':
        return this.pause(m, d, 'SUSPENSION', e.payload.at, DossierStatus.Suspended);
      case 'ProcessingResumed':
        await this.results.resumeClock(m, d, new Date(e.payload.at), 'SUSPENSION', e.payload.newDueAt);
        return;
      case 'ApologyIssued': {
        const history = { ...d.clock_history, apologies: [...d.clock_history.apologies, { issuedAt: e.payload.issuedAt, newDueAt: e.payload.newDueAt }] };
        return this.repo.update(m, d.id, { clock_history: history, due_at: new Date(e.payload.newDueAt) }, at);
      }
      case 'DossierDueSoon':
      case 'DossierOverdue':
        // the watcher checks the due date in force: keep ours aligned with processing's
        return this.repo.update(m, d.id, { due_at: new Date(e.payload.dueAt) }, at);
      case 'DossierRefused':
        return this.repo.update(m, d.id, { status: DossierStatus.Refused }, at);
      case 'DossierWithdrawn':
        return this.repo.update(m, d.id, { status: DossierStatus.Withdrawn }, at);
      // result-service's own event types from another producer: the historical import of intake-service republishes a
      // dossier's past (imported: true). The view follows them like any fact (ADR 0300), so an imported dossier already
      // resolved, paid, returned or rated is not offered `resolve` (a second DossierResolved) or `rate` again (ADR 0308).
      case 'DossierResolved': {
        const q = e.payload;
        await m.query(
          `INSERT INTO "${this.cfg.schema}".result (dossier_id, kind, legally_valid, file_url, result_code, resolved_at, resolved_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dossier_id) DO NOTHING`,
          [d.id, q.eResult.issued ? 'ELECTRONIC' : 'PAPER', q.eResult.legallyValid, q.eResult.link ?? null, q.resultCode ?? null, new Date(q.finishedAt), e.producer],
        );
        if (d.status === DossierStatus.Returned) return;
        return this.repo.update(m, d.id, { status: DossierStatus.Resolved, clock_history: this.closeAll(d, q.finishedAt) }, at);
      }
      case 'ResultReturned':
        await m.query(
          `INSERT INTO "${this.cfg.schema}".result_return (dossier_id, mode, returned_at, recorded_by) VALUES ($1, $2, $3, $4) ON CONFLICT (dossier_id) DO NOTHING`,
          [d.id, e.payload.deliveryMode, new Date(e.payload.returnedAt), e.producer],
        );
        return this.repo.update(m, d.id, { status: DossierStatus.Returned }, at);
      case 'DossierRated':
        await m.query(`INSERT INTO "${this.cfg.schema}".rating (dossier_id, rating, comment, rated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (dossier_id) DO NOTHING`, [
          d.id,
          e.payload.rating,
          e.payload.comment ?? null,
          new Date(e.payload.ratedAt),
        ]);
        return;
      case 'PaymentCompleted': {
        const q = e.payload;
        const paymentId = randomUUID();
        await m.query(
          `INSERT INTO "${this.cfg.schema}".payment (id, dossier_id, method, paid_online, gateway, amount, reference, paid_at, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8)`,
          [paymentId, d.id, q.method, q.paidOnline, q.gateway ?? null, q.amount, new Date(q.paidAt), e.producer],
        );
        await m.query(`UPDATE "${this.cfg.schema}".fee_line SET payment_id = $2 WHERE dossier_id = $1 AND payment_id IS NULL`, [d.id, paymentId]);
        if (d.status === DossierStatus.AwaitingPayment) await this.results.resumeClock(m, d, new Date(q.paidAt), 'PAYMENT', q.newDueAt);
        return;
      }
      default:
        return;
    }
  }

  private async recordStep(m: EntityManager, dossierId: string, e: EventOfTypeV1<'InterAgencyStepStarted'> | EventOfTypeV1<'InterAgencyStepCompleted'>): Promise<void> {
    const q = e.payload;
    const at = new Date(q.at);
    await this.repo.upsertInterAgencyStep(m, { dossierId, stepId: q.stepId, agencyCode: q.agencyCode, ...(e.type === 'InterAgencyStepStarted' ? { startedAt: at } : { completedAt: at }) });
  }

  /**
   * A new obligation's lines are outstanding; one naming a code already paid re-opens that line with the new amount
   * (the earlier payment keeps what it settled) (ADR 0308).
   */
  private async recordFeeLines(m: EntityManager, dossierId: string, e: EventOfTypeV1<'FinancialObligationRequested'>): Promise<void> {
    for (const l of e.payload.feeLines) {
      await m.query(
        `INSERT INTO "${this.cfg.schema}".fee_line (dossier_id, code, name, amount, collection_stage, exempt)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ON CONSTRAINT fee_line_once DO UPDATE SET name = EXCLUDED.name, amount = EXCLUDED.amount,
           collection_stage = EXCLUDED.collection_stage, exempt = EXCLUDED.exempt, payment_id = NULL`,
        [dossierId, l.code, l.name, l.amount, l.collectedAt, e.payload.exempt],
      );
    }
  }

  /** Closes every open pause at `end` (processing is over). */
  private closeAll(d: ResultDossierRow, end: string) {
    return { ...d.clock_history, pauses: d.clock_history.pauses.map((p) => (p.end ? p : { ...p, end })) };
  }

  private closePause(d: ResultDossierRow, kind: PauseKind, end: string) {
    // never before the pause's start (an imported receipt dated earlier): see ResultsService.resumeClock
    const close = (start: string) => (Date.parse(end) < Date.parse(start) ? start : end);
    return { ...d.clock_history, pauses: d.clock_history.pauses.map((p) => (p.kind === kind && !p.end ? { ...p, end: close(p.start) } : p)) };
  }

  private async pause(m: EntityManager, d: ResultDossierRow, kind: PauseKind, start: string, status: DossierStatus): Promise<void> {
    const history = { ...d.clock_history, pauses: [...d.clock_history.pauses, { kind, start: toVnIsoString(new Date(start)) }] };
    await this.repo.update(m, d.id, { status, clock_history: history }, new Date(start));
  }
}
