import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { applicantMarksKey, DossierStatus, holdsMarkedData, toVnIsoString, type DossierEventV1, type Rating } from '@onestop/contracts';
import { ProblemException, assertUnitScope, recordAudit, withIdempotency, type Officer } from '@onestop/http';
import { LifecycleEvents, type LifecycleEventMeta as EventMeta } from '@onestop/messaging';
import { CLOCK, type Clock } from '../clock/clock';
import { RESULT_CONFIG, type ResultConfig } from '../config/result.config';
import { ResultDossierRepository, type ResultDossierRow } from './result-dossier.repository';
import { ResultRules, type ResultGuardContext } from './result-rules';
import type { PaymentDto, RatingDto, ResolveDto, ReturnDto } from './dto/commands.dto';

export interface CommandContext {
  officer: Officer;
  ip?: string;
  correlationId: string;
  idempotencyKey: string;
  requestHash: string;
}

export type ResultView = Awaited<ReturnType<ResultDossierRepository['view']>>;
export type CommandResult = ResultView & { events: { id: string; type: string }[] };

interface Change {
  events: DossierEventV1[];
  action: string;
  details?: Record<string, unknown>;
}

const vn = (d: Date | string): string => toVnIsoString(new Date(d));

/**
 * Result, payment, return and rating. Every command locks the dossier row, checks unit scope and the
 * domain state machine (409 listing the allowed actions), changes state, appends the events to the outbox
 * and writes the audit row in one transaction, under the request's Idempotency-Key.
 */
@Injectable()
export class ResultsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ResultDossierRepository,
    private readonly events: LifecycleEvents,
    private readonly rules: ResultRules,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RESULT_CONFIG) private readonly cfg: ResultConfig,
  ) {}

  private marksKey?: string;

  async get(id: string, officer: Officer) {
    const d = await this.repo.find(this.ds.manager, id);
    if (!d) throw ProblemException.notFound(`Dossier ${id}`, 'dossierId');
    this.assertScope(officer, d);
    const view = await this.repo.view(this.ds.manager, d);
    const openInterAgencySteps = view.interAgencySteps.filter((s) => s.completedAt === null).map((s) => s.agencyCode);
    return {
      ...view,
      allowedActions: this.rules.allowedActions(d.status, { rating: (view.rating?.rating as Rating | undefined) ?? null, openInterAgencySteps }),
    };
  }

  resolve(ctx: CommandContext, id: string, dto: ResolveDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta, guard) => {
      // the result's number is published: never the applicant's data (black-box round 8: `KQ/0987/654/321`, their phone)
      if (dto.resultCode !== undefined && holdsMarkedData(dto.resultCode, d.applicant_marks, (this.marksKey ??= applicantMarksKey(this.cfg.jwtSecret)))) {
        throw ProblemException.validation([{ field: 'resultCode', message: "is published on the public topic and must not contain the applicant's personal data" }]);
      }
      this.rules.check(d, { type: 'resolve' }, guard);
      const electronic = dto.kind === 'ELECTRONIC';
      await m.query(
        `INSERT INTO "${this.cfg.schema}".result (dossier_id, kind, legally_valid, file_url, result_code, resolved_at, resolved_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, dto.kind, electronic ? Boolean(dto.legallyValid) : false, dto.fileUrl ?? null, dto.resultCode ?? null, now, ctx.officer.officerId],
      );
      await this.repo.update(m, id, { status: DossierStatus.Resolved }, now);
      const ev = this.events.make(
        'DossierResolved',
        {
          dossierId: d.id,
          receivingUnitId: d.unit_id,
          procedureCode: d.procedure_code,
          finishedAt: vn(now),
          eResult: electronic
            ? { issued: true, legallyValid: Boolean(dto.legallyValid), ...(dto.fileUrl ? { link: dto.fileUrl } : {}) }
            : { issued: false, legallyValid: false },
          ...(dto.resultCode ? { resultCode: dto.resultCode } : {}),
          dueAt: d.due_at ? vn(d.due_at) : null,
          originalDueAt: d.original_due_at ? vn(d.original_due_at) : null,
          paperResultRequired: d.paper_result_required,
        },
        meta,
      );
      return { events: [ev], action: 'result.resolve', details: { kind: dto.kind } };
    });
  }

  async pay(ctx: CommandContext, id: string, dto: PaymentDto): Promise<CommandResult> {
    // A gateway is where an online payment went through (DuocThanhToanTrucTuyen 1/2, domain.md §1.5). A cash or bank
    // transfer payment naming one contradicts itself: it used to be dropped silently (ADR 0309). Nothing is written.
    if (dto.method !== 'ONLINE' && dto.gateway !== undefined) {
      throw ProblemException.unprocessable('gateway-without-online-payment', `a ${dto.method} payment does not go through the payment gateway ${dto.gateway}`, [
        { field: 'gateway', message: `only an ONLINE payment names a gateway; omit it for ${dto.method}, or record the payment as ONLINE` },
      ]);
    }
    return this.command(ctx, id, async (d, m, now, meta, guard) => {
      this.rules.check(d, { type: 'completePayment' }, guard);
      const S = `"${this.cfg.schema}"`;
      const requested = dto.exemptFeeCodes ?? [];
      // Only the outstanding lines are charged: a line settled by an earlier payment is never charged again, e.g. when
      // a second obligation follows a paid one (ADR 0308).
      const lines: { id: string; code: string; amount: string; exempt: boolean }[] = await m.query(
        `SELECT id, code, amount, exempt FROM ${S}.fee_line WHERE dossier_id = $1 AND payment_id IS NULL ORDER BY id`,
        [id],
      );
      const unknown = requested.filter((c) => !lines.some((l) => l.code === c));
      if (unknown.length > 0) {
        throw ProblemException.validation(
          unknown.map((c) => ({ field: 'exemptFeeCodes', message: `${c} is not an outstanding fee line of this dossier` })),
        );
      }
      if (requested.length > 0) await m.query(`UPDATE ${S}.fee_line SET exempt = true WHERE dossier_id = $1 AND payment_id IS NULL AND code = ANY($2::text[])`, [id, requested]);
      // Exempt lines are never charged: exempt in the obligation (stored) or exempted by this request.
      const exempt = lines.filter((l) => l.exempt || requested.includes(l.code)).map((l) => l.code);
      const amount = lines.filter((l) => !exempt.includes(l.code)).reduce((s, l) => s + Number(l.amount), 0);
      // Nothing to charge (every line exempt or zero): the obligation is settled, but no money was paid, so it
      // is not an online payment (DuocThanhToanTrucTuyen 3; domain.md §1.5, indicator 3.6) and has no gateway.
      const paidOnline = dto.method === 'ONLINE' && amount > 0;
      const gateway = paidOnline ? (dto.gateway ?? null) : null;
      const paymentId = randomUUID();
      await m.query(
        `INSERT INTO ${S}.payment (id, dossier_id, method, paid_online, gateway, amount, reference, paid_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [paymentId, id, dto.method, paidOnline, gateway, amount, dto.reference ?? null, now, ctx.officer.officerId],
      );
      await m.query(`UPDATE ${S}.fee_line SET payment_id = $2 WHERE id = ANY($1::bigint[])`, [lines.map((l) => l.id), paymentId]);
      const resumed = await this.resumeClock(m, d, now, 'PAYMENT');
      // The legal due date from now on, shifted by the wait for payment (the views that keep due dates follow it:
      // statistics, intake); null when the dossier has no due date.
      const legalDue = resumed.due_at === null ? null : (resumed.original_due_at ?? resumed.due_at);
      const ev = this.events.make(
        'PaymentCompleted',
        {
          dossierId: d.id,
          receivingUnitId: d.unit_id,
          procedureCode: d.procedure_code,
          paidAt: vn(now),
          method: dto.method,
          paidOnline,
          amount,
          ...(gateway ? { gateway } : {}),
          newDueAt: legalDue ? vn(legalDue) : null,
        },
        meta,
      );
      return { events: [ev], action: 'payment.record', details: { amount, method: dto.method, exempt, newDueAt: legalDue ? vn(legalDue) : null } };
    });
  }

  returnResult(ctx: CommandContext, id: string, dto: ReturnDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta, guard) => {
      this.rules.check(d, { type: 'returnResult' }, guard);
      if (dto.mode === 'ONLINE') {
        // Online hand-over delivers the electronic result (its file); a paper result can only be handed over at the
        // counter or by post. Recording it as returned online would report a delivery that cannot happen (ADR 0309).
        const results: { kind: string }[] = await m.query(`SELECT kind FROM "${this.cfg.schema}".result WHERE dossier_id = $1`, [id]);
        if (results[0]?.kind === 'PAPER') {
          throw ProblemException.unprocessable('paper-result-returned-online', `the result of dossier ${id} is on paper: it cannot be handed over online`, [
            { field: 'mode', message: 'the result is a paper one: hand it over at the COUNTER or by POST (ONLINE needs an ELECTRONIC result)' },
          ]);
        }
      }
      await m.query(
        `INSERT INTO "${this.cfg.schema}".result_return (dossier_id, mode, address, tracking_code, returned_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, dto.mode, dto.address ?? null, dto.trackingCode ?? null, now, ctx.officer.officerId],
      );
      await this.repo.update(m, id, { status: DossierStatus.Returned }, now);
      const ev = this.events.make(
        'ResultReturned',
        { dossierId: d.id, receivingUnitId: d.unit_id, procedureCode: d.procedure_code, returnedAt: vn(now), deliveryMode: dto.mode },
        meta,
      );
      return { events: [ev], action: 'result.return', details: { mode: dto.mode } };
    });
  }

  rate(ctx: CommandContext, id: string, dto: RatingDto): Promise<CommandResult> {
    return this.command(ctx, id, async (d, m, now, meta, guard) => {
      this.rules.check(d, { type: 'rate', rating: dto.rating }, guard);
      await m.query(`INSERT INTO "${this.cfg.schema}".rating (dossier_id, rating, comment, rated_at) VALUES ($1, $2, $3, $4)`, [
        id,
        dto.rating,
        dto.comment ?? null,
        now,
      ]);
      const ev = this.events.make(
        'DossierRated',
        {
          dossierId: d.id,
          receivingUnitId: d.unit_id,
          procedureCode: d.procedure_code,
          ratedAt: vn(now),
          rating: dto.rating,
          ...(dto.comment ? { comment: dto.comment } : {}),
        },
        meta,
      );
      return { events: [ev], action: 'rating.record', details: { rating: dto.rating } };
    });
  }

  /**
   * Closes the open pause of `kind` and extends the due dates by it (also used by the event projector; `ownerDueAt`:
   * the legal due date the pause's owner published, which wins). Returns the row as it now is (status, clock history
   * and due dates).
   */
  async resumeClock(m: EntityManager, d: ResultDossierRow, at: Date, kind: 'PAYMENT' | 'SUSPENSION' | 'SUPPLEMENT', ownerDueAt?: string | null): Promise<ResultDossierRow> {
    // an imported resumption dated before its pause (contract-valid) closes it at its start, never before
    const closeAt = (start: string) => new Date(Math.max(at.getTime(), Date.parse(start)));
    const open = d.clock_history.pauses.filter((p) => p.kind === kind && !p.end);
    const history = {
      ...d.clock_history,
      pauses: d.clock_history.pauses.map((p) => (p.kind === kind && !p.end ? { ...p, end: vn(closeAt(p.start)) } : p)),
    };
    const next: ResultDossierRow = { ...d, clock_history: history, status: DossierStatus.InProcess };
    // each closed pause extends the due dates of record (the rule processing applies: ADR 0301, amendment 2026-11-25)
    let cur: ResultDossierRow = next;
    for (const p of open) {
      const due = this.rules.afterPause(cur, kind, new Date(p.start), closeAt(p.start));
      if (due) cur = { ...cur, due_at: due.dueAt, original_due_at: due.originalDueAt };
    }
    // the pause's owner published the legal due date it computed (ProcessingResumed.newDueAt): it is the legal date
    if (typeof ownerDueAt === 'string') {
      const legal = new Date(ownerDueAt);
      cur = { ...cur, original_due_at: legal, due_at: cur.due_at && cur.due_at > legal ? cur.due_at : legal };
    }
    const dates = cur.due_at === d.due_at && cur.original_due_at === d.original_due_at ? {} : { due_at: cur.due_at, original_due_at: cur.original_due_at };
    await this.repo.update(m, d.id, { status: DossierStatus.InProcess, clock_history: history, ...dates }, at);
    return { ...next, ...dates };
  }

  private assertScope(officer: Officer, d: ResultDossierRow): void {
    if (officer.unitId === d.agency_id) return;
    assertUnitScope(officer, d.unit_id);
  }

  private async command(
    ctx: CommandContext,
    id: string,
    run: (d: ResultDossierRow, m: EntityManager, now: Date, meta: EventMeta, guard: ResultGuardContext) => Promise<Change>,
  ): Promise<CommandResult> {
    const r = await this.ds.transaction((m) =>
      withIdempotency(m, this.cfg.schema, ctx.officer.officerId, ctx.idempotencyKey, ctx.requestHash, async () => {
        const d = await this.repo.find(m, id, true);
        if (!d) throw ProblemException.notFound(`Dossier ${id}`, 'dossierId');
        this.assertScope(ctx.officer, d);
        const now = this.clock.now();
        // The citizen's rating, if any: the guard refuses a second one and the allowed actions drop `rate`.
        const rated: { rating: Rating }[] = await m.query(`SELECT rating FROM "${this.cfg.schema}".rating WHERE dossier_id = $1`, [id]);
        // Inter-agency steps still open in processing: no result until they are completed (and no `resolve` offered).
        const guard: ResultGuardContext = { rating: rated[0]?.rating ?? null, openInterAgencySteps: await this.repo.openInterAgencySteps(m, id) };
        const change = await run(d, m, now, { correlationId: ctx.correlationId, occurredAt: now }, guard);
        await this.events.append(m, change.events);
        await recordAudit(m, this.cfg.schema, {
          actor: ctx.officer.officerId,
          unitId: ctx.officer.unitId,
          action: change.action,
          target: id,
          ip: ctx.ip,
          correlationId: ctx.correlationId,
          details: { ...(change.details ?? {}), events: change.events.map((e) => e.id) },
        });
        const after = (await this.repo.find(m, id)) as ResultDossierRow;
        const body: CommandResult = { ...(await this.repo.view(m, after)), events: change.events.map((e) => ({ id: e.id, type: e.type })) };
        return { status: 200, body };
      }),
    );
    return r.body;
  }
}
