import {
  createEvent,
  toPublicEvent,
  toVnIsoString,
  type Channel,
  type DataReuseSource,
  type DossierEventV1,
  type EventTypeV1,
  type PayloadOfV1,
  type Rating,
} from '@onestop/contracts';
import type { IndicatorEvent } from './dossier-facts.util';

/**
 * Test factory (used by the indicator specs only; not exported from the library): writes one dossier's
 * lifecycle as valid v1 events, public-topic form, with deterministic ids.
 */

export interface StoryOptions {
  readonly unitId?: string;
  readonly procedureCode?: string;
  /** Stable prefix for event ids, so ids (the last tie-breaker of the merge) are reproducible. */
  readonly idSeed?: number;
}

export interface ReceiveOptions {
  readonly channel?: Channel;
  readonly sectorCode?: string;
  /** Appointment; null = no appointment. */
  readonly dueAt?: string | null;
  readonly originalDueAt?: string | null;
  readonly components?: ReadonlyArray<{
    digitised: boolean;
    reused: boolean;
    fromCitizenRepository: boolean;
  }>;
  readonly vneid?: boolean;
  readonly feeRequired?: boolean;
  readonly paperResultRequired?: boolean;
}

export interface ResolveOptions {
  readonly eResultIssued?: boolean;
  readonly dueAt?: string | null;
  readonly originalDueAt?: string | null;
  readonly paperResultRequired?: boolean;
}

let storyCounter = 0;

/** `2025-11-17 08:00` (Vietnam time) → `2025-11-17T08:00:00+07:00`. */
export function vn(local: string): string {
  const [date, time = '08:00'] = local.split(' ');
  return `${date}T${time.length === 5 ? `${time}:00` : time}+07:00`;
}

export class DossierStory {
  private readonly events: DossierEventV1[] = [];
  private readonly unitId: string;
  private readonly procedureCode: string;
  private readonly idSeed: number;
  private dueAt: string | null = null;
  private originalDueAt: string | null = null;
  private paperResultRequired = false;
  private supplements = 0;

  constructor(
    readonly dossierId: string,
    options: StoryOptions = {},
  ) {
    this.unitId = options.unitId ?? dossierId.replace(/-\d{6}-\d+$/, '');
    this.procedureCode = options.procedureCode ?? '1.009994';
    this.idSeed = options.idSeed ?? (storyCounter += 1);
  }

  private add<T extends EventTypeV1>(
    type: T,
    at: string,
    own: Omit<PayloadOfV1<T>, 'dossierId' | 'receivingUnitId' | 'procedureCode'>,
  ): this {
    const seq = this.events.length + 1;
    const id = `${this.idSeed.toString(16).padStart(8, '0')}-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`;
    const payload = {
      dossierId: this.dossierId,
      receivingUnitId: this.unitId,
      procedureCode: this.procedureCode,
      ...own,
    } as unknown as PayloadOfV1<T>;
    this.events.push(
      createEvent(type, payload, {
        producer: 'test-story',
        correlationId: this.dossierId,
        occurredAt: at,
        id,
      }),
    );
    return this;
  }

  submitted(at: string, channel: Channel = 'ONLINE', sectorCode?: string): this {
    return this.add('DossierSubmitted', at, {
      submittedAt: at,
      channel,
      applicantType: 'CITIZEN',
      ...(sectorCode === undefined ? {} : { sectorCode }),
      applicant: { fullName: 'Trần Thị Bình', idNumber: '001190001234', phone: '0987654321' },
    });
  }

  received(at: string, options: ReceiveOptions = {}): this {
    this.dueAt = options.dueAt === undefined ? null : options.dueAt;
    this.originalDueAt = options.originalDueAt === undefined ? this.dueAt : options.originalDueAt;
    this.paperResultRequired = options.paperResultRequired ?? false;
    return this.add('DossierReceived', at, {
      receivedAt: at,
      channel: options.channel ?? 'DIRECT',
      dueAt: this.dueAt,
      noAppointment: this.dueAt === null,
      originalDueAt: this.originalDueAt,
      timeLimit: { value: 5, unit: 'WORKING_DAYS' },
      supplementPolicy: 'RESTART',
      sectorCode: options.sectorCode ?? 'G10-XD05',
      resolvingUnitId: this.unitId,
      applicantType: 'CITIZEN',
      components: (options.components ?? []).map((c, i) => ({ code: `TP0${i + 1}`, ...c })),
      identityVerifiedWithVneid: options.vneid ?? false,
      feeRequired: options.feeRequired ?? false,
      paperResultRequired: this.paperResultRequired,
      regulationVersion: 'ND118-2025',
      applicant: { fullName: 'Trần Thị Bình', idNumber: '001190001234', phone: '0987654321' },
    });
  }

  intakeRejected(at: string): this {
    return this.add('DossierIntakeRejected', at, { rejectedAt: at, reason: 'Thiếu tờ khai.' });
  }

  transferred(at: string): this {
    return this.add('DossierTransferred', at, { agencyCode: 'G09.20', transferredAt: at });
  }

  interAgencyStep(at: string, completedAt: string): this {
    this.add('InterAgencyStepStarted', at, {
      stepId: 'B1',
      agencyCode: 'G09.20',
      stepDueAt: null,
      at,
    });
    return this.add('InterAgencyStepCompleted', completedAt, {
      stepId: 'B1',
      agencyCode: 'G09.20',
      stepDueAt: null,
      at: completedAt,
    });
  }

  supplementRequested(at: string): this {
    this.supplements += 1;
    return this.add('SupplementRequested', at, {
      requestedAt: at,
      content: 'Bổ sung bản vẽ.',
      requestCount: this.supplements,
    });
  }

  supplementReceived(at: string, newDueAt: string | null): this {
    const previousDueAt = this.dueAt;
    this.dueAt = newDueAt;
    this.originalDueAt = newDueAt;
    return this.add('SupplementReceived', at, {
      receivedAt: at,
      previousDueAt,
      newDueAt,
      policy: 'RESTART',
    });
  }

  feeRequested(at: string, totalAmount: number, exempt = false): this {
    return this.add('FinancialObligationRequested', at, {
      requestedAt: at,
      feeLines: [{ code: 'LP01', name: 'Lệ phí', amount: totalAmount, collectedAt: 'INTAKE' }],
      totalAmount,
      exempt,
    });
  }

  /** `newDueAt`: the legal due date after the wait for payment (omitted = an event written before the field). */
  paid(at: string, online: boolean, amount = 50_000, newDueAt?: string | null): this {
    this.shiftDue(newDueAt);
    return this.add('PaymentCompleted', at, {
      paidAt: at,
      method: online ? 'ONLINE' : 'CASH',
      paidOnline: online,
      amount,
      ...(newDueAt === undefined ? {} : { newDueAt }),
    });
  }

  suspended(at: string): this {
    return this.add('ProcessingSuspended', at, { at, reason: 'Chờ xác minh.' });
  }

  /** `newDueAt`: the legal due date after the pause (omitted = an event written before the field). */
  resumed(at: string, newDueAt?: string | null): this {
    this.shiftDue(newDueAt);
    return this.add('ProcessingResumed', at, {
      at,
      reason: 'Đã xác minh.',
      ...(newDueAt === undefined ? {} : { newDueAt }),
    });
  }

  private shiftDue(newDueAt: string | null | undefined): void {
    if (typeof newDueAt !== 'string') return;
    this.dueAt = newDueAt;
    this.originalDueAt = newDueAt;
  }

  apology(at: string, newDueAt: string): this {
    const originalDueAt = this.dueAt ?? newDueAt;
    this.dueAt = newDueAt;
    return this.add('ApologyIssued', at, {
      issuedAt: at,
      reason: 'Cần thêm thời gian.',
      originalDueAt,
      newDueAt,
    });
  }

  resolved(at: string, options: ResolveOptions = {}): this {
    return this.add('DossierResolved', at, {
      finishedAt: at,
      eResult: {
        issued: options.eResultIssued ?? false,
        legallyValid: options.eResultIssued ?? false,
      },
      dueAt: options.dueAt === undefined ? this.dueAt : options.dueAt,
      originalDueAt:
        options.originalDueAt === undefined ? this.originalDueAt : options.originalDueAt,
      paperResultRequired: options.paperResultRequired ?? this.paperResultRequired,
    });
  }

  refused(at: string): this {
    return this.add('DossierRefused', at, { finishedAt: at, reason: 'Không đủ điều kiện.' });
  }

  withdrawn(at: string): this {
    return this.add('DossierWithdrawn', at, { finishedAt: at, requestRef: 'RUT-01' });
  }

  returned(at: string): this {
    return this.add('ResultReturned', at, { returnedAt: at, deliveryMode: 'COUNTER' });
  }

  rated(at: string, rating: Rating): this {
    return this.add('DossierRated', at, { ratedAt: at, rating, comment: 'Tốt.' });
  }

  digitised(at: string, reused = false, fromCitizenRepository = false): this {
    return this.add('ComponentDigitised', at, {
      componentCode: 'TP09',
      at,
      reused,
      fromCitizenRepository,
    });
  }

  dataReused(at: string, source: DataReuseSource): this {
    return this.add('DataReused', at, { componentCode: 'TP08', at, source });
  }

  dueSoon(at: string, dueAt: string): this {
    return this.add('DossierDueSoon', at, { dueAt, detectedAt: at });
  }

  /** The events, in lifecycle order, as the public topic carries them. */
  build(): IndicatorEvent[] {
    return this.events.map((event) => toPublicEvent(event));
  }
}

/** Epoch ms → Vietnam ISO string (for generated stories). */
export function vnAt(ms: number): string {
  return toVnIsoString(ms);
}
