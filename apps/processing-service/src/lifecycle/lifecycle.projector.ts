import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { applicantMarks, applicantMarksKey, DossierStatus, type DossierEventV1, type EventOfTypeV1 } from '@onestop/contracts';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';
import { rescheduleDeadlines } from '../deadlines/deadline-schedule';
import { DossierRepository } from '../dossiers/dossier.repository';
import { DossiersService } from '../dossiers/dossiers.service';
import { PauseKind } from '../dossiers/dossier-status';

/**
 * Applies consumed lifecycle events to the processing schema. One transaction per batch: the event ids are
 * claimed in `processed_event` first and only the newly claimed events are applied, so a redelivered batch
 * changes nothing. Processing learns a dossier from DossierReceived (intake) and follows result-service's
 * facts (payment, resolution, return); its own events are already applied by the command that produced them.
 */
/** processing's own event types that another producer (intake's historical import) may publish: `history` follows them. */
const HISTORY_TYPES: ReadonlySet<string> = new Set([
  'DossierRefused',
  'DossierWithdrawn',
  'DossierTransferred',
  'SupplementRequested',
  'SupplementReceived',
  'ProcessingResumed',
  'ProcessingSuspended',
  'FinancialObligationRequested',
  'ApologyIssued',
]);
const FINISHED: ReadonlySet<string> = new Set([DossierStatus.Refused, DossierStatus.Withdrawn, DossierStatus.Resolved, DossierStatus.Returned]);

@Injectable()
export class LifecycleProjector {
  private readonly log = new Logger(LifecycleProjector.name);

  constructor(
    private readonly ds: DataSource,
    private readonly repo: DossierRepository,
    private readonly dossiers: DossiersService,
    @Inject(PROCESSING_CONFIG) private readonly cfg: ProcessingConfig,
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
        if (!fresh.has(e.id)) continue;
        fresh.delete(e.id); // the same id twice in one batch applies once
        await this.apply(m, e);
      }
    });
  }

  private async apply(m: EntityManager, e: DossierEventV1): Promise<void> {
    if (e.producer === this.cfg.service) return;
    switch (e.type) {
      case 'DossierReceived':
        return this.received(m, e);
      case 'PaymentCompleted':
        return this.paid(m, e);
      case 'DossierResolved':
        return this.finished(m, e.payload.dossierId, DossierStatus.Resolved, new Date(e.payload.finishedAt));
      case 'ResultReturned':
        return this.finished(m, e.payload.dossierId, DossierStatus.Returned, null);
      default:
        return this.history(m, e);
    }
  }

  /**
   * processing's own event types coming from another producer: the historical import of intake-service republishes a
   * dossier's past (imported: true). They are facts like any other (ADR 0300): the view follows them, so an imported
   * dossier refused, withdrawn, paused or transferred in the old system is not taken for an open, running one (no
   * DossierDueSoon/DossierOverdue, no work-queue entry, no second refusal) (ADR 0308).
   */
  private async history(m: EntityManager, e: DossierEventV1): Promise<void> {
    if (!HISTORY_TYPES.has(e.type)) return; // intake's own types (submitted, digitised, ...): no row to lock
    const d = await this.repo.lock(m, e.payload.dossierId);
    if (!d) return;
    const at = new Date(e.occurredAt);
    const open = !FINISHED.has(d.status);
    switch (e.type) {
      case 'DossierRefused':
        if (open) await this.dossiers.finish(m, d, DossierStatus.Refused, new Date(e.payload.finishedAt));
        return;
      case 'DossierWithdrawn':
        if (open) await this.dossiers.finish(m, d, DossierStatus.Withdrawn, new Date(e.payload.finishedAt));
        return;
      case 'DossierTransferred':
        if (open) await this.repo.update(m, d.id, { status: d.paused_at ? d.status : DossierStatus.InProcess, agency_id: e.payload.agencyCode });
        return;
      case 'SupplementRequested':
        if (!open || d.paused_at) return;
        await this.dossiers.pause(m, d, PauseKind.Supplement, null, new Date(e.payload.requestedAt));
        await this.repo.update(m, d.id, { status: DossierStatus.SupplementRequested, supplement_count: Math.max(d.supplement_count, e.payload.requestCount) });
        return;
      case 'SupplementReceived':
      case 'ProcessingResumed':
        if (open && d.paused_at) {
          const stated = e.payload.newDueAt ? new Date(e.payload.newDueAt) : undefined;
          await this.dossiers.resume(m, d, at, e.type === 'SupplementReceived' ? 'supplement-import' : 'resume', stated);
        }
        return;
      case 'ProcessingSuspended':
        if (!open || d.paused_at) return;
        await this.dossiers.pause(m, d, PauseKind.Suspension, null, new Date(e.payload.at));
        await this.repo.update(m, d.id, { status: DossierStatus.Suspended });
        return;
      case 'FinancialObligationRequested':
        if (!open || d.paused_at || e.payload.exempt || e.payload.totalAmount <= 0) return;
        await this.dossiers.pause(m, d, PauseKind.Payment, null, new Date(e.payload.requestedAt));
        await this.repo.update(m, d.id, { status: DossierStatus.AwaitingPayment });
        return;
      case 'ApologyIssued':
        if (open) await this.dossiers.changeDue(m, d, new Date(e.payload.issuedAt), new Date(e.payload.newDueAt), 'apology');
        return;
      default:
        return;
    }
  }

  private async received(m: EntityManager, e: EventOfTypeV1<'DossierReceived'>): Promise<void> {
    const p = e.payload;
    const dueAt = p.dueAt ? new Date(p.dueAt) : null;
    const inserted = await this.repo.insert(m, {
      id: p.dossierId,
      procedureCode: p.procedureCode,
      unitId: p.receivingUnitId,
      agencyId: p.resolvingUnitId,
      status: DossierStatus.Received,
      channel: p.channel,
      supplementPolicy: p.supplementPolicy,
      timeLimit: { value: p.timeLimit.value, unit: p.timeLimit.unit },
      receivedAt: new Date(p.receivedAt),
      dueAt,
      originalDueAt: p.originalDueAt ? new Date(p.originalDueAt) : dueAt,
      // keyed marks only: published fields holding the applicant's data are refused (ADR 0309, amendment round 8)
      applicantMarks: p.applicant ? applicantMarks(p.applicant, applicantMarksKey(this.cfg.jwtSecret)) : null,
    });
    if (inserted) {
      await rescheduleDeadlines(m, this.cfg.schema, {
        dossierId: p.dossierId,
        dueAt,
        dueSoonWindowMinutes: this.cfg.deadlines.dueSoonWindowMinutes,
      });
    }
  }

  private async paid(m: EntityManager, e: EventOfTypeV1<'PaymentCompleted'>): Promise<void> {
    const d = await this.repo.lock(m, e.payload.dossierId);
    if (!d) {
      this.log.warn(`PaymentCompleted ${e.id} for unknown dossier ${e.payload.dossierId}`);
      return;
    }
    if (d.status !== DossierStatus.AwaitingPayment) return; // e.g. fees collected at result return
    const paidAt = new Date(e.payload.paidAt);
    await this.dossiers.resume(m, d, paidAt, 'payment');
  }

  private async finished(m: EntityManager, dossierId: string, status: DossierStatus, finishedAt: Date | null): Promise<void> {
    const d = await this.repo.lock(m, dossierId);
    if (!d) {
      this.log.warn(`${status} for unknown dossier ${dossierId}`);
      return;
    }
    await m.query(`UPDATE "${this.cfg.schema}".pause_interval SET ended_at = $2 WHERE dossier_id = $1 AND ended_at IS NULL`, [
      dossierId,
      finishedAt ?? d.finished_at ?? new Date(),
    ]);
    await this.repo.update(m, dossierId, {
      status,
      paused_at: null,
      pause_kind: null,
      ...(finishedAt ? { finished_at: finishedAt } : {}),
    });
    await rescheduleDeadlines(m, this.cfg.schema, { dossierId, dueAt: null, dueSoonWindowMinutes: this.cfg.deadlines.dueSoonWindowMinutes });
  }
}
