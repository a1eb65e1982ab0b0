import { type IndicatorEngine } from './indicator-engine';
import { LocalIndicatorEngine } from './local-indicator-engine';

/** The one place that chooses the reducer implementation (ADR 0401). */
export function createIndicatorEngine(): IndicatorEngine {
  return new LocalIndicatorEngine();
}
