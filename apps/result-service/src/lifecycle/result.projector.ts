import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DossierStatus, toVnIsoString, type DossierEventV1 } from '@onestop/contracts';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';
import { ResultDossierRepository, type ResultDossierRow } from '../dossiers/result-dossier.repository';
import { ResultsService } from '../dossiers/results.service';

type PauseKind = 'SUPPLEMENT' | 'PAYMENT' | 'SUSPENSION';

/**
 * Builds result-service's view of each dossier from the lifecycle events of intake and processing: status,
 * competent agency, due dates (receipt, supplementation, apology, pauses recomputed with the domain
 * calculator), the fee lines of a financial obligation and the inter-agency steps (open ones block the
 * result). One transaction per batch; event ids are claimed in processed_event first, so redelivery changes
 * nothing. Its own events are applied by its commands.
 */
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
        await this.apply(m, e);
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
      });
      return;
    }
    const d = await this.repo.find(m, e.payload.dossierId, true);
    if (!d) {
      this.log.warn(`${e.type} ${e.id} for a dossier not received here: ${e.payload.dossierId}`);
      return;
    }
    const at = new Date(e.occurredAt);
    switch (e.type) {
      case 'DossierTransferred':
        return this.repo.update(m, d.id, { status: DossierStatus.InProcess, agency_id: e.payload.agencyCode }, at);
      case 'InterAgencyStepStarted': {
        const q = e.payload;
        await this.repo.upsertInterAgencyStep(m, { dossierId: d.id, stepId: q.stepId, agencyCode: q.agencyCode, startedAt: new Date(q.at) });
        return this.repo.update(m, d.id, { status: DossierStatus.InProcess }, at);
      }
      case 'InterAgencyStepCompleted': {
        const q = e.payload;
        return this.repo.upsertInterAgencyStep(m, { dossierId: d.id, stepId: q.stepId, agencyCode: q.agencyCode, completedAt: new Date(q.at) });
      }
      case 'SupplementRequested':
        return this.pause(m, d, 'SUPPLEMENT', e.payload.requestedAt, DossierStatus.SupplementRequested);
      case 'SupplementReceived': {
        const history = this.closePause(d, 'SUPPLEMENT', e.payload.receivedAt);
        const due = e.payload.newDueAt ? new Date(e.payload.newDueAt) : d.due_at;
        return this.repo.update(m, d.id, { status: DossierStatus.InProcess, clock_history: history, due_at: due, original_due_at: due }, at);
      }
      case 'FinancialObligationRequested': {
        for (const l of e.payload.feeLines) {
          await m.query(
            `INSERT INTO "${this.cfg.schema}".fee_line (dossier_id, code, name, amount, collection_stage, exempt)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT ON CONSTRAINT fee_line_once DO UPDATE SET name = EXCLUDED.name, amount = EXCLUDED.amount,
               collection_stage = EXCLUDED.collection_stage, exempt = EXCLUDED.exempt`,
            [d.id, l.code, l.name, l.amount, l.collectedAt, e.payload.exempt],
          );
        }
        // Nothing to pay (exempt applicant, or lines totalling 0): processing keeps the dossier IN_PROCESS with its
        // clock running (ADR 0306), so no payment pause here either; the lines are kept, marked exempt.
        if (e.payload.exempt || e.payload.totalAmount <= 0) return;
        return this.pause(m, d, 'PAYMENT', e.payload.requestedAt, DossierStatus.AwaitingPayment);
      }
      case 'ProcessingSuspended':
        return this.pause(m, d, 'SUSPENSION', e.payload.at, DossierStatus.Suspended);
      case 'ProcessingResumed':
        await this.results.resumeClock(m, d, new Date(e.payload.at), 'SUSPENSION');
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
      default:
        return;
    }
  }

  private closePause(d: ResultDossierRow, kind: PauseKind, end: string) {
    return { ...d.clock_history, pauses: d.clock_history.pauses.map((p) => (p.kind === kind && !p.end ? { ...p, end } : p)) };
  }

  private async pause(m: EntityManager, d: ResultDossierRow, kind: PauseKind, start: string, status: DossierStatus): Promise<void> {
    const history = { ...d.clock_history, pauses: [...d.clock_history.pauses, { kind, start: toVnIsoString(new Date(start)) }] };
    await this.repo.update(m, d.id, { status, clock_history: history }, new Date(start));
  }
}
