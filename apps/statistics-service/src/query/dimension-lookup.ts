import { ProcedureCatalogue } from '@onestop/domain';
import { ALL_DIMENSION } from '../indicators/indicator-engine';

/** Whether the service has ever counted a dimension key (`P:<code>` / `S:<code>`): it has a cell of the nation. */
export type CountedDimensionCheck = (dimension: string) => Promise<boolean>;

/**
 * Which `P:` / `S:` dimension keys the query API answers for (ADR 0414): a procedure of the domain's procedure
 * catalogue (its national code, or a localised form of it: `1.001193.000.00.00.H56`), a sector of one of its
 * procedures, and any procedure / sector the service has counted (historical codes keep answering once the
 * catalogue drops them). Anything else is answered 404 naming `dimension` instead of zeros, as an unknown unit is.
 */
export class DimensionLookup {
  private readonly sectors: ReadonlySet<string>;
  private readonly counted = new Map<string, { at: number; value: boolean }>();

  constructor(
    private readonly countedCheck: CountedDimensionCheck,
    private readonly catalogue: ProcedureCatalogue = new ProcedureCatalogue(),
    /** How long (ms) a "not counted" answer is cached; a counted code stays known. */
    private readonly negativeTtlMs = 5000,
    private readonly now: () => number = Date.now,
  ) {
    this.sectors = new Set(catalogue.list().map((p) => p.sectorCode));
  }

  /** Known to the catalogue (`*` always is). */
  inCatalogue(dimension: string): boolean {
    if (dimension === ALL_DIMENSION) return true;
    const code = dimension.slice(2);
    if (dimension.startsWith('P:')) return this.catalogue.find(code) !== undefined;
    if (dimension.startsWith('S:')) return this.sectors.has(code);
    return false;
  }

  async exists(dimension: string): Promise<boolean> {
    if (this.inCatalogue(dimension)) return true;
    const hit = this.counted.get(dimension);
    if (hit && (hit.value || this.now() - hit.at < this.negativeTtlMs)) return hit.value;
    const value = await this.countedCheck(dimension);
    if (this.counted.size >= 10_000) this.counted.clear(); // bounded: codes come from URLs
    this.counted.set(dimension, { at: this.now(), value });
    return value;
  }
}
