import {
  type InstantInput,
  MS_PER_HOUR,
  describeVnInstant,
  toEpochMillis,
  toVnDate,
} from '../time';

/** Resolved dossiers (domain.md §2.5): trước hạn / đúng hạn / trễ hạn. */
export const ResolutionTimeliness = { Early: 'EARLY', OnTime: 'ON_TIME', Late: 'LATE' } as const;
export type ResolutionTimeliness = (typeof ResolutionTimeliness)[keyof typeof ResolutionTimeliness];

/** Dossiers in progress at an instant: trong hạn / sắp đến hạn / quá hạn. */
export const ProgressTimeliness = {
  InTime: 'IN_TIME',
  DueSoon: 'DUE_SOON',
  Overdue: 'OVERDUE',
} as const;
export type ProgressTimeliness = (typeof ProgressTimeliness)[keyof typeof ProgressTimeliness];

/** DATE compares Vietnam local dates (TD, QĐ 766 builders; default); DATETIME compares instants (F766 wording). */
export const DueComparison = { Date: 'DATE', DateTime: 'DATETIME' } as const;
export type DueComparison = (typeof DueComparison)[keyof typeof DueComparison];

/** Which appointment classification uses (ADR 0101): the legal original (default) or the one after apologies. */
export const DueDateBasis = { Original: 'ORIGINAL', Current: 'CURRENT' } as const;
export type DueDateBasis = (typeof DueDateBasis)[keyof typeof DueDateBasis];

export interface TimelinessPolicy {
  readonly comparison: DueComparison;
  readonly basis: DueDateBasis;
  /** "Due soon" window for dossiers in progress; default 24 h (TD). */
  readonly dueSoonWithinMs: number;
  /** Paused dossiers (statuses 5, 6, 8) count as in time (domain.md §2.5); default true. */
  readonly pausedCountsAsInTime: boolean;
  /** F766 index rule: more than one supplementation request makes a dossier late; default false. */
  readonly multipleSupplementsAreLate: boolean;
}

export const DEFAULT_TIMELINESS_POLICY: TimelinessPolicy = {
  comparison: DueComparison.Date,
  basis: DueDateBasis.Original,
  dueSoonWithinMs: 24 * MS_PER_HOUR,
  pausedCountsAsInTime: true,
  multipleSupplementsAreLate: false,
};

export interface DueDates {
  /** `null` when the dossier has no appointment (noAppointment): always on time / in time. */
  readonly originalDueAt: InstantInput | null;
  /** The appointment after apology extensions; defaults to originalDueAt. */
  readonly currentDueAt?: InstantInput | null;
}

export interface ResolutionFacts extends DueDates {
  readonly finishedAt: InstantInput;
  readonly supplementRequestCount?: number;
}

export interface ProgressFacts extends DueDates {
  readonly asOf: InstantInput;
  /** True while the clock is stopped (supplement requested, awaiting payment, suspended). */
  readonly paused?: boolean;
}

export interface TimelinessVerdict<T> {
  readonly timeliness: T;
  readonly basis: DueDateBasis;
  readonly comparison: DueComparison;
  /** The due date compared against (`null` when there is none). */
  readonly dueAtMs: number | null;
  readonly explanation: string;
}

function pickDue(facts: DueDates, basis: DueDateBasis): number | null {
  const chosen =
    basis === DueDateBasis.Current
      ? (facts.currentDueAt ?? facts.originalDueAt)
      : facts.originalDueAt;
  return chosen === null || chosen === undefined ? null : toEpochMillis(chosen);
}

/**
 * Early / on time / late for a resolved dossier (domain.md §2.5, §7.3).
 * DATE: compare local dates (earlier date = early, same date = on time, later date = late).
 * DATETIME: late iff finishedAt is after the due instant; otherwise early when on an earlier date, else on time.
 */
export function classifyResolution(
  facts: ResolutionFacts,
  policy: Partial<TimelinessPolicy> = {},
): TimelinessVerdict<ResolutionTimeliness> {
  const p = { ...DEFAULT_TIMELINESS_POLICY, ...policy };
  const finished = toEpochMillis(facts.finishedAt);
  const due = pickDue(facts, p.basis);
  const verdict = (
    timeliness: ResolutionTimeliness,
    explanation: string,
  ): TimelinessVerdict<ResolutionTimeliness> => ({
    timeliness,
    basis: p.basis,
    comparison: p.comparison,
    dueAtMs: due,
    explanation,
  });
  if (p.multipleSupplementsAreLate && (facts.supplementRequestCount ?? 0) > 1) {
    return verdict(
      ResolutionTimeliness.Late,
      `${facts.supplementRequestCount} supplementation requests (> 1): late by policy`,
    );
  }
  if (due === null) return verdict(ResolutionTimeliness.OnTime, 'No appointment: counted on time');
  const finishedDate = toVnDate(finished);
  const dueDate = toVnDate(due);
  const against = `finished ${describeVnInstant(finished)} vs ${p.basis.toLowerCase()} due ${describeVnInstant(due)}`;
  if (p.comparison === DueComparison.DateTime && finished > due) {
    return verdict(ResolutionTimeliness.Late, `${against}: after the due instant`);
  }
  if (finishedDate < dueDate)
    return verdict(ResolutionTimeliness.Early, `${against}: earlier date`);
  if (finishedDate === dueDate)
    return verdict(ResolutionTimeliness.OnTime, `${against}: same date`);
  return verdict(ResolutionTimeliness.Late, `${against}: later date`);
}

/**
 * In time / due soon / overdue for a dossier in progress at `asOf`.
 * Overdue: DATE → due date before asOf's date; DATETIME → due instant before asOf.
 * Due soon: not overdue and due within `dueSoonWithinMs` of asOf (a due instant already passed on the same
 * date counts as due soon under DATE comparison).
 */
export function classifyProgress(
  facts: ProgressFacts,
  policy: Partial<TimelinessPolicy> = {},
): TimelinessVerdict<ProgressTimeliness> {
  const p = { ...DEFAULT_TIMELINESS_POLICY, ...policy };
  const asOf = toEpochMillis(facts.asOf);
  const due = pickDue(facts, p.basis);
  const verdict = (
    timeliness: ProgressTimeliness,
    explanation: string,
  ): TimelinessVerdict<ProgressTimeliness> => ({
    timeliness,
    basis: p.basis,
    comparison: p.comparison,
    dueAtMs: due,
    explanation,
  });
  if (facts.paused === true && p.pausedCountsAsInTime)
    return verdict(ProgressTimeliness.InTime, 'Clock paused: counted in time');
  if (due === null) return verdict(ProgressTimeliness.InTime, 'No appointment: counted in time');
  const against = `${p.basis.toLowerCase()} due ${describeVnInstant(due)} at ${describeVnInstant(asOf)}`;
  const overdue = p.comparison === DueComparison.Date ? toVnDate(due) < toVnDate(asOf) : due < asOf;
  if (overdue) return verdict(ProgressTimeliness.Overdue, `${against}: overdue`);
  if (due - asOf <= p.dueSoonWithinMs)
    return verdict(
      ProgressTimeliness.DueSoon,
      `${against}: due within ${p.dueSoonWithinMs / MS_PER_HOUR} h`,
    );
  return verdict(ProgressTimeliness.InTime, `${against}: in time`);
}
