/**
 * The adapter of ADR 0401: the service's `IndicatorEngine` port implemented by the shared reducer and the unit
 * directory of @onestop/domain. No counting rule lives here, only type adaptation and the roll-up chain.
 */
import {
  AdminUnitException,
  AdminUnitExceptionCode,
  AdminUnitLevel,
  OneStopUnitKind,
  METRICS,
  PeriodGranularity,
  applyEventsToFacts,
  applyToFacts,
  computeRates,
  diffContributions,
  dossierTimeline,
  expandContributions,
  getUnitDirectory,
  leafContributions,
  reduceEventsToLeaves,
  type DossierFacts,
  type IndicatorEvent,
  type IndicatorOptions,
  type LeafContribution as DomainLeaf,
  type MetricCounters,
  type UnitDirectory,
} from '@onestop/domain';
import {
  ALL_DIMENSION,
  NATIONAL_ROOT,
  type DossierTimeline,
  type Facts,
  type IndicatorEngine,
  type LeafContribution,
  type PeriodCell,
  type PublicEvent,
} from './indicator-engine';

/**
 * What the service stores (ADR 0400): days and months for the whole unit (`*`), months only for the procedure
 * (`P:`) and sector (`S:`) dimensions. Quarters and years are sums of their months at read time
 * (`CounterReader`); the API serves daily series for `*` only.
 */
const UNIT_TOTAL: IndicatorOptions = { dimensions: [], granularities: [PeriodGranularity.Day, PeriodGranularity.Month] };
const BY_DIMENSION: IndicatorOptions = { granularities: [PeriodGranularity.Month] };

export const STORED_PERIOD_CELLS = { unitTotal: UNIT_TOTAL, byDimension: BY_DIMENSION } as const;

/** Expands leaf cells to the cells the service stores (shared with the recount oracle). */
export function expandStored(leaves: readonly DomainLeaf[]): PeriodCell[] {
  const out: PeriodCell[] = expandContributions(leaves, UNIT_TOTAL);
  for (const c of expandContributions(leaves, BY_DIMENSION)) if (c.dimension !== ALL_DIMENSION) out.push(c);
  return out;
}

const asFacts = (f: Facts | undefined): DossierFacts | undefined => f as unknown as DossierFacts | undefined;
const asEvent = (e: PublicEvent): IndicatorEvent => e as unknown as IndicatorEvent;

export class DomainIndicatorEngine implements IndicatorEngine {
  readonly metrics: readonly string[] = METRICS;

  constructor(
    private readonly directory: UnitDirectory = getUnitDirectory(),
    /** Called once per unit the directory does not know (or not on that day); such units roll up to VN. */
    private readonly onUnknownUnit: (unitId: string, day: string, reason: string) => void = () => undefined,
  ) {}

  applyToFacts(facts: Facts | undefined, event: PublicEvent): Facts {
    return applyToFacts(asFacts(facts), asEvent(event)) as unknown as Facts;
  }

  applyEventsToFacts(facts: Facts | undefined, events: readonly PublicEvent[]): Facts | undefined {
    return applyEventsToFacts(asFacts(facts), events as unknown as readonly IndicatorEvent[]) as unknown as Facts | undefined;
  }

  leafContributions(facts: Facts | undefined): LeafContribution[] {
    return leafContributions(asFacts(facts));
  }

  diffContributions(before: LeafContribution[], after: LeafContribution[]): LeafContribution[] {
    return diffContributions(before, after);
  }

  expand(leaves: readonly LeafContribution[]): PeriodCell[] {
    return expandStored(leaves as readonly DomainLeaf[]);
  }

  reduceEventsToLeaves(events: Iterable<PublicEvent>): LeafContribution[] {
    const list: IndicatorEvent[] = [];
    for (const e of events) list.push(asEvent(e));
    return reduceEventsToLeaves(list);
  }

  computeRates(counts: Readonly<Record<string, number>>): Record<string, number | null> {
    return computeRates(counts as MetricCounters);
  }

  timeline(facts: Facts | undefined): DossierTimeline | null {
    const f = asFacts(facts);
    if (f === undefined || f.receivedAt === null || f.unitId === '') return null;
    const t = dossierTimeline(f);
    return {
      unitId: t.unitId,
      procedureCode: t.procedureCode,
      sectorCode: t.sectorCode,
      receivedAt: t.receivedAt,
      finishedAt: t.finishedAt,
      dueAt: t.dueAt,
      open: t.open,
      paused: t.paused,
    };
  }

  private readonly storedUnits = new Map<string, string>();

  storedUnitOf(unitId: string): string {
    let s = this.storedUnits.get(unitId);
    if (s === undefined) {
      s = communeOneStopUnitOf(this.directory, unitId) ?? unitId;
      this.storedUnits.set(unitId, s);
    }
    return s;
  }

  ancestorsAt(unitId: string, day: string): string[] {
    try {
      return this.directory
        .ancestorsAt(unitId, day)
        .slice(1)
        .map((n) => n.code);
    } catch (err) {
      if (
        err instanceof AdminUnitException &&
        (err.code === AdminUnitExceptionCode.UnknownUnit || err.code === AdminUnitExceptionCode.NotInForce)
      ) {
        this.onUnknownUnit(unitId, day, err.message);
        return [NATIONAL_ROOT];
      }
      throw err;
    }
  }
}

/**
 * The one-stop unit of a commune code (`00004` → `01.00004`), or undefined when `code` is not the code of a
 * commune of the 2025 hierarchy with exactly one commune one-stop unit. Roll-up chains name communes by code
 * (`ancestorsAt`), and a commune's one-stop unit is the only one-stop unit that rolls up into it (tested in
 * test/commune-rows.int-spec.ts against the whole directory), so the commune's counters equal the unit's.
 */
export function communeOneStopUnitOf(directory: UnitDirectory, code: string): string | undefined {
  if (!/^\d{5}$/.test(code)) return undefined;
  const commune = directory.adminUnits.get(`${code}@2025`);
  if (commune === undefined || commune.level !== AdminUnitLevel.Commune) return undefined;
  const units = directory.oneStopUnits.ofAdminUnit(commune.id);
  return units.length === 1 && units[0]!.kind === OneStopUnitKind.CommuneOneStop ? units[0]!.code : undefined;
}
