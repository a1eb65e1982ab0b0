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

/** Fee-bearing (indicator 3.6 denominator): charged a non-zero, non-exempt fee (`feeCharged`: an amount paid, or
 * a charged obligation not yet settled), or fee-bearing at intake when no obligation or payment was ever seen.
 * Exempt applicants (a zero-amount settlement) are not (domain.md §1.5). */
export function isFeeBearing(facts: DossierFacts): boolean {
  return facts.feeCharged || (facts.feeRequired === true && !facts.feeObligationSeen);
}

// Memo of the resolution verdict: classifyResolution (shared with the lifecycle services) also formats an
// explanation, which the reducer does not need on its hot path. Keyed by the finish instant, holding the last
// inputs seen with it (a dossier's sheet before and after a change share them): no composite key string to build.
interface VerdictMemo {
  readonly originalDueAt: string | null;
  readonly dueAt: string | null;
  readonly supplementRequests: number;
  readonly policyKey: string;
  readonly verdict: ResolutionTimeliness;
}
const VERDICT_MEMO = new Map<string, VerdictMemo>();
const VERDICT_MEMO_LIMIT = 100_000;

function resolutionTimeliness(
  facts: DossierFacts,
  finishedAt: string,
  policyKey: string,
  options: IndicatorOptions,
): ResolutionTimeliness {
  const memo = VERDICT_MEMO.get(finishedAt);
  if (
    memo !== undefined &&
    memo.originalDueAt === facts.originalDueAt &&
    memo.dueAt === facts.dueAt &&
    memo.supplementRequests === facts.supplementRequests &&
    memo.policyKey === policyKey
  ) {
    return memo.verdict;
  }
  const verdict = classifyResolution(
    {
      finishedAt,
      originalDueAt: facts.originalDueAt,
      currentDueAt: facts.dueAt,
      supplementRequestCount: facts.supplementRequests,
    },
    options.timeliness,
  ).timeliness;
  if (VERDICT_MEMO.size >= VERDICT_MEMO_LIMIT) VERDICT_MEMO.clear();
  VERDICT_MEMO.set(finishedAt, {
    originalDueAt: facts.originalDueAt,
    dueAt: facts.dueAt,
    supplementRequests: facts.supplementRequests,
    policyKey,
    verdict,
  });
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
  const compare = keyFieldsOf(before, after);
  return compare === undefined
    ? diffByKeyStrings(before, after)
    : diffByFields(before, after, compare);
}

/** The reference of `diffContributions`: cells summed by their `cellKey`, sorted by it. */
function diffByKeyStrings<C extends LeafCell | PeriodCell>(
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

const KEY_SEPARATOR = 124; // '|' in cellKey

/** Whether `v` can be compared as a key field: a string without '|'. */
function plainField(v: unknown): boolean {
  return typeof v === 'string' && v.indexOf('|') < 0;
}

/**
 * The comparator of the cells' `cellKey` order when comparing them field by field orders and groups them exactly
 * as their key strings do: every cell of the same kind (all leaf or all period cells), every key field a string
 * without '|'. Otherwise undefined (the key strings decide).
 */
function keyFieldsOf(
  before: readonly (LeafCell | PeriodCell)[],
  after: readonly (LeafCell | PeriodCell)[],
): ((a: object, b: object) => number) | undefined {
  const first = before[0] ?? after[0];
  if (first === undefined) return undefined;
  const leafKind = 'day' in first;
  // the cells of one diff share most field values: a value equal to the previous cell's was checked already
  let u: unknown, d: unknown, m: unknown, p: unknown, x: unknown;
  let started = false;
  for (const list of [before, after]) {
    for (const cell of list) {
      if ('day' in cell !== leafKind) return undefined;
      const c = cell as unknown as Record<string, unknown>;
      const cu = c['unitId'],
        cd = leafKind ? c['day'] : c['periodKey'];
      const cm = leafKind ? c['metric'] : c['dimension'],
        cp = leafKind ? c['procedureCode'] : c['metric'];
      const cx = leafKind ? c['sectorCode'] : '';
      if (!started || cu !== u) {
        if (!plainField(cu)) return undefined;
        u = cu;
      }
      if (!started || cd !== d) {
        if (!plainField(cd)) return undefined;
        d = cd;
      }
      if (!started || cm !== m) {
        if (!plainField(cm)) return undefined;
        m = cm;
      }
      if (!started || cp !== p) {
        if (!plainField(cp)) return undefined;
        p = cp;
      }
      if (!started || cx !== x) {
        if (!plainField(cx)) return undefined;
        x = cx;
      }
      started = true;
    }
  }
  return leafKind ? compareLeafKeys : comparePeriodKeys;
}

/**
 * The order of two key fields inside their cells' key strings (fields joined by '|', none holding '|'): a field
 * that is a proper prefix of the other is followed by '|' in its key, or ends the key when it is the last field.
 */
function compareField(x: string, y: string, last: boolean): number {
  if (!last) {
    if (y.startsWith(x)) return KEY_SEPARATOR < y.charCodeAt(x.length) ? -1 : 1;
    if (x.startsWith(y)) return x.charCodeAt(y.length) < KEY_SEPARATOR ? -1 : 1;
  }
  return x < y ? -1 : 1;
}

/** `cellKey` order of leaf cells without building the keys (fields checked by `keyFieldsOf`). */
function compareLeafKeys(a: object, b: object): number {
  const x = a as LeafCell,
    y = b as LeafCell;
  if (x.unitId !== y.unitId) return compareField(x.unitId, y.unitId, false);
  if (x.day !== y.day) return compareField(x.day, y.day, false);
  if (x.metric !== y.metric) return compareField(x.metric, y.metric, false);
  if (x.procedureCode !== y.procedureCode)
    return compareField(x.procedureCode, y.procedureCode, false);
  if (x.sectorCode !== y.sectorCode) return compareField(x.sectorCode, y.sectorCode, true);
  return 0;
}

/** `cellKey` order of period cells without building the keys (fields checked by `keyFieldsOf`). */
function comparePeriodKeys(a: object, b: object): number {
  const x = a as PeriodCell,
    y = b as PeriodCell;
  if (x.unitId !== y.unitId) return compareField(x.unitId, y.unitId, false);
  if (x.periodKey !== y.periodKey) return compareField(x.periodKey, y.periodKey, false);
  if (x.dimension !== y.dimension) return compareField(x.dimension, y.dimension, false);
  if (x.metric !== y.metric) return compareField(x.metric, y.metric, true);
  return 0;
}

/** `diffByKeyStrings` comparing fields instead of key strings (same sums, same template cells, same order). */
function diffByFields<C extends LeafCell | PeriodCell>(
  before: readonly C[],
  after: readonly C[],
  compare: (a: object, b: object) => number,
): C[] {
  const n = before.length + after.length;
  const cells: C[] = new Array<C>(n);
  for (let i = 0; i < before.length; i++) cells[i] = before[i]!;
  for (let i = 0; i < after.length; i++) cells[before.length + i] = after[i]!;
  // stable insertion sort of the positions by key (a diff holds a few dozen cells): equal keys stay in insertion
  // order, so a run's first cell is the one the reference keeps and its sum adds in the reference's order
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let j = i;
    while (j > 0 && compare(cells[order[j - 1]!]!, cells[i]!) > 0) {
      order[j] = order[j - 1]!;
      j--;
    }
    order[j] = i;
  }
  const out: C[] = [];
  for (let i = 0; i < n;) {
    const first = cells[order[i]!]!;
    let value = (order[i]! < before.length ? -1 : 1) * first.value;
    let j = i + 1;
    for (; j < n && compare(first, cells[order[j]!]!) === 0; j++) {
      value += (order[j]! < before.length ? -1 : 1) * cells[order[j]!]!.value;
    }
    if (value !== 0) out.push({ ...first, value });
    i = j;
  }
  return out;
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
