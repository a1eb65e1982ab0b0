/**
 * The statistics service's port onto the shared indicator reducer and unit registry. Everything that
 * decides WHAT is counted lives behind this interface (in @onestop/domain); the service decides only
 * HOW counts are stored, rolled up and served. See ADR 0401.
 */

/** A validated event from the public lifecycle topic (envelope fields the service relies on). */
export interface PublicEvent {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly key: string;
  readonly payload: { readonly dossierId: string; readonly [k: string]: unknown };
}

/** Opaque per-dossier fact sheet (stored as jsonb in statistics.dossier_facts). */
export type Facts = Record<string, unknown>;

/** One leaf counter cell of a dossier: a unit, a local calendar day, a metric and the dimension values. */
export interface LeafContribution {
  readonly unitId: string;
  /** Local (Asia/Ho_Chi_Minh) calendar day, YYYY-MM-DD. */
  readonly day: string;
  readonly metric: string;
  readonly procedureCode: string;
  readonly sectorCode: string;
  readonly value: number;
}

/** What the service needs to know about a dossier for time-dependent gauges and the periodic report. */
export interface DossierTimeline {
  readonly unitId: string;
  readonly procedureCode: string;
  readonly sectorCode: string;
  /** Counted as received (clock started). */
  readonly receivedAt: string | null;
  /** Processing ended (resolved, refused, withdrawn): not in progress any more. */
  readonly finishedAt: string | null;
  readonly dueAt: string | null;
  /** Still being processed (received, not finished). */
  readonly open: boolean;
  /** Clock paused (supplement, payment, suspension). */
  readonly paused: boolean;
}

export interface IndicatorEngine {
  /** Applies one event to a dossier's fact sheet (pure; undefined = never seen). */
  applyToFacts(facts: Facts | undefined, event: PublicEvent): Facts;
  /** Counter cells a fact sheet contributes. */
  contributions(facts: Facts | undefined): LeafContribution[];
  /** after − before, as signed cells (zero cells dropped). */
  diffContributions(before: LeafContribution[], after: LeafContribution[]): LeafContribution[];
  /** Recount oracle: folds a whole log (deduplicated by id, any order across dossiers) into leaf totals. */
  reduceEvents(events: Iterable<PublicEvent>): LeafContribution[];
  /** Decision 766 rates from a unit's counters. */
  computeRates(counts: Readonly<Record<string, number>>): Record<string, number | null>;
  timeline(facts: Facts | undefined): DossierTimeline | null;
  /** Ancestors of a unit at a date, nearest first, ending with the national root. */
  ancestorsAt(unitId: string, at: string): string[];
  /** Metrics the reducer can emit (for reports and zero-filling). */
  readonly metrics: readonly string[];
}

export const INDICATOR_ENGINE = Symbol('INDICATOR_ENGINE');
export const NATIONAL_ROOT = 'VN';
