import {
  DueDateBasis,
  ProgressTimeliness,
  classifyProgress,
  type TimelinessPolicy,
} from '../deadlines/timeliness.util';
import { toEpochMillis, toVnDate, type InstantInput } from '../time/vn-time.util';
import { PAUSED_STATUSES, type DossierFacts } from './dossier-facts.util';

/**
 * Gauges that change with the clock and no event (in progress in time / due soon / overdue, carried over)
 * cannot be counters: the service computes them at query time from the stored facts with these functions.
 */

export const NotOpenReason = {
  /** No DossierReceived seen, or received after `asOf` (a submitted or intake-rejected dossier is never open). */
  NotReceived: 'NOT_RECEIVED',
  /** Resolved, refused, withdrawn or returned at or before `asOf`. */
  Finished: 'FINISHED',
} as const;
export type NotOpenReason = (typeof NotOpenReason)[keyof typeof NotOpenReason];

export type OpenDossierStatus =
  | { readonly open: false; readonly reason: NotOpenReason }
  | {
      readonly open: true;
      /** IN_TIME, DUE_SOON (within the policy window, 24 h by default) or OVERDUE. */
      readonly timeliness: ProgressTimeliness;
      /** Clock stopped at `asOf` (supplement requested, awaiting payment, suspended): counted in time. */
      readonly paused: boolean;
      /** The due date compared against (legal by default, see the timeliness policy). */
      readonly dueAt: string | null;
    };

/** When processing ended: finishedAt, or the return time if the outcome event has not been seen. */
function endedAt(facts: DossierFacts): number | null {
  const end = facts.finishedAt ?? facts.returnedAt;
  return end === null ? null : toEpochMillis(end);
}

/**
 * Whether the dossier's current paused status (supplement requested, awaiting payment, suspended) stops its clock:
 * only a pause that began on or before the legal due DAY does. A pause that began after the day the time limit
 * expired stops nothing (ADR 0101, amendment 2026-11-25: a late supplement request "neither restarts nor pauses the
 * clock"): the dossier stays overdue (black-box round 10: an overdue dossier counted "in time" as soon as a
 * supplement was requested).
 */
export function pauseStopsClock(facts: Pick<DossierFacts, 'status' | 'statusAt' | 'originalDueAt'>): boolean {
  if (facts.status === null || !PAUSED_STATUSES.has(facts.status)) return false;
  if (facts.statusAt === null || facts.originalDueAt === null) return true;
  return toVnDate(toEpochMillis(facts.statusAt)) <= toVnDate(toEpochMillis(facts.originalDueAt));
}

/**
 * Whether a dossier is in progress at `asOf` and, if so, in time / due soon / overdue (domain.md §2.5).
 * Paused is known only from the current status: a dossier whose latest status change is after `asOf` is
 * treated as running at `asOf` (exact for `asOf` = now; an approximation for past instants).
 */
export function openDossierStatus(
  facts: DossierFacts,
  asOf: InstantInput,
  policy: Partial<TimelinessPolicy> = {},
): OpenDossierStatus {
  const at = toEpochMillis(asOf);
  if (facts.receivedAt === null || toEpochMillis(facts.receivedAt) > at) {
    return { open: false, reason: NotOpenReason.NotReceived };
  }
  const end = endedAt(facts);
  if (end !== null && end <= at) return { open: false, reason: NotOpenReason.Finished };
  const paused = pauseStopsClock(facts) && facts.statusAt !== null && toEpochMillis(facts.statusAt) <= at;
  const verdict = classifyProgress(
    { originalDueAt: facts.originalDueAt, currentDueAt: facts.dueAt, asOf: at, paused },
    policy,
  );
  const dueAt =
    policy.basis === DueDateBasis.Current
      ? (facts.dueAt ?? facts.originalDueAt)
      : facts.originalDueAt;
  return { open: true, timeliness: verdict.timeliness, paused, dueAt };
}

/** In-progress gauges of a unit at the end of a period (report 06a/06b "đang xử lý"). */
export interface InProgressBreakdown {
  /** inTime + overdue. */
  readonly inProgress: number;
  /** In time, due-soon ones included. */
  readonly inTime: number;
  /** Subset of inTime due within the policy window. */
  readonly dueSoon: number;
  readonly overdue: number;
  /** Subset of inTime whose clock is stopped. */
  readonly paused: number;
}

export interface InProgressFilter {
  readonly procedureCode?: string;
  readonly sectorCode?: string;
}

/**
 * Counts a unit's dossiers in progress at the end of a period. `periodEnd` is exclusive (e.g. the next
 * period's start, `periodBounds(key).end`): dossiers are evaluated at the last millisecond of the period.
 */
export function inProgressBreakdown(
  factsList: Iterable<DossierFacts>,
  unitId: string,
  periodEnd: InstantInput,
  policy: Partial<TimelinessPolicy> = {},
  filter: InProgressFilter = {},
): InProgressBreakdown {
  const asOf = toEpochMillis(periodEnd) - 1;
  let inTime = 0;
  let dueSoon = 0;
  let overdue = 0;
  let paused = 0;
  for (const facts of factsList) {
    if (facts.unitId !== unitId) continue;
    if (filter.procedureCode !== undefined && facts.procedureCode !== filter.procedureCode)
      continue;
    if (filter.sectorCode !== undefined && facts.sectorCode !== filter.sectorCode) continue;
    const status = openDossierStatus(facts, asOf, policy);
    if (!status.open) continue;
    if (status.timeliness === ProgressTimeliness.Overdue) {
      overdue += 1;
      continue;
    }
    inTime += 1;
    if (status.timeliness === ProgressTimeliness.DueSoon) dueSoon += 1;
    if (status.paused) paused += 1;
  }
  return { inProgress: inTime + overdue, inTime, dueSoon, overdue, paused };
}

/** Carried over into a period (tồn kỳ trước): received before `periodStart` and not finished before it. */
export function carriedOver(facts: DossierFacts, periodStart: InstantInput): boolean {
  const start = toEpochMillis(periodStart);
  if (facts.receivedAt === null || toEpochMillis(facts.receivedAt) >= start) return false;
  const end = endedAt(facts);
  return end === null || end >= start;
}

/** A flat view of a dossier's facts for time-dependent gauges and reports. */
export interface DossierTimeline {
  readonly unitId: string;
  readonly procedureCode: string;
  /** `''` when not known. */
  readonly sectorCode: string;
  readonly receivedAt: string | null;
  /** End of processing (resolved, refused, withdrawn), or return time when only that is known. */
  readonly finishedAt: string | null;
  /** Legal due date. */
  readonly dueAt: string | null;
  /** Current appointment (with apology extensions). */
  readonly currentDueAt: string | null;
  /** Received and not finished, as far as the events seen tell. */
  readonly open: boolean;
  /**
   * The clock is stopped: the current status is a paused one (supplement requested, awaiting payment, suspended)
   * reached on or before the legal due day (`pauseStopsClock`).
   */
  readonly paused: boolean;
}

export function dossierTimeline(facts: DossierFacts): DossierTimeline {
  const finishedAt = facts.finishedAt ?? facts.returnedAt;
  return {
    unitId: facts.unitId,
    procedureCode: facts.procedureCode,
    sectorCode: facts.sectorCode ?? '',
    receivedAt: facts.receivedAt,
    finishedAt,
    dueAt: facts.originalDueAt,
    currentDueAt: facts.dueAt,
    open: facts.receivedAt !== null && finishedAt === null,
    paused: pauseStopsClock(facts),
  };
}
