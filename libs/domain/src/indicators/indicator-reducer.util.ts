import {
  applyToFacts,
  foldFacts,
  type DossierFacts,
  type IndicatorEvent,
} from './dossier-facts.util';
import {
  addToTable,
  diffContributions,
  expandContributions,
  leafContributions,
  sumLeaves,
  type Contribution,
  type IndicatorOptions,
  type IndicatorTable,
  type LeafContribution,
} from './indicator-contributions.util';

/** One incremental step of the statistics consumer. */
export interface IndicatorStep {
  /** The dossier's facts after the event (the same object as before when the event changed nothing). */
  readonly facts: DossierFacts;
  /** Whether the facts changed; when false, `leafDeltas` and `deltas` are empty. */
  readonly changed: boolean;
  /** after − before on leaf cells. */
  readonly leafDeltas: readonly LeafContribution[];
  /** after − before on period × dimension cells. */
  readonly deltas: readonly Contribution[];
}

/**
 * Applies one event incrementally: merges it into the dossier's facts and returns the counter deltas
 * (after − before). A duplicate, or an event that adds nothing, returns `changed: false` and no deltas.
 */
export function applyEvent(
  facts: DossierFacts | undefined,
  event: IndicatorEvent,
  options: IndicatorOptions = {},
): IndicatorStep {
  const next = applyToFacts(facts, event);
  if (next === facts) return { facts: next, changed: false, leafDeltas: [], deltas: [] };
  const leafDeltas = diffContributions(
    leafContributions(facts, options),
    leafContributions(next, options),
  );
  return {
    facts: next,
    changed: true,
    leafDeltas,
    deltas: expandContributions(leafDeltas, options),
  };
}

/** The table of counters of a set of fact sheets: the sum of their contributions. */
export function tableFromFacts(
  facts: Iterable<DossierFacts>,
  options: IndicatorOptions = {},
): IndicatorTable {
  let table: IndicatorTable = {};
  for (const sheet of facts)
    table = addToTable(table, expandContributions(leafContributions(sheet, options), options));
  return table;
}

/**
 * The batch reducer used by every recount: folds the events into facts per dossier, then sums their
 * contributions. Any order and any duplication of the same events give the same table, equal to applying
 * `applyEvent` deltas one event at a time.
 */
export function reduceEvents(
  events: Iterable<IndicatorEvent>,
  options: IndicatorOptions = {},
): IndicatorTable {
  return tableFromFacts(foldFacts(events).values(), options);
}

/** Like `reduceEvents`, as summed leaf cells (unit × day × metric × procedure × sector). */
export function reduceEventsToLeaves(
  events: Iterable<IndicatorEvent>,
  options: IndicatorOptions = {},
): LeafContribution[] {
  const leaves: LeafContribution[] = [];
  for (const sheet of foldFacts(events).values()) leaves.push(...leafContributions(sheet, options));
  return sumLeaves(leaves);
}
