/**
 * The statistics service's port onto the shared indicator reducer and unit registry of @onestop/domain.
 * Everything that decides WHAT is counted lives behind this interface (implemented by
 * `DomainIndicatorEngine`); the service decides only HOW counts are stored, rolled up and served. See ADR 0401.
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

/** Opaque per-dossier fact sheet (the domain's `DossierFacts`, stored as json in statistics.dossier_facts). */
export type Facts = Record<string, unknown>;

/** One leaf counter cell of a dossier (the domain's shape): unit × Vietnam day × metric × procedure × sector. */
export interface LeafContribution {
  readonly unitId: string;
  /** Vietnam local calendar day, YYYY-MM-DD. */
  readonly day: string;
  readonly metric: string;
  readonly procedureCode: string;
  /** `''` while the sector is unknown (then no `S:` cell). */
  readonly sectorCode: string;
  readonly value: number;
}

/** A cell keyed by period and dimension (`*`, `P:<procedure>`, `S:<sector>`), before the unit roll-up. */
export interface PeriodCell {
  readonly unitId: string;
  readonly periodKey: string;
  readonly dimension: string;
  readonly metric: string;
  readonly value: number;
}

/** What the service needs to know about a dossier for time-dependent gauges and the periodic report. */
export interface DossierTimeline {
  readonly unitId: string;
  readonly procedureCode: string;
  readonly sectorCode: string;
  /** Counted as received (clock started). */
  readonly receivedAt: string | null;
  /** Processing ended (resolved, refused, withdrawn, or returned): not in progress any more. */
  readonly finishedAt: string | null;
  /** Legal due date (the domain's default basis for in time / overdue). */
  readonly dueAt: string | null;
  /** Still being processed (received, not finished). */
  readonly open: boolean;
  /** Clock paused (supplement, payment, suspension). */
  readonly paused: boolean;
}

export interface IndicatorEngine {
  /** Applies one event to a dossier's fact sheet (pure; undefined = never seen). */
  applyToFacts(facts: Facts | undefined, event: PublicEvent): Facts;
  /**
   * Applies a dossier's events in order: the same sheet as folding `applyToFacts` over them (pure; `facts` itself
   * when nothing changes), copying the sheet once instead of per event.
   */
  applyEventsToFacts(facts: Facts | undefined, events: readonly PublicEvent[]): Facts | undefined;
  /** Leaf counter cells a fact sheet contributes. */
  leafContributions(facts: Facts | undefined): LeafContribution[];
  /** after − before, as signed cells (zero cells dropped). */
  diffContributions(before: LeafContribution[], after: LeafContribution[]): LeafContribution[];
  /** Expands leaf cells to the stored period × dimension cells (same unit). */
  expand(leaves: readonly LeafContribution[]): PeriodCell[];
  /** Recount: folds a whole log (any order, duplicates allowed) into summed leaf cells. */
  reduceEventsToLeaves(events: Iterable<PublicEvent>): LeafContribution[];
  /** Decision 766 rates from a unit's counters. */
  computeRates(counts: Readonly<Record<string, number>>): Record<string, number | null>;
  /** Null when the dossier was never received. */
  timeline(facts: Facts | undefined): DossierTimeline | null;
  /**
   * Ancestors of a unit on a Vietnam day, nearest first, ending with the national root (`VN`), as the codes of
   * the domain's roll-up nodes: `01.00004 → 00004 → 01 → VN` (the ids the dashboard's /units.json names).
   */
  ancestorsAt(unitId: string, day: string): string[];
  /**
   * The unit whose counter rows hold `unitId`'s counts (ADR 0403): a commune's code maps to its single one-stop
   * unit (`00004 → 01.00004`, the only unit that ever rolls up into it), every other unit to itself. Commune-level
   * counter rows are not stored; reads of a commune read its one-stop unit's rows.
   */
  storedUnitOf(unitId: string): string;
  /** Metrics the reducer can emit (for reports and zero-filling). */
  readonly metrics: readonly string[];
}

export const INDICATOR_ENGINE = Symbol('INDICATOR_ENGINE');
export const NATIONAL_ROOT = 'VN';

/** Dimension keys as the domain defines them. */
export const ALL_DIMENSION = '*';
