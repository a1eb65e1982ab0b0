import {
  ALL_DIMENSION,
  counterKey,
  type Dimension,
  type IndicatorTable,
} from './indicator-contributions.util';
import { METRICS, type Metric, type MetricCounters } from './indicator-metrics.constant';
import type { PeriodKey } from './indicator-period.util';

/**
 * Decision 766 / national-report ratios as fractions in [0, 1]; null when the denominator is 0. A type alias (not
 * an interface) so it is assignable to `Record<string, number | null>`.
 */
export type IndicatorRates = {
  /** receivedOnline / received (indicator 3.3 before the sync factor). */
  readonly onlineRate: number | null;
  /** resolved / received. */
  readonly resolvedRate: number | null;
  /** (resolvedEarly + resolvedOnTime) / resolved. */
  readonly onTimeRate: number | null;
  /** resolvedLate / resolved. */
  readonly lateRate: number | null;
  /** digitised / received (indicator 4.2, without its e-result condition). */
  readonly digitisedRate: number | null;
  /** eResult / eResultRequired (indicator 4.1). */
  readonly eResultRate: number | null;
  /** reused / received (indicator 4.3). */
  readonly reuseRate: number | null;
  /** fromRepository / received (indicator 4.4). */
  readonly repositoryRate: number | null;
  /** vneidVerified / received (indicator 4.5). */
  readonly vneidRate: number | null;
  /** paidOnline / feeBearing (indicator 3.6). */
  readonly onlinePaymentRate: number | null;
  /** ratingDissatisfied / all ratings. */
  readonly dissatisfiedRate: number | null;
  /** 1 − (lateRate + dissatisfiedRate), floored at 0 (indicator 5.4); null when nothing was resolved or rated. */
  readonly satisfaction: number | null;
};

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** The rates of one counter cell (a unit, a period, a dimension). */
export function computeRates(counters: MetricCounters): IndicatorRates {
  const c = (metric: Metric): number => counters[metric] ?? 0;
  const received = c('received');
  const resolved = c('resolved');
  const rated = c('ratingVerySatisfied') + c('ratingSatisfied') + c('ratingDissatisfied');
  const lateRate = ratio(c('resolvedLate'), resolved);
  const dissatisfiedRate = ratio(c('ratingDissatisfied'), rated);
  return {
    onlineRate: ratio(c('receivedOnline'), received),
    resolvedRate: ratio(resolved, received),
    onTimeRate: ratio(c('resolvedEarly') + c('resolvedOnTime'), resolved),
    lateRate,
    digitisedRate: ratio(c('digitised'), received),
    eResultRate: ratio(c('eResult'), c('eResultRequired')),
    reuseRate: ratio(c('reused'), received),
    repositoryRate: ratio(c('fromRepository'), received),
    vneidRate: ratio(c('vneidVerified'), received),
    onlinePaymentRate: ratio(c('paidOnline'), c('feeBearing')),
    dissatisfiedRate,
    satisfaction:
      lateRate === null && dissatisfiedRate === null
        ? null
        : Math.max(0, 1 - (lateRate ?? 0) - (dissatisfiedRate ?? 0)),
  };
}

/** The counters of one cell of a table. */
export function countersOf(
  table: IndicatorTable,
  unitId: string,
  periodKey: PeriodKey,
  dimension: Dimension = ALL_DIMENSION,
): MetricCounters {
  const out: Partial<Record<Metric, number>> = {};
  for (const metric of METRICS) {
    const value = table[counterKey({ unitId, periodKey, dimension, metric })];
    if (value !== undefined) out[metric] = value;
  }
  return out;
}
