import {
  DataReuseSource,
  DossierStatus,
  type ApplicantType,
  type Channel,
  type PublicDossierEventV1,
  type Rating,
} from '@onestop/contracts';
import { toEpochMillis } from '../time/vn-time.util';

/**
 * An event the reducer reads: the public-topic form. Internal-topic events are accepted too (they only
 * carry more fields), so the reducer works on either topic.
 */
export type IndicatorEvent = PublicDossierEventV1;

/** How a dossier's processing ended. */
export const DossierOutcome = {
  Resolved: 'RESOLVED',
  Refused: 'REFUSED',
  Withdrawn: 'WITHDRAWN',
} as const;
export type DossierOutcome = (typeof DossierOutcome)[keyof typeof DossierOutcome];

/**
 * The version of a fact: which event set it. Facts are compared by `rank` (how authoritative the source event
 * type is for that fact), then by `at` (the event's `occurredAt`, epoch ms), then by event `id`. That is a total
 * order, so every merge below is commutative, associative and idempotent.
 */
export interface FactStamp {
  readonly rank: number;
  readonly at: number;
  readonly id: string;
}

/**
 * The per-dossier fact sheet the statistics service keeps (as JSON) and every recount rebuilds: a pure,
 * order-insensitive merge of the dossier's events (`applyToFacts`). Every field is JSON-safe (no undefined).
 *
 * Merge rules (docs/event-contract.md, "Indicator reducer"):
 * - set-once facts keep the value of the most authoritative, then EARLIEST event: identity (unit, procedure),
 *   profile (channel, sector, applicant type), submission, intake, rejection, return, paper-result flag;
 * - latest-wins facts keep the value of the LATEST event by `occurredAt`: legal and current due dates, outcome,
 *   rating; status is latest-wins within a lifecycle phase, and a later phase always beats an earlier one;
 * - monotone flags only go false → true (digitised, reused, paid online, e-result, ...); counts take the max;
 * - `feeCharged` is a register ranked by what the source event says about the fee (FEE_RANK): money paid beats a
 *   zero-amount settlement (an exempt applicant), which beats a charged obligation, which beats an exempt or
 *   all-zero obligation.
 */
export interface DossierFacts {
  readonly dossierId: string;
  /** Receiving one-stop unit (receivingUnitId). */
  readonly unitId: string;
  readonly procedureCode: string;
  readonly sectorCode: string | null;
  readonly channel: Channel | null;
  readonly applicantType: ApplicantType | null;
  readonly submittedAt: string | null;
  /** Set when DossierReceived was seen: the dossier counts as received. */
  readonly receivedAt: string | null;
  readonly resolvingUnitId: string | null;
  readonly noAppointment: boolean | null;
  readonly feeRequired: boolean | null;
  readonly rejectedAt: string | null;
  /**
   * Legal due date: at receipt, re-based by supplementation and shifted by the end of a suspension or a payment
   * wait (their `newDueAt`), never moved by an apology.
   */
  readonly originalDueAt: string | null;
  /** Current appointment: moved like the legal due date, and also by apologies. */
  readonly dueAt: string | null;
  readonly paperResultRequired: boolean | null;
  /** Lifecycle status decided by phase, then occurredAt; null until a status-bearing event is seen. */
  readonly status: DossierStatus | null;
  /** occurredAt of the event that set `status`. */
  readonly statusAt: string | null;
  readonly outcome: DossierOutcome | null;
  readonly finishedAt: string | null;
  readonly returnedAt: string | null;
  readonly rating: Rating | null;
  readonly ratedAt: string | null;
  /** Highest supplement request ordinal seen. */
  readonly supplementRequests: number;
  readonly digitised: boolean;
  readonly reused: boolean;
  readonly fromRepository: boolean;
  /** VNeID-authenticated account or population-database data used (indicator 4.5). */
  readonly vneidVerified: boolean;
  /**
   * A FinancialObligationRequested or PaymentCompleted event was seen: the fee facts come from events, no longer
   * from the intake's `feeRequired` flag.
   */
  readonly feeObligationSeen: boolean;
  /**
   * The applicant is charged a fee (indicator 3.6 denominator; domain.md §1.5): an amount above zero was paid,
   * or, when no payment was seen, a non-exempt obligation with a total above zero. A payment of zero (every
   * charged line exempt) settles the fee without charging it: "đối tượng miễn phí" leave the denominator.
   */
  readonly feeCharged: boolean;
  /** An amount above zero was paid through an online platform (DuocThanhToanTrucTuyen 1 or 2). */
  readonly paidOnline: boolean;
  readonly eResultIssued: boolean;
  readonly eResultLegallyValid: boolean;
  /** Version of each fact group (see FactStamp). */
  readonly stamps: Readonly<Record<string, FactStamp>>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type FlagName =
  | 'digitised'
  | 'reused'
  | 'fromRepository'
  | 'vneidVerified'
  | 'feeObligationSeen'
  | 'paidOnline'
  | 'eResultIssued'
  | 'eResultLegallyValid';

const Mode = { First: 'first', Last: 'last' } as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** Lifecycle phase of each status: a later phase always wins, whatever the timestamps say. */
export const STATUS_PHASE: Readonly<Record<DossierStatus, number>> = {
  SUBMITTED: 0,
  RECEIVED: 1,
  IN_PROCESS: 2,
  SUPPLEMENT_REQUESTED: 2,
  AWAITING_PAYMENT: 2,
  SUSPENDED: 2,
  INTAKE_REJECTED: 3,
  REFUSED: 3,
  WITHDRAWN: 3,
  // result-service's outcome wins over a refusal or withdrawal that crossed it, whatever their order (ADR 0300
  // amendment: every view, the statistics' fact sheets included, ends on the same status)
  RESOLVED: 4,
  RETURNED: 5,
};

/**
 * Rank of what an event says about the fee (the `fee` register, value `feeCharged`): a payment is the final word
 * on what was charged — any amount paid makes the dossier fee-bearing, a zero-amount settlement (exemption) takes
 * it out — and an obligation decides only while no payment is known (any charged obligation makes it
 * fee-bearing). Each rank carries one value, so the register is the same whatever the order of the events.
 */
export const FEE_RANK = {
  /** An exempt or all-zero obligation (not charged). */
  ObligationNotCharged: 1,
  /** A non-exempt obligation with a total above zero (charged). */
  ObligationCharged: 2,
  /** A PaymentCompleted of amount 0: every charged line exempt (not charged). */
  SettledWithoutPayment: 3,
  /** A PaymentCompleted of an amount above zero (charged). */
  Paid: 4,
} as const;

/** Statuses in which the clock is stopped (national codes 5, 6, 8). */
export const PAUSED_STATUSES: ReadonlySet<DossierStatus> = new Set<DossierStatus>([
  DossierStatus.SupplementRequested,
  DossierStatus.AwaitingPayment,
  DossierStatus.Suspended,
]);

/** Whether an event's stamp (rank, at, id) beats the stored one (no stamp object unless it wins). */
function beats(rank: number, at: number, id: string, current: FactStamp, mode: Mode): boolean {
  if (rank !== current.rank) return rank > current.rank;
  if (at !== current.at) return mode === Mode.First ? at < current.at : at > current.at;
  return id > current.id;
}

/**
 * Copy-on-write merge of events into a fact sheet: the sheet is copied on the first change only, then the copy
 * (private to this merge) takes every later change of the same merge; `result()` is the base itself when nothing
 * changed. A base that nobody else holds (a new dossier's empty sheet) is written in place from the start.
 */
class FactsMerge {
  private draft: Mutable<DossierFacts> | null = null;
  private stamps: Record<string, FactStamp> | null = null;
  /** occurredAt (epoch ms) and id of the event being merged. */
  private at = 0;
  private id = '';

  constructor(
    private readonly base: DossierFacts,
    owned: boolean,
  ) {
    if (owned) {
      this.draft = base as Mutable<DossierFacts>;
      this.stamps = base.stamps as Record<string, FactStamp>;
    }
  }

  /** Starts merging the next event. */
  event(at: number, id: string): void {
    this.at = at;
    this.id = id;
  }

  get current(): DossierFacts {
    return this.draft ?? this.base;
  }

  private write(): Mutable<DossierFacts> {
    if (this.draft === null) {
      this.stamps = { ...this.base.stamps };
      this.draft = { ...this.base, stamps: this.stamps };
    }
    return this.draft;
  }

  /** Register merge: the group's fields take `values` when this event's stamp beats the stored one. */
  register(group: string, rank: number, mode: Mode, values: Partial<DossierFacts>): void {
    const current = this.current.stamps[group];
    if (current !== undefined && !beats(rank, this.at, this.id, current, mode)) return;
    const draft = this.write();
    (this.stamps as Record<string, FactStamp>)[group] = { rank, at: this.at, id: this.id };
    Object.assign(draft, values);
  }

  flag(name: FlagName, value: boolean): void {
    if (value && !this.current[name]) this.write()[name] = true;
  }

  maxSupplementRequests(value: number): void {
    if (value > this.current.supplementRequests) this.write().supplementRequests = value;
  }

  status(status: DossierStatus, occurredAt: string): void {
    this.register('status', STATUS_PHASE[status], Mode.Last, { status, statusAt: occurredAt });
  }

  result(): DossierFacts {
    return this.current;
  }
}

/** The empty fact sheet of a dossier (identity filled by the first event merged into it). */
export function emptyFacts(dossierId: string): DossierFacts {
  return {
    dossierId,
    unitId: '',
    procedureCode: '',
    sectorCode: null,
    channel: null,
    applicantType: null,
    submittedAt: null,
    receivedAt: null,
    resolvingUnitId: null,
    noAppointment: null,
    feeRequired: null,
    rejectedAt: null,
    originalDueAt: null,
    dueAt: null,
    paperResultRequired: null,
    status: null,
    statusAt: null,
    outcome: null,
    finishedAt: null,
    returnedAt: null,
    rating: null,
    ratedAt: null,
    supplementRequests: 0,
    digitised: false,
    reused: false,
    fromRepository: false,
    vneidVerified: false,
    feeObligationSeen: false,
    feeCharged: false,
    paidOnline: false,
    eResultIssued: false,
    eResultLegallyValid: false,
    stamps: {},
  };
}

/** Rank of an event type as the source of the dossier's identity (unit, procedure). */
function identityRank(type: IndicatorEvent['type']): number {
  if (type === 'DossierReceived') return 3;
  if (type === 'DossierSubmitted') return 2;
  return 1;
}

/**
 * Merges one event into a dossier's fact sheet (undefined = first event of the dossier). Pure and
 * idempotent; the result does not depend on the order in which a dossier's events are merged, so duplicates
 * and any reordering give the same facts. Returns `facts` itself when the event changes nothing.
 * @throws RangeError when the event belongs to another dossier.
 */
export function applyToFacts(facts: DossierFacts | undefined, event: IndicatorEvent): DossierFacts {
  const base = facts ?? emptyFacts(event.payload.dossierId);
  const m = new FactsMerge(base, facts === undefined);
  mergeEvent(m, base.dossierId, event);
  return m.result();
}

/**
 * Merges a dossier's events into its fact sheet in the given order: the same sheet as folding `applyToFacts` over
 * them (`facts` itself when no event changes anything, `facts` is never modified), but the sheet is copied once
 * instead of once per changing event. undefined only when `facts` is undefined and there is no event.
 * @throws RangeError when an event belongs to another dossier.
 */
export function applyEventsToFacts(
  facts: DossierFacts | undefined,
  events: Iterable<IndicatorEvent>,
): DossierFacts | undefined {
  let m: FactsMerge | undefined;
  let dossierId = '';
  for (const event of events) {
    if (m === undefined) {
      const base = facts ?? emptyFacts(event.payload.dossierId);
      m = new FactsMerge(base, facts === undefined);
      dossierId = base.dossierId;
    }
    mergeEvent(m, dossierId, event);
  }
  return m === undefined ? facts : m.result();
}

/**
 * The end of a payment wait or a suspension shifts the legal due date by the pause: `newDueAt` (when the producer
 * sends it) is the legal due date from now on, and the appointment with it, as `SupplementReceived.newDueAt`
 * (latest event wins, so an apology issued after it still moves only the appointment). Events written before the
 * field existed (absent) or of a dossier without a due date (null) leave both dates as they are.
 */
function followNewDue(m: FactsMerge, newDueAt: string | null | undefined): void {
  if (typeof newDueAt !== 'string') return;
  m.register('legalDue', 1, Mode.Last, { originalDueAt: newDueAt });
  m.register('currentDue', 1, Mode.Last, { dueAt: newDueAt });
}

/** Merges one event (of dossier `dossierId`) into the merge's sheet. */
function mergeEvent(m: FactsMerge, dossierId: string, event: IndicatorEvent): void {
  const p = event.payload;
  if (dossierId !== p.dossierId) {
    throw new RangeError(
      `Event ${event.id} of dossier ${p.dossierId} merged into the facts of ${dossierId}`,
    );
  }
  m.event(toEpochMillis(event.occurredAt), event.id);
  m.register('identity', identityRank(event.type), Mode.First, {
    unitId: p.receivingUnitId,
    procedureCode: p.procedureCode,
  });

  switch (event.type) {
    case 'DossierSubmitted': {
      const q = event.payload;
      m.register('profile', 1, Mode.First, {
        channel: q.channel,
        sectorCode: q.sectorCode ?? null,
        applicantType: q.applicantType,
      });
      m.register('submission', 2, Mode.First, { submittedAt: q.submittedAt });
      m.status(DossierStatus.Submitted, event.occurredAt);
      break;
    }
    case 'DossierReceived': {
      const q = event.payload;
      m.register('profile', 2, Mode.First, {
        channel: q.channel,
        sectorCode: q.sectorCode,
        applicantType: q.applicantType,
      });
      if (q.submittedAt !== undefined)
        m.register('submission', 1, Mode.First, { submittedAt: q.submittedAt });
      m.register('intake', 1, Mode.First, {
        receivedAt: q.receivedAt,
        resolvingUnitId: q.resolvingUnitId,
        noAppointment: q.noAppointment,
        feeRequired: q.feeRequired,
      });
      m.register('paperResult', 2, Mode.First, { paperResultRequired: q.paperResultRequired });
      m.register('legalDue', 1, Mode.Last, { originalDueAt: q.originalDueAt ?? q.dueAt });
      m.register('currentDue', 1, Mode.Last, { dueAt: q.dueAt });
      m.flag(
        'digitised',
        q.components.some((c) => c.digitised),
      );
      m.flag(
        'reused',
        q.components.some((c) => c.reused),
      );
      m.flag(
        'fromRepository',
        q.components.some((c) => c.fromCitizenRepository),
      );
      m.flag('vneidVerified', q.identityVerifiedWithVneid);
      m.status(DossierStatus.Received, event.occurredAt);
      break;
    }
    case 'DossierIntakeRejected':
      m.register('rejection', 1, Mode.First, { rejectedAt: event.payload.rejectedAt });
      m.status(DossierStatus.IntakeRejected, event.occurredAt);
      break;
    case 'PaymentCompleted': {
      // Only money paid counts (domain.md §1.5, indicator 3.6): a zero amount settles an exempt or all-zero
      // obligation; it is neither an online payment nor a fee charged.
      const paid = event.payload.amount > 0;
      m.flag('feeObligationSeen', true);
      m.register('fee', paid ? FEE_RANK.Paid : FEE_RANK.SettledWithoutPayment, Mode.Last, {
        feeCharged: paid,
      });
      m.flag('paidOnline', paid && event.payload.paidOnline);
      followNewDue(m, event.payload.newDueAt);
      m.status(DossierStatus.InProcess, event.occurredAt);
      break;
    }
    case 'ProcessingResumed':
      followNewDue(m, event.payload.newDueAt);
      m.status(DossierStatus.InProcess, event.occurredAt);
      break;
    case 'DossierTransferred':
    case 'InterAgencyStepStarted':
    case 'InterAgencyStepCompleted':
      m.status(DossierStatus.InProcess, event.occurredAt);
      break;
    case 'SupplementRequested':
      m.maxSupplementRequests(event.payload.requestCount);
      m.status(DossierStatus.SupplementRequested, event.occurredAt);
      break;
    case 'SupplementReceived':
      // Restart or pause, the new due date is the legal one from now on (docs/event-contract.md).
      m.register('legalDue', 1, Mode.Last, { originalDueAt: event.payload.newDueAt });
      m.register('currentDue', 1, Mode.Last, { dueAt: event.payload.newDueAt });
      m.status(DossierStatus.InProcess, event.occurredAt);
      break;
    case 'FinancialObligationRequested': {
      const q = event.payload;
      const charged = !q.exempt && q.totalAmount > 0;
      m.flag('feeObligationSeen', true);
      m.register(
        'fee',
        charged ? FEE_RANK.ObligationCharged : FEE_RANK.ObligationNotCharged,
        Mode.Last,
        { feeCharged: charged },
      );
      if (charged) m.status(DossierStatus.AwaitingPayment, event.occurredAt);
      break;
    }
    case 'ProcessingSuspended':
      m.status(DossierStatus.Suspended, event.occurredAt);
      break;
    case 'ApologyIssued':
      // Moves the appointment only: the legal due date, and so late/on-time, is unchanged.
      m.register('currentDue', 1, Mode.Last, { dueAt: event.payload.newDueAt });
      break;
    case 'DossierRefused':
      m.register('outcome', 1, Mode.Last, {
        outcome: DossierOutcome.Refused,
        finishedAt: event.payload.finishedAt,
      });
      m.status(DossierStatus.Refused, event.occurredAt);
      break;
    case 'DossierWithdrawn':
      m.register('outcome', 1, Mode.Last, {
        outcome: DossierOutcome.Withdrawn,
        finishedAt: event.payload.finishedAt,
      });
      m.status(DossierStatus.Withdrawn, event.occurredAt);
      break;
    case 'DossierResolved': {
      const q = event.payload;
      // rank 2: beats a refusal or withdrawal (rank 1) that crossed it, in either order (ADR 0300 amendment)
      m.register('outcome', 2, Mode.Last, {
        outcome: DossierOutcome.Resolved,
        finishedAt: q.finishedAt,
      });
      m.register('legalDue', 1, Mode.Last, { originalDueAt: q.originalDueAt });
      m.register('currentDue', 1, Mode.Last, { dueAt: q.dueAt });
      m.register('paperResult', 1, Mode.First, { paperResultRequired: q.paperResultRequired });
      m.flag('eResultIssued', q.eResult.issued);
      m.flag('eResultLegallyValid', q.eResult.legallyValid);
      m.status(DossierStatus.Resolved, event.occurredAt);
      break;
    }
    case 'ResultReturned':
      m.register('returned', 1, Mode.First, { returnedAt: event.payload.returnedAt });
      m.status(DossierStatus.Returned, event.occurredAt);
      break;
    case 'DossierRated':
      m.register('rating', 1, Mode.Last, {
        rating: event.payload.rating,
        ratedAt: event.payload.ratedAt,
      });
      break;
    case 'ComponentDigitised':
      m.flag('digitised', true);
      m.flag('reused', event.payload.reused);
      m.flag('fromRepository', event.payload.fromCitizenRepository);
      break;
    case 'DataReused':
      m.flag('reused', true);
      m.flag('fromRepository', event.payload.source === DataReuseSource.CitizenRepository);
      m.flag('vneidVerified', event.payload.source === DataReuseSource.PopulationDatabase);
      break;
    case 'DossierDueSoon':
    case 'DossierOverdue':
      // Watcher alerts: statistics compute due-soon/overdue from the due dates at query time.
      break;
    default:
      // An event type added after this build (additive v1 change): identity only.
      break;
  }
}

/** Folds a list of events into fact sheets per dossier id (any order, duplicates allowed). */
export function foldFacts(
  events: Iterable<IndicatorEvent>,
  into: Map<string, DossierFacts> = new Map(),
): Map<string, DossierFacts> {
  for (const event of events) {
    const id = event.payload.dossierId;
    into.set(id, applyToFacts(into.get(id), event));
  }
  return into;
}
