/**
 * Counters the indicator reducer produces, one increment per dossier per metric (domain.md §2.5, §3).
 * Bucketing instant of each metric:
 * - receipt cohort (by `receivedAt`): received, receivedOnline/Direct/Postal, digitised, reused, fromRepository,
 *   vneidVerified, feeBearing, paidOnline, supplementRequestedMoreThanOnce;
 * - by `rejectedAt`: intakeRejected;
 * - by `finishedAt`: resolved, resolvedEarly/OnTime/Late, eResult, eResultRequired, refused, withdrawn;
 * - by `returnedAt`: returned; by `ratedAt`: ratingVerySatisfied/Satisfied/Dissatisfied.
 */
export const Metric = {
  Received: 'received',
  ReceivedOnline: 'receivedOnline',
  ReceivedDirect: 'receivedDirect',
  ReceivedPostal: 'receivedPostal',
  IntakeRejected: 'intakeRejected',
  Resolved: 'resolved',
  ResolvedEarly: 'resolvedEarly',
  ResolvedOnTime: 'resolvedOnTime',
  ResolvedLate: 'resolvedLate',
  Withdrawn: 'withdrawn',
  Refused: 'refused',
  Digitised: 'digitised',
  Reused: 'reused',
  FromRepository: 'fromRepository',
  VneidVerified: 'vneidVerified',
  EResult: 'eResult',
  EResultRequired: 'eResultRequired',
  FeeBearing: 'feeBearing',
  PaidOnline: 'paidOnline',
  RatingVerySatisfied: 'ratingVerySatisfied',
  RatingSatisfied: 'ratingSatisfied',
  RatingDissatisfied: 'ratingDissatisfied',
  Returned: 'returned',
  SupplementRequestedMoreThanOnce: 'supplementRequestedMoreThanOnce',
} as const;
export type Metric = (typeof Metric)[keyof typeof Metric];

/** Every metric, in report order (for zero-filling and report columns). */
export const METRICS: readonly Metric[] = Object.values(Metric);

/** Counters of one (unit, period, dimension) cell; absent metrics are 0. */
export type MetricCounters = Readonly<Partial<Record<Metric, number>>>;
