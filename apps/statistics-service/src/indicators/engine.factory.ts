import { DomainIndicatorEngine } from './domain-indicator-engine';
import { type IndicatorEngine } from './indicator-engine';

/** The one place that chooses the reducer implementation (ADR 0401): the shared one of @onestop/domain. */
export function createIndicatorEngine(
  onUnknownUnit?: (unitId: string, day: string, reason: string) => void,
): IndicatorEngine {
  return new DomainIndicatorEngine(undefined, onUnknownUnit);
}
