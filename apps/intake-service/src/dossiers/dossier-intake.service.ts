import { Inject, Injectable } from '@nestjs/common';
import { Channel, DataReuseSource, DossierStatus, type ApplicantV1, type PayloadOfV1 } from '@onestop/contracts';
import { assertUnitScope, ProblemException, type FieldError } from '@onestop/http';
import { applicantFingerprints, holdsApplicantData } from './personal-data.util';
import { DOSSIER_TRANSITIONS, generateDossierCode } from '@onestop/domain';
import { appendToOutbox } from '@onestop/messaging';
import type { PoolClient } from 'pg';
import { INTAKE_CATALOGUE, type IntakeCatalogue, type ProcedureInfo, type UnitInfo } from '../catalogue/intake-catalogue';
import { unitNotInForceMessage } from '../catalogue/unit-validity';
import { INTAKE_SCHEMA } from '../config/intake.config';
import { CLOCK, type Clock } from './clock';
import { buildEvent, withDossierId, type BuiltEvent } from './dossier-events';
import type { Actor, Applicant, ComponentInput, DossierView, HistoryEntry } from './dossier.model';
import { currentStatus, DossierRepository, toView, type ComponentRow, type DossierRow } from './dossier.repository';
import { newId } from './deterministic-id.util';
import { toVnIso, vnDay } from './vn-time.util';
import { isStorableText } from './dto/storable-text.util';


export interface ReceiveInput {
  channel: 'DIRECT' | 'POSTAL';
  unitCode: string;
  procedureCode: string;
  applicant: Applicant;
  components: ComponentInput[];
  /** Defaults to now; may be earlier (entered after the fact), never in the future. */
  receivedAt?: string;
  /** Postal: when the envelope arrived / was posted. */
  submittedAt?: string;
  /** How the citizen receives the result (default COUNTER); POST needs the applicant's address. */
  resultDelivery?: 'COUNTER' | 'POST' | 'ONLINE';
}

export interface SubmitOnlineInput {
  unitCode: string;
  procedureCode: string;
  applicant: Applicant;
  components: ComponentInput[];
  submittedAt?: string;
  /** The portal's own id of the submission (unique per unit). */
  externalRef?: string;
  /** How the citizen receives the result (default COUNTER); POST needs the applicant's address. */
  resultDelivery?: 'COUNTER' | 'POST' | 'ONLINE';
}

/** A result sent by post needs somewhere to send it: the applicant's address (400 naming it, before anything else). */
function checkDelivery(input: { resultDelivery?: string; applicant: Applicant }): void {
  if (input.resultDelivery === 'POST' && !(typeof input.applicant.address === 'string' && input.applicant.address.trim() !== '')) {
    throw ProblemException.validation([{ field: 'applicant.address', message: 'is required when the result is sent by post (resultDelivery POST)' }]);
  }
}

/** A validated receipt waiting for its code (see `DossierIntakeService.prepareReceive`). */
export interface PreparedReceipt {
  /** The dossier row; `code` is a draft (`…-0000`) until `finish`. */
  row: DossierRow;
  components: ComponentRow[];
  /** The events built with the draft code (history rows do not store the code). */
  draft: BuiltEvent[];
  /** The local day whose sequence numbers the dossier. */
  day: { isoDate: string; yymmdd: string };
  receivedAt: Date;
  /** The events and the answer for the assigned code. */
  finish(code: string): { events: BuiltEvent[]; view: DossierView };
}

/** Seconds a client clock may run ahead before a timestamp counts as "in the future". */
const FUTURE_SKEW_MS = 60_000;

@Injectable()
export class DossierIntakeService {
  constructor(
    @Inject(DossierRepository) private readonly repo: DossierRepository,
    @Inject(INTAKE_CATALOGUE) private readonly catalogue: IntakeCatalogue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Counter (DIRECT) or post (POSTAL): the dossier is complete and accepted now; receipt + appointment. */
  async receive(c: PoolClient, input: ReceiveInput, actor: Actor): Promise<DossierView> {
    const p = this.prepareReceive(input, actor);
    const code = this.assignedCode(p.row.unitCode, p.receivedAt, await this.repo.insertGraph(c, p.row, p.components, p.draft, actor.officerId, p.day));
    const { events, view } = p.finish(code);
    await appendToOutbox(c, INTAKE_SCHEMA, events.map((e) => e.record));
    return view;
  }

  /**
   * Everything of a receipt that needs no database: validation against the clock and the catalogue (throws the
   * same problems as `receive`), the dossier row with a draft code, its components and draft events, and
   * `finish(code)` that rebuilds the events and the answer for the assigned code. Used by `receive` and by the
   * group commit (ReceiptGroupCommitter), which assigns the codes of many receipts in one statement.
   */
  prepareReceive(input: ReceiveInput, actor: Actor): PreparedReceipt {
    const now = this.clock.now();
    const receivedAt = this.pastDate(input.receivedAt, 'receivedAt', now) ?? now;
    const submittedAt = this.pastDate(input.submittedAt, 'submittedAt', now);
    if (submittedAt && submittedAt > receivedAt) {
      throw ProblemException.validation([{ field: 'submittedAt', message: 'must not be after receivedAt' }]);
    }
    checkDelivery(input);
    const { unit, procedure } = this.resolveCatalogue(actor, input.unitCode, input.procedureCode, receivedAt, input.channel);
    const components = this.checkComponents(procedure, input.components, receivedAt, actor, true);
    const due = this.catalogue.dueDate(receivedAt, procedure);
    const day = vnDay(receivedAt);
    const row: DossierRow = {
      id: newId(),
      code: `${unit.code}-${day.yymmdd}-0000`,
      unitId: unit.code,
      unitCode: unit.code,
      procedureCode: procedure.code,
      procedureVersion: procedure.version ?? null,
      channel: input.channel,
      status: DossierStatus.Received,
      applicant: input.applicant,
      externalRef: null,
      submittedAt: submittedAt ?? (input.channel === Channel.Direct ? receivedAt : null),
      receivedAt,
      rejectedAt: null,
      rejectionReason: null,
      dueAt: due.dueAt,
      originalDueAt: due.dueAt,
      dueExplanation: due.explanation,
      timeLimit: procedure.timeLimit,
      receivedBy: actor.officerId,
      receivedByName: actor.name ?? null,
      resultDelivery: input.resultDelivery ?? null,
      imported: false,
    };
    // Built once: as a draft for the per-request path (the code comes from its insert), or directly with the
    // final code by `finish` on the group-commit path, which never needs the draft.
    let draft: BuiltEvent[] | undefined;
    const correlationId = actor.correlationId ?? newId();
    const event = (r: DossierRow, isDraft: boolean): BuiltEvent => this.receivedEvent(r, procedure, components, correlationId, isDraft);
    return {
      row,
      components,
      get draft() {
        return (draft ??= [event(row, true)]);
      },
      day,
      receivedAt,
      finish: (code) => {
        const events = draft ? draft.map((e) => withDossierId(e, code)) : [event({ ...row, code }, false)];
        return { events, view: toView({ ...row, code, version: events.length }, components) };
      },
    };
  }

  /** The code of the `seq`-th receipt of the unit on the receipt's local day (the domain's formatter). */
  codeFor(p: PreparedReceipt, seq: number): string {
    return generateDossierCode(p.row.unitCode, p.receivedAt.getTime(), seq);
  }

  /** Online portal submission: gets its code now and waits for an officer to accept or reject it. */
  async submitOnline(c: PoolClient, input: SubmitOnlineInput, actor: Actor): Promise<DossierView> {
    const now = this.clock.now();
    const submittedAt = this.pastDate(input.submittedAt, 'submittedAt', now) ?? now;
    checkDelivery(input);
    const { unit, procedure } = this.resolveCatalogue(actor, input.unitCode, input.procedureCode, submittedAt, Channel.Online);
    const components = this.checkComponents(procedure, input.components, submittedAt, actor, true);
    {
      // numbered on the day it was submitted (the dossier's first event), like a counter receipt on its receipt day:
      // a back-dated portal submission keeps its own day's code
      const day = vnDay(submittedAt);
      const draftCode = `${unit.code}-${day.yymmdd}-0000`;
      const row: DossierRow = {
        id: newId(),
        code: draftCode,
        unitId: unit.code,
        unitCode: unit.code,
        procedureCode: procedure.code,
        procedureVersion: procedure.version ?? null,
        channel: Channel.Online,
        status: DossierStatus.Submitted,
        applicant: input.applicant,
        externalRef: input.externalRef ?? null,
        submittedAt,
        receivedAt: null,
        rejectedAt: null,
        rejectionReason: null,
        dueAt: null,
        originalDueAt: null,
        dueExplanation: null,
        timeLimit: procedure.timeLimit,
        receivedBy: null,
        resultDelivery: input.resultDelivery ?? null,
        imported: false,
      };
      const draft = buildEvent(
        'DossierSubmitted',
        {
          dossierId: draftCode,
          receivingUnitId: unit.code,
          procedureCode: procedure.code,
          submittedAt: toVnIso(submittedAt),
          channel: Channel.Online,
          applicantType: input.applicant.type,
          sectorCode: procedure.sectorCode,
          applicant: applicantPayload(input.applicant),
        },
        { occurredAt: submittedAt, correlationId: actor.correlationId ?? newId(), validate: false },
      );
      let code: string;
      try {
        code = this.assignedCode(unit.code, submittedAt, await this.repo.insertGraph(c, row, components, [draft], actor.officerId, day));
      } catch (err) {
        if ((err as { constraint?: string }).constraint === 'uq_dossier_external_ref') {
          throw ProblemException.conflict(`submission ${input.externalRef} was already registered`, { field: 'externalRef' }, [
            { field: 'externalRef', message: `${input.externalRef} is already registered for unit ${unit.code}` },
          ]);
        }
        throw err;
      }
      const event = withDossierId(draft, code);
      await appendToOutbox(c, INTAKE_SCHEMA, [event.record]);
      const view = toView({ ...row, code, version: 1 }, components);
      return view;
    }
  }

  /** SUBMITTED → RECEIVED: the officer checked the online dossier; the clock starts now (or at receivedAt). */
  async accept(c: PoolClient, code: string, body: { receivedAt?: string }, actor: Actor): Promise<DossierView> {
    const now = this.clock.now();
    const at = this.pastDate(body.receivedAt, 'receivedAt', now) ?? now;
    return this.transition(c, code, actor, async (c, row) => {
      if (row.submittedAt && at < row.submittedAt) {
        throw ProblemException.validation([{ field: 'receivedAt', message: 'must not be before the submission time' }]);
      }
      const procedure = this.catalogue.procedure(row.procedureCode, at, row.unitCode, row.channel as Channel);
      if (!procedure) throw ProblemException.unprocessable('unknown-procedure', `procedure ${row.procedureCode} is no longer published`, [{ field: 'procedureCode', message: 'not in the catalogue' }]);
      const due = this.catalogue.dueDate(at, procedure);
      const next: DossierRow = { ...row, status: DossierStatus.Received, receivedAt: at, dueAt: due.dueAt, originalDueAt: due.dueAt, dueExplanation: due.explanation, timeLimit: procedure.timeLimit, receivedBy: actor.officerId, receivedByName: actor.name ?? null };
      const comps = await this.components(c, row.id);
      return { next, events: [this.receivedEvent(next, procedure, comps, actor.correlationId ?? newId())] };
    });
  }

  /** SUBMITTED → INTAKE_REJECTED with the reason of the refusal form (Mẫu 03). */
  async reject(c: PoolClient, code: string, body: { reason: string; rejectedAt?: string }, actor: Actor): Promise<DossierView> {
    const now = this.clock.now();
    const at = this.pastDate(body.rejectedAt, 'rejectedAt', now) ?? now;
    return this.transition(c, code, actor, async (_c, row) => {
      // As for acceptance: the refusal answers the submission, so it cannot predate it (NgayTuChoi ≥ NgayNopHoSo).
      if (row.submittedAt && at < row.submittedAt) {
        throw ProblemException.validation([{ field: 'rejectedAt', message: 'must not be before the submission time' }]);
      }
      const next: DossierRow = { ...row, status: DossierStatus.IntakeRejected, rejectedAt: at, rejectionReason: body.reason };
      const event = buildEvent(
        'DossierIntakeRejected',
        { dossierId: row.code, receivingUnitId: row.unitCode, procedureCode: row.procedureCode, rejectedAt: toVnIso(at), reason: body.reason },
        { occurredAt: at, correlationId: actor.correlationId ?? newId() },
      );
      return { next, events: [event] };
    });
  }

  /**
   * SUBMITTED → WITHDRAWN at the applicant's request (domain.md §1.3: from any non-terminal state). Only a
   * submission not yet received is withdrawn here; once received, processing-service owns the withdrawal
   * (`POST /dossiers/{code}/withdrawals` there), so a received dossier gets 409 `status` from intake.
   */
  async withdraw(c: PoolClient, code: string, body: { requestRef: string; reason?: string }, actor: Actor): Promise<DossierView> {
    const at = this.clock.now();
    return this.transition(
      c,
      code,
      actor,
      async (_c, row) => {
        // requestRef travels on the public topic: never the applicant's own name, ID number or phone, however written
        if (holdsApplicantData(body.requestRef, applicantFingerprints(row.applicant))) {
          throw ProblemException.validation([{ field: 'requestRef', message: "is published on the public topic and must not contain the applicant's personal data" }]);
        }
        const next: DossierRow = { ...row, status: DossierStatus.Withdrawn };
        const event = buildEvent(
          'DossierWithdrawn',
          { dossierId: row.code, receivingUnitId: row.unitCode, procedureCode: row.procedureCode, finishedAt: toVnIso(at), requestRef: body.requestRef },
          { occurredAt: at, correlationId: actor.correlationId ?? newId() },
        );
        return { next, events: [event] };
      },
      'withdrawn (a received dossier is withdrawn in processing-service)',
    );
  }

  /** Components scanned at intake, reused from digitised data or taken from the citizen repository. */
  async recordComponents(c: PoolClient, code: string, items: ComponentInput[], actor: Actor): Promise<DossierView> {
    const now = this.clock.now();
    {
      const row = await this.locked(c, code, actor);
      // The lifecycle allows digitisation / reuse only while the dossier is being worked on (or resolved).
      // on the CURRENT status: what processing/result did after the receipt (consumed lifecycle events) counts too
      const status = currentStatus(row);
      if (!DOSSIER_TRANSITIONS.digitiseComponent.from.includes(status as DossierStatus)) {
        throw ProblemException.conflict(`components of dossier ${code} cannot be recorded while it is ${status}`, { dossierStatus: status }, [
          { field: 'status', message: `dossier is ${status}; components can be recorded only while it is ${DOSSIER_TRANSITIONS.digitiseComponent.from.join(', ')}` },
        ]);
      }
      const procedure = this.catalogue.procedure(row.procedureCode, row.receivedAt ?? row.submittedAt ?? now, row.unitCode);
      if (!procedure) throw ProblemException.unprocessable('unknown-procedure', `procedure ${row.procedureCode} not found`, [{ field: 'procedureCode', message: 'not in the catalogue' }]);
      const comps = this.checkComponents(procedure, items, now, actor, false);
      await this.repo.upsertComponents(c, row.id, comps);
      const correlationId = actor.correlationId ?? newId();
      const base = { dossierId: row.code, receivingUnitId: row.unitCode, procedureCode: row.procedureCode };
      const events = comps.flatMap((x) => [
        ...(x.digitised
          ? [buildEvent('ComponentDigitised', { ...base, componentCode: x.code, at: toVnIso(now), reused: x.reused, fromCitizenRepository: x.fromRepository }, { occurredAt: now, correlationId })]
          : []),
        ...(x.reused || x.fromRepository
          ? [buildEvent('DataReused', { ...base, componentCode: x.code, at: toVnIso(now), source: x.fromRepository ? DataReuseSource.CitizenRepository : DataReuseSource.PreviousDossier }, { occurredAt: now, correlationId })]
          : []),
      ]);
      await this.repo.update(c, row, events, actor.officerId);
      await appendToOutbox(c, INTAKE_SCHEMA, events.map((e) => e.record));
      const view = toView({ ...row, version: (row.version ?? 1) + events.length }, await this.components(c, row.id));
      return view;
    }
  }

  async get(code: string, actor: Actor): Promise<DossierView> {
    // a code Postgres cannot even compare (U+0000, lone surrogate) is no dossier's code: 404, not a 500
    const view = isStorableText(code) ? await this.repo.findView(code) : undefined;
    if (!view) throw ProblemException.notFound(`dossier ${code}`, 'code');
    this.assertScope(actor, view.unitCode);
    return view;
  }

  async history(code: string, actor: Actor): Promise<HistoryEntry[]> {
    return this.repo.history(await this.get(code, actor));
  }

  // ---------------------------------------------------------------------------------------------------------

  private async transition(
    c: PoolClient,
    code: string,
    actor: Actor,
    decide: (c: PoolClient, row: DossierRow) => Promise<{ next: DossierRow; events: BuiltEvent[] }>,
    what = 'accepted or rejected',
  ): Promise<DossierView> {
    {
      const row = await this.locked(c, code, actor);
      if (row.status !== DossierStatus.Submitted) {
        throw ProblemException.conflict(
          `dossier ${code} is ${row.status}; only a SUBMITTED dossier can be ${what} at intake`,
          { dossierStatus: row.status },
          [{ field: 'status', message: `dossier is ${row.status}; only a SUBMITTED dossier can be ${what}` }],
        );
      }
      const { next, events } = await decide(c, row);
      await this.repo.update(c, next, events, actor.officerId);
      await appendToOutbox(c, INTAKE_SCHEMA, events.map((e) => e.record));
      const view = toView({ ...next, version: (row.version ?? 1) + events.length }, await this.components(c, row.id));
      return view;
    }
  }

  /** The code the insert formatted, checked against the domain's formatter (they must never disagree). */
  private assignedCode(unitCode: string, at: Date, inserted: { code: string; seq: number | null } | undefined): string {
    const expected = inserted?.seq == null ? undefined : generateDossierCode(unitCode, at.getTime(), inserted.seq);
    if (!inserted || inserted.code !== expected) {
      throw new Error(`dossier code mismatch: database formatted ${inserted?.code}, domain expects ${expected}`);
    }
    return inserted.code;
  }

  private async locked(c: PoolClient, code: string, actor: Actor): Promise<DossierRow> {
    const row = isStorableText(code) ? await this.repo.lockByCode(c, code) : undefined;
    if (!row) throw ProblemException.notFound(`dossier ${code}`, 'code');
    this.assertScope(actor, row.unitCode);
    return row;
  }

  private async components(c: PoolClient, dossierId: string): Promise<ComponentRow[]> {
    const r = await c.query<ComponentRow>(
      `SELECT component_code AS code, name, copies, digitised, reused, from_repository AS "fromRepository",
              file_ref AS "fileRef", recorded_at AS "recordedAt", recorded_by AS "recordedBy"
         FROM intake.dossier_component WHERE dossier_id = $1 ORDER BY component_code`,
      [dossierId],
    );
    return r.rows;
  }

  /** An officer acts only for their own unit (403). */
  assertScope(actor: Actor, unitCode: string): void {
    assertUnitScope({ name: actor.officerId, ...actor }, unitCode, 'unitCode');
  }

  private resolveCatalogue(actor: Actor, unitCode: string, procedureCode: string, at: Date, channel: Channel): { unit: UnitInfo; procedure: ProcedureInfo } {
    this.assertScope(actor, unitCode);
    const unit = this.catalogue.unit(unitCode, at);
    // Validity of the procedure is a catalogue question, independent of the unit; whether it applies at the
    // unit (and for the channel) can only be asked of a unit that exists.
    const published = this.catalogue.isPublished(procedureCode, at);
    const procedure = unit && published ? this.catalogue.procedure(procedureCode, at, unit.code, channel) : undefined;
    const errors: FieldError[] = [];
    // A unit the directory knows but not in force that day (a 2025 unit before 2025-07-01) is not "unknown": say
    // from when it is in force and which pre-2025 units its area was under then.
    const validity = unit ? undefined : this.catalogue.unitValidity(unitCode);
    const notInForce = validity && unitNotInForceMessage(validity, vnDay(at).isoDate);
    if (!unit) errors.push({ field: 'unitCode', message: notInForce ?? `unknown one-stop unit ${unitCode}` });
    if (!published) errors.push({ field: 'procedureCode', message: `unknown procedure ${procedureCode}` });
    else if (unit && !procedure) errors.push({ field: 'procedureCode', message: `procedure ${procedureCode} does not apply at unit ${unit.code}` });
    if (!unit || !procedure) {
      const type = unit ? 'unknown-procedure' : notInForce ? 'unit-not-in-force' : 'unknown-unit';
      throw ProblemException.unprocessable(type, errors.map((e) => e.message).join('; '), errors);
    }
    return { unit, procedure };
  }

  /** Every component must belong to the procedure; on intake every required one must be present. */
  private checkComponents(procedure: ProcedureInfo, items: ComponentInput[], at: Date, actor: Actor, requireAll: boolean): ComponentRow[] {
    const byCode = new Map(procedure.components.map((x) => [x.code, x]));
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    items.forEach((x, i) => {
      if (!byCode.has(x.code)) errors.push({ field: `components[${i}].code`, message: `${x.code} is not a component of procedure ${procedure.code}` });
      if (seen.has(x.code)) errors.push({ field: `components[${i}].code`, message: `${x.code} is listed twice` });
      seen.add(x.code);
    });
    if (requireAll) {
      const missing = procedure.components.filter((x) => x.required && !seen.has(x.code)).map((x) => x.code);
      if (missing.length > 0) errors.push({ field: 'components', message: `missing required components: ${missing.join(', ')}` });
    }
    if (errors.length > 0) throw ProblemException.unprocessable('invalid-components', 'the dossier components do not match the procedure', errors);
    return items.map((x) => ({
      code: x.code,
      name: byCode.get(x.code)?.name ?? x.code,
      copies: x.copies ?? 1,
      digitised: x.digitised ?? false,
      reused: x.reused ?? false,
      fromRepository: x.fromRepository ?? false,
      fileRef: x.fileRef ?? null,
      recordedAt: at,
      recordedBy: actor.officerId,
    }));
  }

  private pastDate(value: string | undefined, field: string, now: Date): Date | undefined {
    if (value === undefined) return undefined;
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) throw ProblemException.validation([{ field, message: 'must be an ISO-8601 date-time' }]);
    if (d.getTime() > now.getTime() + FUTURE_SKEW_MS) throw ProblemException.validation([{ field, message: 'must not be in the future' }]);
    return d;
  }

  private receivedEvent(row: DossierRow, procedure: ProcedureInfo, comps: ComponentRow[], correlationId: string, draft = false): BuiltEvent {
    const receivedAt = row.receivedAt as Date;
    return buildEvent(
      'DossierReceived',
      receivedPayload(this.catalogue, procedure, {
        dossierId: row.code,
        unitCode: row.unitCode,
        receivedAt,
        submittedAt: row.submittedAt,
        channel: row.channel as Channel,
        dueAt: row.dueAt,
        originalDueAt: row.originalDueAt,
        applicant: row.applicant,
        components: comps,
      }),
      { occurredAt: receivedAt, correlationId, validate: !draft },
    );
  }
}

/** The facts of a receipt, from a live request or an imported history line. */
export interface ReceivedFacts {
  dossierId: string;
  unitCode: string;
  receivedAt: Date;
  submittedAt: Date | null;
  channel: Channel;
  dueAt: Date | null;
  originalDueAt: Date | null;
  applicant: Applicant;
  components: ComponentRow[];
  /** Imported dossier numbered here: its number in the legacy system (ADR 0206). */
  legacyCode?: string;
}

/** The DossierReceived payload: one builder for the counter/online paths and the historical import. */
export function receivedPayload(catalogue: IntakeCatalogue, procedure: ProcedureInfo, f: ReceivedFacts): PayloadOfV1<'DossierReceived'> {
  return {
    dossierId: f.dossierId,
    receivingUnitId: f.unitCode,
    procedureCode: procedure.code,
    receivedAt: toVnIso(f.receivedAt),
    ...(f.submittedAt ? { submittedAt: toVnIso(f.submittedAt) } : {}),
    channel: f.channel,
    dueAt: f.dueAt ? toVnIso(f.dueAt) : null,
    noAppointment: f.dueAt == null,
    originalDueAt: f.originalDueAt ? toVnIso(f.originalDueAt) : null,
    timeLimit: procedure.timeLimit,
    supplementPolicy: procedure.supplementPolicy,
    sectorCode: procedure.sectorCode,
    resolvingUnitId: catalogue.resolvingUnit(procedure, f.unitCode),
    applicantType: f.applicant.type,
    components: f.components.map((x) => ({ code: x.code, name: x.name, digitised: x.digitised, reused: x.reused, fromCitizenRepository: x.fromRepository })),
    identityVerifiedWithVneid: f.applicant.vneidVerified ?? false,
    feeRequired: procedure.feeRequired,
    paperResultRequired: procedure.paperResultRequired,
    regulationVersion: catalogue.regulationVersion(f.receivedAt),
    ...(procedure.version ? { procedureVersion: procedure.version } : {}),
    ...(f.legacyCode ? { legacyCode: f.legacyCode } : {}),
    applicant: applicantPayload(f.applicant),
  };
}

export function applicantPayload(a: Applicant): ApplicantV1 {
  return {
    fullName: a.fullName,
    idNumber: a.idNumber,
    phone: a.phone,
    ...(a.email ? { email: a.email } : {}),
    ...(a.address ? { address: a.address } : {}),
  };
}
