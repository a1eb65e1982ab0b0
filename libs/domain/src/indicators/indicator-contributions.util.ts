import { Channel, Rating } from '@onestop/contracts';
import {
  ResolutionTimeliness,
  classifyResolution,
  type TimelinessPolicy,
} from '../deadlines/timeliness.util';
import { DossierOutcome, type DossierFacts } from './dossier-facts.util';
import { Metric } from './indicator-metrics.constant';
import {
  PERIOD_GRANULARITIES,
  periodKeyOfDate,
  vnDateOf,
  type PeriodGranularity,
  type PeriodKey,
} from './indicator-period.util';

/**
 * Options of the reducer. They are part of the meaning of the stored counters: change them only together
 * with a recount.
 */
export interface IndicatorOptions {
  /** Late / on-time rules (default: compare Vietnam dates against the legal due date, domain.md §2.4–2.5). */
  readonly timeliness?: Partial<TimelinessPolicy>;
  /** Period granularities `contributions` expands to (default all: D, M, Q, Y). */
  readonly granularities?: readonly PeriodGranularity[];
  /** Dimensions `contributions` expands to besides the whole unit (default both). */
  readonly dimensions?: readonly DimensionKind[];
}

export const DimensionKind = { Procedure: 'procedure', Sector: 'sector' } as const;
export type DimensionKind = (typeof DimensionKind)[keyof typeof DimensionKind];

/** Dimension value of a counter: `*` (whole unit), `P:<procedureCode>` or `S:<sectorCode>`. */
export type Dimension = string;
export const ALL_DIMENSION: Dimension = '*';

/**
 * The finest counter cell a dossier contributes to: unit × Vietnam day × metric × procedure × sector.
 * Everything coarser (months, quarters, years, unit totals, parent units) is a sum of leaves, so a service
 * can store leaves and roll up, or use the expanded `Contribution`s directly.
 */
export interface LeafContribution {
  readonly unitId: string;
  /** Vietnam local date, `YYYY-MM-DD`. */
  readonly day: string;
  readonly metric: Metric;
  readonly procedureCode: string;
  /** `''` while the sector is not known (no DossierReceived/DossierSubmitted with a sector seen yet). */
  readonly sectorCode: string;
  /** +1 in a dossier's contributions; any sign in a diff. */
  readonly value: number;
}

/** A counter cell keyed by unit, period (D/M/Q/Y), dimension and metric. */
export interface Contribution {
  readonly unitId: string;
  readonly periodKey: PeriodKey;
  readonly dimension: Dimension;
  readonly metric: Metric;
  /** +1 in a dossier's contributions; any sign in a diff. */
  readonly value: number;
}

/** Counter values by `counterKey`; cells that sum to zero are absent. */
export type IndicatorTable = Readonly<Record<string, number>>;

/** `000.00.15.H56|M2025-11|*|received`: the key of a counter in an IndicatorTable. */
export function counterKey(
  cell: Pick<Contribution, 'unitId' | 'periodKey' | 'dimension' | 'metric'>,
): string {
  return `${cell.unitId}|${cell.periodKey}|${cell.dimension}|${cell.metric}`;
}

/** Inverse of `counterKey` (unit codes, periods, metrics and dimension prefixes contain no `|`). */
export function parseCounterKey(key: string): Omit<Contribution, 'value'> {
  const [unitId, periodKey, dimension, metric] = key.split('|');
  if (
    unitId === undefined ||
    periodKey === undefined ||
    dimension === undefined ||
    metric === undefined
  ) {
    throw new RangeError(`Not a counter key: ${key}`);
  }
  return { unitId, periodKey, dimension, metric: metric as Metric };
}

function leaf(facts: DossierFacts, metric: Metric, day: string): LeafContribution {
  return {
    unitId: facts.unitId,
    day,
    metric,
    procedureCode: facts.procedureCode,
    sectorCode: facts.sectorCode ?? '',
    value: 1,
  };
}

const CHANNEL_METRIC: Readonly<Record<Channel, Metric>> = {
  [Channel.Online]: Metric.ReceivedOnline,
  [Channel.Direct]: Metric.ReceivedDirect,
  [Channel.Postal]: Metric.ReceivedPostal,
};

const RATING_METRIC: Readonly<Record<Rating, Metric>> = {
  [Rating.VerySatisfied]: Metric.RatingVerySatisfied,
  [Rating.Satisfied]: Metric.RatingSatisfied,
  [Rating.Dissatisfied]: Metric.RatingDissatisfied,
};

/** Fee-bearing (indicator 3.6 denominator): charged a non-zero, non-exempt fee, or fee-bearing at intake
 * when no obligation event was ever seen. */
export function isFeeBearing(facts: DossierFacts): boolean {
  return facts.feeCharged || (facts.feeRequired === true && !facts.feeObligationSeen);
}

// Memo of the resolution verdict: classifyResolution (shared with the lifecycle services) also formats an
// explanation, which the reducer does not need on its hot path.
const VERDICT_MEMO = new Map<string, ResolutionTimeliness>();
const VERDICT_MEMO_LIMIT = 100_000;

function resolutionTimeliness(
  facts: DossierFacts,
  finishedAt: string,
  policyKey: string,
  options: IndicatorOptions,
): ResolutionTimeliness {
  const key = `${finishedAt}|${facts.originalDueAt}|${facts.dueAt}|${facts.supplementRequests}|${policyKey}`;
  let verdict = VERDICT_MEMO.get(key);
  if (verdict === undefined) {
    verdict = classifyResolution(
      {
        finishedAt,
        originalDueAt: facts.originalDueAt,
        currentDueAt: facts.dueAt,
        supplementRequestCount: facts.supplementRequests,
      },
      options.timeliness,
    ).timeliness;
    if (VERDICT_MEMO.size >= VERDICT_MEMO_LIMIT) VERDICT_MEMO.clear();
    VERDICT_MEMO.set(key, verdict);
  }
  return verdict;
}

/**
 * The leaf counter cells a dossier contributes (each +1), a pure function of its facts: the consumer applies
 * `diffContributions(leafContributions(before), leafContributions(after))` on every fact change.
 */
export function leafContributions(
  facts: DossierFacts | undefined,
  options: IndicatorOptions = {},
): LeafContribution[] {
  if (facts === undefined || facts.unitId === '') return [];
  const policyKey = options.timeliness === undefined ? '' : JSON.stringify(options.timeliness);
  const out: LeafContribution[] = [];

  if (facts.receivedAt !== null) {
    const day = vnDateOf(facts.receivedAt);
    const add = (metric: Metric, when: boolean): void => {
      if (when) out.push(leaf(facts, metric, day));
    };
    add(Metric.Received, true);
    if (facts.channel !== null) add(CHANNEL_METRIC[facts.channel], true);
    add(Metric.Digitised, facts.digitised);
    add(Metric.Reused, facts.reused);
    add(Metric.FromRepository, facts.fromRepository);
    add(Metric.VneidVerified, facts.vneidVerified);
    const feeBearing = isFeeBearing(facts);
    add(Metric.FeeBearing, feeBearing);
    add(Metric.PaidOnline, feeBearing && facts.paidOnline);
    add(Metric.SupplementRequestedMoreThanOnce, facts.supplementRequests > 1);
  }

  if (facts.rejectedAt !== null)
    out.push(leaf(facts, Metric.IntakeRejected, vnDateOf(facts.rejectedAt)));

  if (facts.outcome !== null && facts.finishedAt !== null) {
    const day = vnDateOf(facts.finishedAt);
    switch (facts.outcome) {
      case DossierOutcome.Resolved: {
        out.push(leaf(facts, Metric.Resolved, day));
        const timeliness = resolutionTimeliness(facts, facts.finishedAt, policyKey, options);
        out.push(
          leaf(
            facts,
            timeliness === ResolutionTimeliness.Early
              ? Metric.ResolvedEarly
              : timeliness === ResolutionTimeliness.OnTime
                ? Metric.ResolvedOnTime
                : Metric.ResolvedLate,
            day,
          ),
        );
        if (facts.paperResultRequired === true) {
          out.push(leaf(facts, Metric.EResultRequired, day));
          if (facts.eResultIssued) out.push(leaf(facts, Metric.EResult, day));
        }
        break;
      }
      case DossierOutcome.Refused:
        out.push(leaf(facts, Metric.Refused, day));
        break;
      case DossierOutcome.Withdrawn:
        out.push(leaf(facts, Metric.Withdrawn, day));
        break;
    }
  }

  if (facts.returnedAt !== null) out.push(leaf(facts, Metric.Returned, vnDateOf(facts.returnedAt)));
  if (facts.rating !== null && facts.ratedAt !== null) {
    out.push(leaf(facts, RATING_METRIC[facts.rating], vnDateOf(facts.ratedAt)));
  }
  return out;
}

/** Expands leaf cells to period × dimension cells (the unit total `*`, `P:<procedure>`, `S:<sector>`). */
export function expandContributions(
  leaves: readonly LeafContribution[],
  options: IndicatorOptions = {},
): Contribution[] {
  const granularities = options.granularities ?? PERIOD_GRANULARITIES;
  const kinds = options.dimensions ?? [DimensionKind.Procedure, DimensionKind.Sector];
  const byProcedure = kinds.includes(DimensionKind.Procedure);
  const bySector = kinds.includes(DimensionKind.Sector);
  const out: Contribution[] = [];
  for (const cell of leaves) {
    const dimensions: Dimension[] = [ALL_DIMENSION];
    if (byProcedure) dimensions.push(`P:${cell.procedureCode}`);
    if (bySector && cell.sectorCode !== '') dimensions.push(`S:${cell.sectorCode}`);
    for (const granularity of granularities) {
      const periodKey = periodKeyOfDate(cell.day, granularity);
      for (const dimension of dimensions) {
        out.push({
          unitId: cell.unitId,
          periodKey,
          dimension,
          metric: cell.metric,
          value: cell.value,
        });
      }
    }
  }
  return out;
}

/**
 * The counter increments a dossier contributes, keyed by unit, period (D/M/Q/Y in Vietnam time), dimension and
 * metric. Equivalent to `expandContributions(leafContributions(facts))`.
 */
export function contributions(
  facts: DossierFacts | undefined,
  options: IndicatorOptions = {},
): Contribution[] {
  return expandContributions(leafContributions(facts, options), options);
}

/** Structural shapes accepted by the diff helpers (a caller's own cell types with `metric: string` fit). */
type LeafCell = Pick<
  LeafContribution,
  'unitId' | 'day' | 'procedureCode' | 'sectorCode' | 'value'
> & {
  readonly metric: string;
};
type PeriodCell = Pick<Contribution, 'unitId' | 'periodKey' | 'dimension' | 'value'> & {
  readonly metric: string;
};

function cellKey(cell: LeafCell | PeriodCell): string {
  return 'day' in cell
    ? `${cell.unitId}|${cell.day}|${cell.metric}|${cell.procedureCode}|${cell.sectorCode}`
    : `${cell.unitId}|${cell.periodKey}|${cell.dimension}|${cell.metric}`;
}

/**
 * `after − before` per cell, zero cells dropped, in a deterministic order. Works on leaf or expanded cells.
 * Applying the diff of every fact change keeps each counter equal to the sum of the dossiers' current
 * contributions, so duplicates (an unchanged fact sheet) give an empty diff and counters never go negative.
 */
export function diffContributions<C extends LeafCell | PeriodCell>(
  before: readonly C[],
  after: readonly C[],
): C[] {
  const sums = new Map<string, { cell: C; value: number }>();
  const add = (cell: C, sign: number): void => {
    const key = cellKey(cell);
    const entry = sums.get(key);
    if (entry === undefined) sums.set(key, { cell, value: sign * cell.value });
    else entry.value += sign * cell.value;
  };
  for (const cell of before) add(cell, -1);
  for (const cell of after) add(cell, 1);
  return [...sums.entries()]
    .filter(([, entry]) => entry.value !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => ({ ...entry.cell, value: entry.value }));
}

/** Adds cells to a table (returns a new table; zero cells removed). */
export function addToTable(table: IndicatorTable, cells: readonly Contribution[]): IndicatorTable {
  const next: Record<string, number> = { ...table };
  for (const cell of cells) {
    const key = counterKey(cell);
    const value = (next[key] ?? 0) + cell.value;
    if (value === 0) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** Sums leaf cells by their full leaf key (zero cells dropped), e.g. to compare with stored leaf counters. */
export function sumLeaves<C extends LeafCell>(cells: Iterable<C>): C[] {
  const sums = new Map<string, C>();
  for (const cell of cells) {
    const key = cellKey(cell);
    const entry = sums.get(key);
    sums.set(
      key,
      entry === undefined ? { ...cell } : { ...entry, value: entry.value + cell.value },
    );
  }
  return [...sums.entries()]
    .filter(([, cell]) => cell.value !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, cell]) => cell);
}
