import { METRICS, computeRates } from '@onestop/domain';
import { type IndicatorEngine } from '../indicators/indicator-engine';

/** What a ranking metric is: a counter of the period, a Decision 766 rate (0..1, null without a denominator), or a live gauge. */
export type RankingMetricKind = 'count' | 'rate' | 'gauge';

/** The in-progress gauges of an answer (`Gauges` of indicators.service.ts), computed at query time. */
export const GAUGE_METRICS = ['inProgress', 'inProgressInTime', 'inProgressOverdue', 'dueSoon', 'paused'] as const;

/**
 * Every name a ranking accepts, with its kind: the engine's counters, the rates its `computeRates` returns and the
 * gauges (a gauge wins over a rate, a rate over a counter, should a name ever be both).
 */
export function rankingMetrics(engine: Pick<IndicatorEngine, 'metrics' | 'computeRates'>): ReadonlyMap<string, RankingMetricKind> {
  const out = new Map<string, RankingMetricKind>();
  for (const m of engine.metrics) out.set(m, 'count');
  for (const m of Object.keys(engine.computeRates({}))) out.set(m, 'rate');
  for (const m of GAUGE_METRICS) out.set(m, 'gauge');
  return out;
}

/** The names of `rankingMetrics` for the OpenAPI document (the domain's metrics and rates, as the engine serves them). */
export const DOCUMENTED_RANKING_METRICS: readonly string[] = [...rankingMetrics({ metrics: METRICS, computeRates }).keys()];
