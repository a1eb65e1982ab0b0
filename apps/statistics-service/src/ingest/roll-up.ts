import { type IndicatorEngine, type LeafContribution } from '../indicators/indicator-engine';

/** Separator of the composite keys (counter keys, edges, chain keys): never inside a unit, period, dimension or metric. */
export const SEP = '\u0001';

/** Counter deltas (zero cells dropped) as parallel arrays, sorted by (unit, period, dimension, metric). */
export interface SortedDeltas {
  readonly units: string[];
  readonly periods: string[];
  readonly dimensions: string[];
  readonly metrics: string[];
  readonly values: number[];
}

export interface RollUpResult {
  readonly deltas: SortedDeltas;
  /** `parent SEP child` of every chain link seen. */
  readonly edges: Set<string>;
  /** Ancestors of every unit of a chain seen (nearest first). */
  readonly ancestorsOf: Map<string, string[]>;
}

type Engine = Pick<IndicatorEngine, 'expand' | 'storedUnitOf'>;
type Ancestors = (unitId: string, day: string) => string[];

/** Composite numeric keys stay exact below 2^53. */
const MAX_KEY = 2 ** 53;

/** Dense ids (0, 1, 2, …) of the distinct strings of one roll-up, in first-seen order. */
class Dense {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  /** A string holds a character at or below U+0001 (SEP): the numeric path would not order or key like the string path. */
  unsafe = false;

  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.ids.set(s, i);
      this.values.push(s);
      for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) <= 1) this.unsafe = true;
    }
    return i;
  }

  get size(): number {
    return this.values.length;
  }

  /** rank[id] = position of the id's string in code-unit order (`Array.prototype.sort`'s order). */
  ranks(): { rank: Int32Array; sorted: string[] } {
    const sorted = [...this.values].sort();
    const rank = new Int32Array(this.values.length);
    for (let r = 0; r < sorted.length; r++) rank[this.ids.get(sorted[r]!)!] = r;
    return { rank, sorted };
  }
}

/**
 * Leaf deltas → counter deltas per (stored unit, period, dimension, metric) for the leaf's unit and all its
 * ancestors, sorted (one lock order for every writer). The engine expands a leaf to its period × dimension cells
 * (`engine.expand`), the unit directory gives the chain (`ancestors`).
 *
 * `rollUpByStrings` is the reference: string keys, every collapsed leaf expanded. `rollUp` computes the same result
 * with dense numeric ids instead of composite strings, expanding each distinct (procedure, sector, day, metric) once
 * (a leaf's cells are the expansion's period × dimension cells with the leaf's unit and value: the engine's
 * `expand` contract, checked on every expansion it memoises). It falls back to the reference when a string
 * contains SEP or a numeric key would not be exact.
 */
export function rollUp(leaf: readonly LeafContribution[], engine: Engine, ancestors: Ancestors): RollUpResult {
  return rollUpByIds(leaf, engine, ancestors) ?? sortDeltas(rollUpByStrings(leaf, engine, ancestors));
}

/** The reference roll-up (string keys): deltas in insertion order. */
export function rollUpByStrings(
  leaf: readonly LeafContribution[],
  engine: Engine,
  ancestors: Ancestors,
): { deltas: Map<string, number>; edges: Set<string>; ancestorsOf: Map<string, string[]> } {
  // collapse leaf cells first: a batch touches few distinct cells
  const cells = new Map<string, LeafContribution>();
  for (const c of leaf) {
    const k = c.unitId + SEP + c.day + SEP + c.metric + SEP + c.procedureCode + SEP + c.sectorCode;
    const cur = cells.get(k);
    cells.set(k, cur ? { ...cur, value: cur.value + c.value } : c);
  }
  // stage 1: expand to the leaf unit's own period × dimension cells, collapsed (many leaves share a month cell)
  const own = new Map<string, number>();
  const chainOf = new Map<string, string[]>();
  const edges = new Set<string>();
  const ancestorsOf = new Map<string, string[]>();
  const storedChainOf = new Map<string, string[]>();
  const nonZero: LeafContribution[] = [];
  for (const c of cells.values()) if (c.value !== 0) nonZero.push(c);
  for (const cell of engine.expand(nonZero)) {
    const k = cell.unitId + SEP + cell.periodKey + SEP + cell.dimension + SEP + cell.metric;
    own.set(k, (own.get(k) ?? 0) + cell.value);
  }
  for (const c of nonZero) {
    const ck = c.unitId + SEP + c.day;
    if (chainOf.has(ck)) continue;
    const chain = [c.unitId, ...ancestors(c.unitId, c.day)];
    chainOf.set(ck, chain);
    storedChainOf.set(ck, storedChain(engine, chain));
    for (let i = 0; i < chain.length; i++) {
      ancestorsOf.set(chain[i]!, chain.slice(i + 1));
      if (i + 1 < chain.length) edges.add(chain[i + 1] + SEP + chain[i]);
    }
  }
  // stage 2: roll each collapsed cell up its unit's chain (as in force on the cell's first day: the hierarchy
  // is effective-dated per day; M/Q/Y cells of a unit whose parent changed inside the period use each leaf's day)
  const deltas = new Map<string, number>();
  const add = (k: string, v: number): void => {
    deltas.set(k, (deltas.get(k) ?? 0) + v);
  };
  const stable = new Map<string, string[] | null>();
  for (const c of nonZero) {
    const chain = storedChainOf.get(c.unitId + SEP + c.day)!;
    const prev = stable.get(c.unitId);
    if (prev === undefined) stable.set(c.unitId, chain);
    else if (prev !== null && prev.join(SEP) !== chain.join(SEP)) stable.set(c.unitId, null);
  }
  for (const [k, v] of own) {
    if (v === 0) continue;
    const unitId = k.slice(0, k.indexOf(SEP));
    const chain = stable.get(unitId);
    if (chain === null || chain === undefined) continue; // handled per leaf below
    const tail = k.slice(unitId.length);
    for (const u of chain) add(u + tail, v);
  }
  // units whose chain differs between days of this batch (a reform inside the batch): per leaf, exact
  for (const c of nonZero) {
    if (stable.get(c.unitId) !== null) continue;
    const chain = storedChainOf.get(c.unitId + SEP + c.day)!;
    for (const cell of engine.expand([c])) {
      const tail = SEP + cell.periodKey + SEP + cell.dimension + SEP + cell.metric;
      for (const u of chain) add(u + tail, cell.value);
    }
  }
  for (const [k, v] of deltas) if (v === 0) deltas.delete(k);
  return { deltas, edges, ancestorsOf };
}

/** The reference's string-keyed deltas in upsert order. */
export function sortDeltas(r: { deltas: Map<string, number>; edges: Set<string>; ancestorsOf: Map<string, string[]> }): RollUpResult {
  const keys = [...r.deltas.keys()].sort();
  const units: string[] = [], periods: string[] = [], dimensions: string[] = [], metrics: string[] = [], values: number[] = [];
  for (const k of keys) {
    const a = k.indexOf(SEP), b = k.indexOf(SEP, a + 1), c = k.indexOf(SEP, b + 1);
    units.push(k.slice(0, a));
    periods.push(k.slice(a + 1, b));
    dimensions.push(k.slice(b + 1, c));
    metrics.push(k.slice(c + 1));
    values.push(r.deltas.get(k)!);
  }
  return { deltas: { units, periods, dimensions, metrics, values }, edges: r.edges, ancestorsOf: r.ancestorsOf };
}

/** Sorted deltas back to the reference's string keys. */
export function deltasByKey(d: SortedDeltas): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < d.values.length; i++) out.set(d.units[i] + SEP + d.periods[i] + SEP + d.dimensions[i] + SEP + d.metrics[i], d.values[i]!);
  return out;
}

/**
 * The units whose counter rows a chain writes (ADR 0403): a commune's rows are its one-stop unit's rows, so
 * `01.00004 → 00004 → 01 → VN` writes `01.00004, 01, VN` (each unit once).
 */
function storedChain(engine: Engine, chain: string[]): string[] {
  const out: string[] = [];
  for (const u of chain) {
    const s = engine.storedUnitOf(u);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** The numeric roll-up; undefined when only the reference can give the exact result. */
function rollUpByIds(leaf: readonly LeafContribution[], engine: Engine, ancestors: Ancestors): RollUpResult | undefined {
  const n = leaf.length;
  const units = new Dense(), days = new Dense(), metrics = new Dense(), procedures = new Dense(), sectors = new Dense();
  // a context = (unit, procedure, sector): a dossier's leaves share one, so the last one is reused
  const ctxOf = new Map<number, number>();
  const ctxUnit: number[] = [], ctxPair: number[] = [], ctxLeaf: number[] = [];
  const pairOf = new Map<number, number>();
  const leafCtx = new Int32Array(n), leafDay = new Int32Array(n), leafMetric = new Int32Array(n);
  let lastU: string | undefined, lastP: string | undefined, lastS: string | undefined;
  let lastCtx = -1;
  // (procedure, sector) and (unit, pair) keys: ids < n ≤ 2^26 keep the products exact
  if (n >= 2 ** 26) return undefined;
  for (let i = 0; i < n; i++) {
    const c = leaf[i]!;
    if (c.unitId !== lastU || c.procedureCode !== lastP || c.sectorCode !== lastS) {
      lastU = c.unitId;
      lastP = c.procedureCode;
      lastS = c.sectorCode;
      const pk = procedures.id(lastP) * 2 ** 26 + sectors.id(lastS);
      let pair = pairOf.get(pk);
      if (pair === undefined) pairOf.set(pk, (pair = pairOf.size));
      const u = units.id(lastU);
      const ck = u * 2 ** 26 + pair;
      let ctx = ctxOf.get(ck);
      if (ctx === undefined) {
        ctxOf.set(ck, (ctx = ctxUnit.length));
        ctxUnit.push(u);
        ctxPair.push(pair);
        ctxLeaf.push(i);
      }
      lastCtx = ctx;
    }
    leafCtx[i] = lastCtx;
    leafDay[i] = days.id(c.day);
    leafMetric[i] = metrics.id(c.metric);
  }
  if (units.unsafe || days.unsafe || metrics.unsafe || procedures.unsafe || sectors.unsafe) return undefined;
  const ND = days.size, NM = metrics.size;
  if (ctxUnit.length * ND * NM >= MAX_KEY) return undefined;

  // collapse leaf cells (first-seen order, as the reference)
  const cellOf = new Map<number, number>();
  const cellCtx: number[] = [], cellDay: number[] = [], cellMetric: number[] = [], cellValue: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = (leafCtx[i]! * ND + leafDay[i]!) * NM + leafMetric[i]!;
    const at = cellOf.get(k);
    if (at === undefined) {
      cellOf.set(k, cellCtx.length);
      cellCtx.push(leafCtx[i]!);
      cellDay.push(leafDay[i]!);
      cellMetric.push(leafMetric[i]!);
      cellValue.push(leaf[i]!.value);
    } else cellValue[at] = cellValue[at]! + leaf[i]!.value;
  }
  const nonZero: number[] = [];
  for (let j = 0; j < cellValue.length; j++) if (cellValue[j] !== 0) nonZero.push(j);

  // chains per (unit, day), in the reference's order (ancestorsOf keeps the last chain set for a unit)
  const storedUnits = new Dense();
  const chainAt = new Map<number, number>();
  const chains: Int32Array[] = [];
  const cellChain = new Int32Array(cellValue.length);
  const edges = new Set<string>();
  const ancestorsOf = new Map<string, string[]>();
  for (const j of nonZero) {
    const u = ctxUnit[cellCtx[j]!]!;
    const k = u * ND + cellDay[j]!;
    let ci = chainAt.get(k);
    if (ci === undefined) {
      const unitId = units.values[u]!;
      const chain = [unitId, ...ancestors(unitId, days.values[cellDay[j]!]!)];
      const stored = storedChain(engine, chain);
      const ids = new Int32Array(stored.length);
      for (let x = 0; x < stored.length; x++) ids[x] = storedUnits.id(stored[x]!);
      chainAt.set(k, (ci = chains.length));
      chains.push(ids);
      for (let x = 0; x < chain.length; x++) {
        ancestorsOf.set(chain[x]!, chain.slice(x + 1));
        if (x + 1 < chain.length) edges.add(chain[x + 1] + SEP + chain[x]);
      }
    }
    cellChain[j] = ci;
  }
  if (storedUnits.unsafe) return undefined;
  // a unit's chain is stable when it is the same on every day of its cells; else its cells roll up per leaf
  const STABLE_UNSET = -2, UNSTABLE = -1;
  const stable = new Int32Array(units.size).fill(STABLE_UNSET);
  for (const j of nonZero) {
    const u = ctxUnit[cellCtx[j]!]!;
    const prev = stable[u]!;
    if (prev === STABLE_UNSET) stable[u] = cellChain[j]!;
    else if (prev !== UNSTABLE && prev !== cellChain[j] && !sameIds(chains[prev]!, chains[cellChain[j]!]!)) stable[u] = UNSTABLE;
  }

  // expansions per (procedure, sector, day, metric): flat (period id, dimension id) pairs
  const periods = new Dense(), dimensions = new Dense();
  const shapeOf = new Map<number, number>();
  const shapes: Int32Array[] = [];
  const cellShape = new Int32Array(cellValue.length);
  for (const j of nonZero) {
    const ctx = cellCtx[j]!;
    const k = (ctxPair[ctx]! * ND + cellDay[j]!) * NM + cellMetric[j]!;
    let si = shapeOf.get(k);
    if (si === undefined) {
      const l = leaf[ctxLeaf[ctx]!]!;
      const unitId = units.values[ctxUnit[ctx]!]!, metric = metrics.values[cellMetric[j]!]!;
      const cells = engine.expand([{ unitId, day: days.values[cellDay[j]!]!, metric, procedureCode: l.procedureCode, sectorCode: l.sectorCode, value: 1 }]);
      const shape = new Int32Array(cells.length * 2);
      for (let x = 0; x < cells.length; x++) {
        const e = cells[x]!;
        if (e.unitId !== unitId || e.metric !== metric || e.value !== 1) return undefined; // not the contract: the reference decides
        shape[2 * x] = periods.id(e.periodKey);
        shape[2 * x + 1] = dimensions.id(e.dimension);
      }
      shapeOf.set(k, (si = shapes.length));
      shapes.push(shape);
    }
    cellShape[j] = si;
  }
  if (periods.unsafe || dimensions.unsafe) return undefined;
  const NP = periods.size, NDim = dimensions.size;
  if (units.size * NP * NDim * NM >= MAX_KEY || storedUnits.size * NP * NDim * NM >= MAX_KEY) return undefined;

  // stage 1: the leaf unit's own cells, collapsed (stable units only; the others go per leaf)
  const ownOf = new Map<number, number>();
  const ownUnit: number[] = [], ownPeriod: number[] = [], ownDim: number[] = [], ownMetric: number[] = [], ownValue: number[] = [];
  for (const j of nonZero) {
    const u = ctxUnit[cellCtx[j]!]!;
    if (stable[u]! < 0) continue;
    const shape = shapes[cellShape[j]!]!, m = cellMetric[j]!, v = cellValue[j]!;
    for (let x = 0; x < shape.length; x += 2) {
      const k = ((u * NP + shape[x]!) * NDim + shape[x + 1]!) * NM + m;
      const at = ownOf.get(k);
      if (at === undefined) {
        ownOf.set(k, ownUnit.length);
        ownUnit.push(u);
        ownPeriod.push(shape[x]!);
        ownDim.push(shape[x + 1]!);
        ownMetric.push(m);
        ownValue.push(v);
      } else ownValue[at] = ownValue[at]! + v;
    }
  }

  // stage 2: up the stored chain, keyed by the components' sort ranks (the numeric order is the upsert order)
  const su = storedUnits.ranks(), pr = periods.ranks(), dr = dimensions.ranks(), mr = metrics.ranks();
  const deltas = new Map<number, number>();
  const add = (s: number, p: number, d: number, m: number, v: number): void => {
    const k = ((su.rank[s]! * NP + pr.rank[p]!) * NDim + dr.rank[d]!) * NM + mr.rank[m]!;
    deltas.set(k, (deltas.get(k) ?? 0) + v);
  };
  for (let o = 0; o < ownUnit.length; o++) {
    const v = ownValue[o]!;
    if (v === 0) continue;
    const chain = chains[stable[ownUnit[o]!]!]!;
    for (let x = 0; x < chain.length; x++) add(chain[x]!, ownPeriod[o]!, ownDim[o]!, ownMetric[o]!, v);
  }
  for (const j of nonZero) {
    if (stable[ctxUnit[cellCtx[j]!]!] !== UNSTABLE) continue;
    const chain = chains[cellChain[j]!]!, shape = shapes[cellShape[j]!]!, m = cellMetric[j]!, v = cellValue[j]!;
    for (let x = 0; x < shape.length; x += 2) for (let y = 0; y < chain.length; y++) add(chain[y]!, shape[x]!, shape[x + 1]!, m, v);
  }

  const keys = new Float64Array(deltas.size);
  let nk = 0;
  for (const [k, v] of deltas) if (v !== 0) keys[nk++] = k;
  const sorted = keys.subarray(0, nk).sort();
  const out: SortedDeltas = { units: new Array<string>(nk), periods: new Array<string>(nk), dimensions: new Array<string>(nk), metrics: new Array<string>(nk), values: new Array<number>(nk) };
  for (let i = 0; i < nk; i++) {
    const k = sorted[i]!;
    const m = k % NM;
    const k1 = (k - m) / NM;
    const d = k1 % NDim;
    const k2 = (k1 - d) / NDim;
    const p = k2 % NP;
    const s = (k2 - p) / NP;
    out.units[i] = su.sorted[s]!;
    out.periods[i] = pr.sorted[p]!;
    out.dimensions[i] = dr.sorted[d]!;
    out.metrics[i] = mr.sorted[m]!;
    out.values[i] = deltas.get(k)!;
  }
  return { deltas: out, edges, ancestorsOf };
}

function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
