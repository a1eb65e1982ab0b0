import type { Pool } from 'pg';
import { DossierOutcome, NATION_UNIT_ID, PAUSED_STATUSES, toVnDate, vnStartOfDay } from '@onestop/domain';
import { ProblemException } from '@onestop/http';
import { ALL_DIMENSION, type IndicatorEngine } from '../indicators/indicator-engine';
import { daysBetween, isPeriodKey, periodBounds } from '../indicators/periods';
import { LAYOUTS } from '../ingest/fact-codec';
import { type CounterReader, type Counts, type Queryable } from './counter-reader';
import { DimensionLookup } from './dimension-lookup';
import { type Freshness, type FreshnessService } from './freshness.service';
import { rankingMetrics, type RankingMetricKind } from './ranking-metrics';
import { UnitLookup } from './unit-lookup';

export interface Gauges {
  inProgress: number;
  inProgressInTime: number;
  inProgressOverdue: number;
  dueSoon: number;
  /** Null for a period that has ended: a dossier's pauses are not kept, only its current status. */
  paused: number | null;
}

/**
 * The instant a period's in-progress gauges are evaluated at (domain §2.5: in progress in time / overdue at the END
 * of the period): the end of a period that has ended, else now (`live`; the current period, or one still to come —
 * the same cut-off as the periodic report's, `min(end, now)`).
 */
export function gaugesInstant(period: string, now = Date.now()): { asOf: Date; live: boolean } {
  const { end } = periodBounds(period);
  return end.getTime() <= now ? { asOf: end, live: false } : { asOf: new Date(now), live: true };
}

/** SQL text of one field of a stored fact sheet: the compact array of ADR 0403 (every layout) or the older object form. */
function factField(name: string): string {
  const arms = Object.entries(LAYOUTS).map(([n, fields]) => {
    const i = fields.indexOf(name);
    if (i < 0 || !/^\d+$/.test(n)) throw new Error(`fact layout ${n} has no ${name}`);
    return `WHEN '${n}' THEN facts->>${i + 1}`;
  });
  return `(CASE WHEN json_typeof(facts) = 'array' THEN (CASE facts->>0 ${arms.join(' ')} END) ELSE facts->>'${name}' END)`;
}
const FACT_PROCEDURE = factField('procedureCode');
const FACT_SECTOR = factField('sectorCode');
const FACT_STATUS = factField('status');
const FACT_STATUS_AT = factField('statusAt');
const FACT_OUTCOME = factField('outcome');
/** Statuses whose clock is stopped (supplement requested, awaiting payment, suspended): counted in time (domain §2.5). */
const PAUSED: string[] = [...PAUSED_STATUSES];

/**
 * The domain's default timeliness rule for dossiers in progress (`classifyProgress`, DATE comparison, ADR 0412): a
 * dossier is overdue at `asOf` when its due DATE (Vietnam) is before `asOf`'s date, i.e. when it was due before
 * the start of `asOf`'s Vietnam day. A dossier due earlier on the same day is not overdue yet: resolved now it
 * would count as resolved on time. This instant is that day's start.
 */
export function overdueBefore(asOf: number): Date {
  return new Date(vnStartOfDay(toVnDate(asOf)));
}

export interface UnitIndicators {
  unitId: string;
  period: string;
  dimension: string;
  counts: Counts;
  rates: Record<string, number | null>;
  /**
   * In progress in time / overdue / due soon / paused as of `gaugesAsOf`: the end of the period when it has ended
   * (the periodic report's numbers), else live from open dossiers' due dates (cached ≤ 1–4 s, ADR 0404).
   */
  gauges: Gauges;
  /** The instant the gauges are evaluated at (ISO): the end of an ended period, else when the live scan ran. */
  gaugesAsOf: string;
  /**
   * Only for a unit no longer in force (a pre-2025 commune or province, e.g. `00013`, `02`, `00004@pre2025`): nothing is
   * counted under its own id — its dossiers are counted under this unit of the map in force (ADR 0103, 0206) — so
   * its zeros mean "not tracked here", not "no dossiers".
   */
  countedUnder?: { unitId: string; name: string };
}

export interface PeriodGauges {
  /** The instant the gauges are evaluated at. */
  asOf: string;
  /** True when they are the live values (current period), false when as of the end of an ended period. */
  live: boolean;
  byUnit: Map<string, Gauges>;
}

export interface ReportRow {
  unitId: string;
  /**
   * Vietnamese name from the unit directory on the day whose map the rows are counted on (the period's last day, at
   * most today, at least the 2025 map's first: `directoryDay`); null for a unit it does not know.
   */
  unitName: string | null;
  carriedOver: number;
  receivedOnline: number;
  receivedDirectOrPostal: number;
  received: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  resolved: number;
  /**
   * Received dossiers that ended without a result in the period (finished in it, domain §1.3 REFUSED / STOPPED,
   * WITHDRAWN), from the fact sheets: refused or stopped (DossierRefused), withdrawn by the applicant after receipt
   * (DossierWithdrawn; a withdrawal before receipt was never received), and their sum. With them the row adds up:
   * carriedOver + received = resolved + endedWithoutResult + inProgressInTime + inProgressOverdue.
   */
  endedRefused: number;
  endedWithdrawn: number;
  endedWithoutResult: number;
  inProgressInTime: number;
  inProgressOverdue: number;
}

const DIM_RE = /^(?:(all|\*)|(procedure|P):([\w.-]{1,60})|(sector|S):([\w.-]{1,60}))$/;
const UNIT_RE = /^[\w.@-]{1,64}$/;

/**
 * The domain's dimension key (`*`, `P:<code>`, `S:<code>`) of a query's `dimension`; the API also accepts the
 * older spelling `all`, `procedure:<code>`, `sector:<code>`. Undefined when malformed.
 */
export function dimensionKey(dimension: string): string | undefined {
  const m = DIM_RE.exec(dimension);
  if (!m) return undefined;
  if (m[1] !== undefined) return ALL_DIMENSION;
  if (m[2] !== undefined) return `P:${m[3]}`;
  return `S:${m[5]}`;
}

export interface RankingEntry {
  rank: number;
  unitId: string;
  value: number;
}

export class IndicatorsService {
  private gaugeCache = new Map<string, GaugeEntry>();
  private childrenCache = new Map<string, { at: number; value: string[] }>();
  /** Names a ranking accepts (counters, rates, gauges), with their kind. */
  readonly rankingMetrics: ReadonlyMap<string, RankingMetricKind>;
  private readonly units: UnitLookup;
  private readonly dimensions: DimensionLookup;

  constructor(
    private readonly pool: Pool,
    private readonly reader: CounterReader,
    private readonly freshness: FreshnessService,
    private readonly engine: IndicatorEngine,
    private readonly dueSoonHours: number,
    units?: UnitLookup,
    dimensions?: DimensionLookup,
  ) {
    this.rankingMetrics = rankingMetrics(engine);
    this.units = units ?? new UnitLookup((u) => this.counted(u));
    this.dimensions = dimensions ?? new DimensionLookup((d) => this.countedDimension(d));
  }

  /** Validates a query; returns the domain dimension key. */
  validate(unitId: string, period?: string, dimension = ALL_DIMENSION, daily = false): string {
    const errors = [];
    if (!UNIT_RE.test(unitId)) errors.push({ field: 'unitId', message: 'not a unit code' });
    if (period !== undefined && !isPeriodKey(period)) errors.push({ field: 'period', message: 'expected D2025-11-03, M2025-11, Q2025-4 or Y2025' });
    const key = dimensionKey(dimension);
    if (key === undefined) errors.push({ field: 'dimension', message: 'expected * (all), P:<procedure> (procedure:<code>) or S:<sector> (sector:<code>)' });
    else if (key !== ALL_DIMENSION && (daily || period?.startsWith('D'))) {
      errors.push({ field: 'dimension', message: 'daily counters are kept for the whole unit (*) only; use a month, quarter or year' });
    }
    if (errors.length > 0) throw ProblemException.validation(errors, 'Invalid query');
    return key!;
  }

  /** 404 (problem+json naming `unitId`) unless the unit is in the domain unit directory or has been counted here. */
  async requireUnit(unitId: string): Promise<void> {
    if (!(await this.units.exists(unitId))) {
      throw new ProblemException(404, 'not-found', 'Not found', `Unit ${JSON.stringify(unitId)} is neither in the unit directory nor counted by this service`, [
        { field: 'unitId', message: 'unknown unit: expected VN, a province (01), commune (00004) or one-stop unit (01.00004, 01.TTPV) code' },
      ]);
    }
  }

  /**
   * 404 (problem+json naming `dimension`) for a procedure / sector that is neither in the domain's procedure catalogue
   * nor counted by this service (ADR 0414): its figures would be zeros, as if it existed.
   */
  async requireDimension(dimension: string): Promise<void> {
    if (!(await this.dimensions.exists(dimension))) {
      const what = dimension.startsWith('S:') ? 'sector' : 'procedure';
      throw new ProblemException(404, 'not-found', 'Not found', `${what === 'sector' ? 'Sector' : 'Procedure'} ${JSON.stringify(dimension.slice(2))} is neither in the procedure catalogue nor counted by this service`, [
        { field: 'dimension', message: `unknown ${what}: expected a ${what} code of the procedure catalogue or one this service has counted` },
      ]);
    }
  }

  /** The checks every query runs after `validate`: the unit (404 `unitId`), then the dimension (404 `dimension`). */
  private async requireKnown(unitId: string, dimension: string): Promise<void> {
    await this.requireUnit(unitId);
    await this.requireDimension(dimension);
  }

  /** Validates a ranking's metric name: 400 naming `metric` and listing the allowed names. */
  rankingMetric(metric: string | undefined): RankingMetricKind {
    const kind = metric === undefined ? undefined : this.rankingMetrics.get(metric);
    if (kind === undefined) {
      const allowed = [...this.rankingMetrics.keys()];
      throw new ProblemException(400, 'validation-error', 'Invalid request', 'Invalid query', [{ field: 'metric', message: `one of: ${allowed.join(', ')}` }], {
        allowedMetrics: allowed,
      });
    }
    return kind;
  }

  async indicators(unitId: string, period: string, query = ALL_DIMENSION): Promise<{ data: UnitIndicators; freshness: Freshness }> {
    const dimension = this.validate(unitId, period, query);
    await this.requireKnown(unitId, dimension);
    const [{ counts, source }, gauges] = await Promise.all([
      this.reader.read([{ unitId, periodKey: period, dimension }]),
      this.periodGauges(unitId, [unitId], dimension, period),
    ]);
    const c = counts[0] ?? {};
    const countedUnder = this.units.countedUnder(unitId, toVnDate(Date.now()));
    return {
      data: {
        unitId,
        period,
        dimension,
        counts: c,
        rates: this.engine.computeRates(c),
        gauges: gauges.byUnit.get(unitId) ?? zeroGauges(gauges.live),
        gaugesAsOf: gauges.asOf,
        ...(countedUnder ? { countedUnder } : {}),
      },
      freshness: await this.freshness.get(source),
    };
  }

  async children(unitId: string, period: string, query = ALL_DIMENSION): Promise<{ data: UnitIndicators[]; freshness: Freshness }> {
    const dimension = this.validate(unitId, period, query);
    await this.requireKnown(unitId, dimension);
    const kids = await this.childrenOf(unitId, period);
    const [{ counts, source }, gauges] = await Promise.all([
      this.reader.read(kids.map((k) => ({ unitId: k, periodKey: period, dimension }))),
      this.periodGauges(unitId, kids, dimension, period),
    ]);
    return {
      data: kids.map((k, i) => ({
        unitId: k,
        period,
        dimension,
        counts: counts[i] ?? {},
        rates: this.engine.computeRates(counts[i] ?? {}),
        gauges: gauges.byUnit.get(k) ?? zeroGauges(gauges.live),
        gaugesAsOf: gauges.asOf,
      })),
      freshness: await this.freshness.get(source),
    };
  }

  /**
   * Children ranked by a counter, rate or gauge. A child whose rate is undefined (no denominator in the period) has
   * no value: it is not ranked but listed in `unranked`, so every ranked value of a rate lies in 0..1.
   */
  async ranking(
    unitId: string,
    period: string,
    metric: string,
    order: 'desc' | 'asc',
    limit: number,
    query = ALL_DIMENSION,
  ): Promise<{
    data: { unitId: string; period: string; dimension: string; metric: string; order: 'desc' | 'asc'; gaugesAsOf: string; ranking: RankingEntry[]; unranked: string[] };
    freshness: Freshness;
  }> {
    const kind = this.rankingMetric(metric);
    const { data, freshness } = await this.children(unitId, period, query);
    const dimension = this.validate(unitId, period, query);
    const gaugesAsOf = data[0]?.gaugesAsOf ?? gaugesInstant(period).asOf.toISOString();
    const value = (u: UnitIndicators): number | null => {
      switch (kind) {
        case 'gauge':
          return u.gauges[metric as keyof Gauges];
        case 'rate':
          return u.rates[metric] ?? null;
        case 'count':
          return Object.hasOwn(u.counts, metric) ? u.counts[metric]! : 0;
      }
    };
    const valued = data.map((u) => ({ unitId: u.unitId, value: value(u) }));
    const sorted = valued
      .filter((r): r is { unitId: string; value: number } => r.value !== null)
      .sort((a, b) => (order === 'desc' ? b.value - a.value : a.value - b.value) || a.unitId.localeCompare(b.unitId));
    // equal values share a rank, the next value's rank skips the tied places (1, 1, 3): a tie is listed by unit id,
    // but no unit is ranked above another with the same value (ADR 0410)
    const ranked = sorted.slice(0, limit).map((r) => ({ rank: sorted.findIndex((x) => x.value === r.value) + 1, ...r }));
    const unranked = valued.filter((r) => r.value === null).map((r) => r.unitId);
    return { data: { unitId, period, dimension, metric, order, gaugesAsOf, ranking: ranked, unranked }, freshness };
  }

  async timeseries(unitId: string, from: string, to: string, query = ALL_DIMENSION) {
    const dimension = this.validate(unitId, undefined, query, true);
    // each bound must be a real calendar date: Date.parse rolls 2026-02-30 or 2026-04-31 over into the next month,
    // which would answer for days nobody asked for
    const bad = [
      ...(isCalendarDate(from) ? [] : [{ field: 'from', message: 'a calendar date YYYY-MM-DD (Asia/Ho_Chi_Minh), e.g. 2025-11-01' }]),
      ...(isCalendarDate(to) ? [] : [{ field: 'to', message: 'a calendar date YYYY-MM-DD (Asia/Ho_Chi_Minh), e.g. 2025-11-30' }]),
    ];
    if (bad.length === 0 && from > to) bad.push({ field: 'from', message: 'from and to must be YYYY-MM-DD with from ≤ to' });
    if (bad.length > 0) throw ProblemException.validation(bad, 'Invalid range');
    const days = daysBetween(from, to, 400);
    if (days[days.length - 1] !== to) throw ProblemException.validation([{ field: 'to', message: 'range longer than 400 days' }], 'Invalid range');
    await this.requireKnown(unitId, dimension);
    const { counts, source } = await this.reader.read(days.map((d) => ({ unitId, periodKey: `D${d}`, dimension })));
    return { data: { unitId, dimension, points: days.map((d, i) => ({ day: d, counts: counts[i] ?? {} })) }, freshness: await this.freshness.get(source) };
  }

  /**
   * Standard periodic report (Mẫu 06a-style): the unit and each child, for the whole unit (`*`) or one procedure
   * (`P:`) or sector (`S:`): counters from the period's cells of that dimension; carried over and in progress in
   * time / overdue from the fact sheets of the dossiers of that procedure / sector, as of `cutoff` = min(end, now).
   */
  async report(
    unitId: string,
    period: string,
    query = ALL_DIMENSION,
  ): Promise<{ data: { unitId: string; period: string; dimension: string; cutoff: string; rows: ReportRow[]; countedUnder?: { unitId: string; name: string } }; freshness: Freshness }> {
    const dimension = this.validate(unitId, period, query);
    await this.requireKnown(unitId, dimension);
    const units = [unitId, ...(await this.childrenOf(unitId, period))];
    const { start, end } = periodBounds(period);
    const cutoff = new Date(Math.min(end.getTime(), Date.now()));
    const nameDay = directoryDay(period);
    // Counters and fact-sheet columns from ONE Postgres snapshot: the consumer commits both in one transaction and
    // writes Redis after it, so counters from Redis beside facts from Postgres made rows that did not add up while
    // events were being applied (black-box round 8: 58 of 79 answers off by 1–2 under load).
    const { counts, hist } = await this.inOneSnapshot(async (q) => ({
      counts: await this.reader.readSnapshot(units.map((u) => ({ unitId: u, periodKey: period, dimension })), q),
      hist: await this.factGauges(unitId, units, dimension, start, cutoff, q),
    }));
    const source = 'postgres' as const;
    const rows = units.map((u, i): ReportRow => {
      const c = counts[i] ?? {};
      const g = (k: string) => c[k] ?? 0;
      const x = hist.get(u);
      return {
        unitId: u,
        // named as on the map the rows are counted on (`directoryDay`): the 2025 map for a period before it. The cut-off
        // day named pre-2025 periods' rows after the old units that held those codes (00004 "Phường Trúc Bạch" for
        // figures of the 2025 Ba Đình; black-box round 7), and M2025-06 after the 2025 map by accident.
        unitName: this.units.nameOf(u, nameDay),
        carriedOver: x?.carriedOver ?? 0,
        receivedOnline: g('receivedOnline'),
        receivedDirectOrPostal: g('receivedDirect') + g('receivedPostal'),
        received: g('received'),
        resolvedEarly: g('resolvedEarly'),
        resolvedOnTime: g('resolvedOnTime'),
        resolvedLate: g('resolvedLate'),
        resolved: g('resolved'),
        endedRefused: x?.refused ?? 0,
        endedWithdrawn: x?.withdrawn ?? 0,
        endedWithoutResult: (x?.refused ?? 0) + (x?.withdrawn ?? 0),
        inProgressInTime: x?.gauges.inProgressInTime ?? 0,
        inProgressOverdue: x?.gauges.inProgressOverdue ?? 0,
      };
    });
    // a unit no longer in force has no figures of its own: say where its dossiers are counted (black-box round 8: a
    // report of the old province 06 was a row of zeros with no word, in JSON, CSV and XLSX alike)
    const countedUnder = this.units.countedUnder(unitId, toVnDate(Date.now()));
    return {
      data: { unitId, period, dimension, cutoff: cutoff.toISOString(), rows, ...(countedUnder ? { countedUnder } : {}) },
      freshness: await this.freshness.get(source),
    };
  }

  /**
   * Carried over into [start, …) and the in-progress gauges as of `at` (domain §2.5), per unit of `units` (all inside
   * `scope`'s subtree), from the fact sheets' received / finished / due dates: the periodic report's computation.
   * `paused` is null (pauses are not kept per instant). A procedure / sector dimension reads the code from the fact
   * sheet itself (`dossier_facts` has no column for it).
   */
  /** Runs `f` in a read-only REPEATABLE READ transaction: every query it makes through `q` sees one snapshot. */
  private async inOneSnapshot<T>(f: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const out = await f(client);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async factGauges(
    scope: string,
    units: string[],
    dimension: string,
    start: Date,
    at: Date,
    q: Queryable = this.pool,
  ): Promise<Map<string, { carriedOver: number; refused: number; withdrawn: number; gauges: Gauges }>> {
    const [kind, code] = dimension === ALL_DIMENSION ? ['*', ''] : (dimension.split(':') as [string, string]);
    const dim = kind === 'P' ? `AND ${FACT_PROCEDURE} = $8` : kind === 'S' ? `AND ${FACT_SECTOR} = $8` : '';
    // The domain's `inProgressBreakdown`: evaluated at the last instant before `at` (the period's last millisecond,
    // `at` being its exclusive end); overdue = due DATE before that instant's date, unless the clock is stopped
    // then (paused: the current status, if it was reached before `at`, as the domain approximates it: pauses
    // are not kept per instant); due soon = neither, and due within the window.
    const asOf = at.getTime() - 1;
    const soon = new Date(asOf + this.dueSoonHours * 3600_000);
    const open = '(finished_at IS NULL OR finished_at >= $3)';
    // ... and only a pause that began on or before the due DAY stops the clock (the domain's `pauseStopsClock`)
    const pauseDay = `((${FACT_STATUS_AT})::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
    const paused = `COALESCE(${FACT_STATUS} = ANY($7::text[]) AND (${FACT_STATUS_AT})::timestamptz < $3
      AND (due_at IS NULL OR ${pauseDay} <= (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), false)`;
    const overdue = `(COALESCE(due_at < $6, false) AND NOT ${paused})`;
    // ended without a result in [start, at): received (the WHERE), finished in the period, outcome refused / withdrawn
    const ended = (outcome: string) => `finished_at >= $2 AND finished_at < $3 AND ${FACT_OUTCOME} = '${outcome}'`;
    const { rows } = await q.query<{ unit: string; carried: string; refused: string; withdrawn: string; total: string; in_time: string; overdue: string; due_soon: string }>(
      `SELECT a AS unit,
              count(*) FILTER (WHERE received_at < $2 AND (finished_at IS NULL OR finished_at >= $2)) AS carried,
              count(*) FILTER (WHERE ${ended(DossierOutcome.Refused)}) AS refused,
              count(*) FILTER (WHERE ${ended(DossierOutcome.Withdrawn)}) AS withdrawn,
              count(*) FILTER (WHERE ${open}) AS total,
              count(*) FILTER (WHERE ${open} AND NOT ${overdue}) AS in_time,
              count(*) FILTER (WHERE ${open} AND ${overdue}) AS overdue,
              count(*) FILTER (WHERE ${open} AND due_at >= $6 AND due_at <= $5 AND NOT ${paused}) AS due_soon
         FROM statistics.dossier_facts, unnest(ancestors) AS a
        WHERE ancestors @> ARRAY[$1]::text[] AND a = ANY($4::text[]) AND received_at < $3 ${dim}
        GROUP BY a`,
      [scope, start, at, units, soon, overdueBefore(asOf), PAUSED, ...(kind === '*' ? [] : [code])],
    );
    return new Map(
      rows.map((r) => [
        r.unit,
        { carriedOver: +r.carried, refused: +r.refused, withdrawn: +r.withdrawn, gauges: { inProgress: +r.total, inProgressInTime: +r.in_time, inProgressOverdue: +r.overdue, dueSoon: +r.due_soon, paused: null } },
      ]),
    );
  }

  /** Whether the service has counted `unitId` (it is some unit's child): units the directory does not know. */
  private async counted(unitId: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ hit: boolean }>(`SELECT EXISTS (SELECT 1 FROM statistics.unit_edge WHERE child_id = $1) AS hit`, [unitId]);
    return rows[0]?.hit === true;
  }

  /**
   * Whether the service has counted a `P:` / `S:` key: every counted dossier rolls up to the nation, so the nation has a
   * cell of it (a range of the primary key's `VN` rows, not a scan of every cell).
   */
  private async countedDimension(dimension: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ hit: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM statistics.unit_cell WHERE unit_id = $1 AND dimension = $2) AS hit`,
      [NATION_UNIT_ID, dimension],
    );
    return rows[0]?.hit === true;
  }

  /**
   * The children a breakdown, ranking or report lists for a period: every child the unit directory has in force on
   * the period's last day (today for a current or future period; the 2025 map for a period before it, which is the
   * map dossiers are counted on), with or without dossiers, plus every other child the service has counted
   * (`unit_edge`: units the directory does not know). Sorted by id.
   */
  async childrenOf(unitId: string, period?: string): Promise<string[]> {
    const day = period === undefined ? toVnDate(Date.now()) : directoryDay(period);
    const key = `${unitId}\u0001${day}`;
    const hit = this.childrenCache.get(key);
    if (hit && Date.now() - hit.at < 2000) return hit.value;
    const { rows } = await this.pool.query<{ child_id: string }>(`SELECT child_id FROM statistics.unit_edge WHERE parent_id = $1`, [unitId]);
    const value = [...new Set([...this.units.childrenInForce(unitId, day), ...rows.map((r) => r.child_id)])].sort();
    if (this.childrenCache.size >= 10_000) this.childrenCache.clear(); // bounded: ids come from URLs
    this.childrenCache.set(key, { at: Date.now(), value });
    return value;
  }

  /**
   * In-progress gauges of `units` (all inside `scope`'s subtree) for a period, evaluated at `gaugesInstant(period)`:
   * for a period that has ended, as of its end from the fact sheets (the report's numbers, `factGauges`); for the
   * current period, the live values from the open dossiers (`gauges`). Both go through the same cache (ADR 0404).
   */
  async periodGauges(scope: string, units: string[], dimension: string, period: string): Promise<PeriodGauges> {
    const { asOf, live } = gaugesInstant(period);
    if (live) {
      const entry = await this.cachedGauges(this.gaugeKey(scope, units, dimension, 'live'), () => this.queryGauges(scope, units, dimension));
      return { asOf: new Date(entry.asOf).toISOString(), live, byUnit: entry.value };
    }
    const { value } = await this.cachedGauges(this.gaugeKey(scope, units, dimension, asOf.toISOString()), async () => {
      const byUnit = await this.factGauges(scope, units, dimension, periodBounds(period).start, asOf);
      return new Map([...byUnit].map(([u, x]) => [u, x.gauges]));
    });
    return { asOf: asOf.toISOString(), live, byUnit: value };
  }

  /** Live in-progress gauges of `units` (as of now, cached): see `periodGauges`. */
  async gauges(scope: string, units: string[], dimension: string): Promise<Map<string, Gauges>> {
    return (await this.cachedGauges(this.gaugeKey(scope, units, dimension, 'live'), () => this.queryGauges(scope, units, dimension))).value;
  }

  private gaugeKey(scope: string, units: string[], dimension: string, instant: string): string {
    return `${scope}\u0001${dimension}\u0001${instant}\u0001${units.length === 1 ? units[0] : '*'}`;
  }

  /**
   * A gauge scan's result, as of ≤ 1 s (≤ 5 s while refreshing). A gauge whose scan is expensive (a nation's or a
   * large province's dossiers while the consumer keeps Postgres busy) is kept fresh for up to 4× its last scan time,
   * at most 4 s, so its refreshes take at most ~20 % of one Postgres backend instead of a scan back to back.
   */
  private async cachedGauges(key: string, scan: () => Promise<Map<string, Gauges>>): Promise<GaugeEntry> {
    const hit = this.gaugeCache.get(key);
    const age = hit ? Date.now() - hit.at : Infinity;
    if (age < Math.min(4000, Math.max(1000, 4 * (hit?.scanMs ?? 0)))) return hit!;
    const refresh = this.gaugeInflight.get(key) ?? this.loadGauges(key, scan);
    // Stale-while-revalidate (ADR 0402): a value up to 5 s old is answered at once while one query refreshes it,
    // so a request never waits for the scan while the consumer keeps Postgres busy.
    if (age < 5000) return hit!;
    return refresh;
  }

  private gaugeInflight = new Map<string, Promise<GaugeEntry>>();

  private loadGauges(key: string, scan: () => Promise<Map<string, Gauges>>): Promise<GaugeEntry> {
    const started = Date.now();
    const p = scan()
      .then((value) => {
        const entry = { at: Date.now(), asOf: started, scanMs: Date.now() - started, value };
        if (this.gaugeCache.size > 5000) this.gaugeCache.clear();
        this.gaugeCache.set(key, entry);
        return entry;
      })
      .finally(() => this.gaugeInflight.delete(key));
    p.catch(() => undefined); // a background refresh failing is retried by the next request
    this.gaugeInflight.set(key, p);
    return p;
  }

  private async queryGauges(scope: string, units: string[], dimension: string): Promise<Map<string, Gauges>> {
    const now = Date.now();
    const soon = new Date(now + this.dueSoonHours * 3600_000);
    // the domain's `classifyProgress` (DATE comparison): overdue = due before today's start (Vietnam) and not
    // paused; paused dossiers are in time (domain §2.5); due soon = neither, and due within the window
    const dayStart = overdueBefore(now);
    const [kind, code] = dimension === ALL_DIMENSION ? ['*', ''] : (dimension.split(':') as [string, string]);
    // One unit (the scope itself): a plain filtered count, no unnest + GROUP BY (3-4× cheaper on a nation's open
    // dossiers: 22 vs 81 ms at 44k, EXPLAIN ANALYZE on the state of a 1M-event backlog).
    const single = units.length === 1 && units[0] === scope;
    const counts = `count(*) AS total,
              count(*) FILTER (WHERE paused OR due_at IS NULL OR due_at >= $2) AS in_time,
              count(*) FILTER (WHERE NOT paused AND due_at < $2) AS overdue,
              count(*) FILTER (WHERE NOT paused AND due_at >= $2 AND due_at <= $3) AS due_soon,
              count(*) FILTER (WHERE paused) AS paused`;
    const dim = (k: number) => `($${k} = '*' OR ($${k} = 'P' AND procedure_code = $${k + 1}) OR ($${k} = 'S' AND sector_code = $${k + 1}))`;
    const { rows } = await this.pool.query<{ unit: string; total: string; in_time: string; overdue: string; due_soon: string; paused: string }>(
      single
        ? `SELECT $1::text AS unit, ${counts} FROM statistics.open_dossier
            WHERE ancestors @> ARRAY[$1]::text[] AND ${dim(4)} HAVING count(*) > 0`
        : `SELECT a AS unit, ${counts} FROM statistics.open_dossier, unnest(ancestors) AS a
            WHERE ancestors @> ARRAY[$1]::text[] AND a = ANY($4::text[]) AND ${dim(5)} GROUP BY a`,
      single ? [scope, dayStart, soon, kind, code] : [scope, dayStart, soon, units, kind, code],
    );
    return new Map(rows.map((r) => [r.unit, { inProgress: +r.total, inProgressInTime: +r.in_time, inProgressOverdue: +r.overdue, dueSoon: +r.due_soon, paused: +r.paused }]));
  }
}

interface GaugeEntry {
  /** When the scan ended (its age decides freshness). */
  at: number;
  /** When the scan started: the live gauges are as of then. */
  asOf: number;
  scanMs: number;
  value: Map<string, Gauges>;
}

/** Whether `s` is an existing calendar date written YYYY-MM-DD (not 2026-02-30, 2026-04-31 or 2026-13-01). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** No dossier in progress; `paused` is unknown (null) for a period that has ended. */
export const zeroGauges = (live = true): Gauges => ({ inProgress: 0, inProgressInTime: 0, inProgressOverdue: 0, dueSoon: 0, paused: live ? 0 : null });

/** The first day of the 2025 map (Resolution 202/2025/QH15): dossiers of earlier days are counted on it. */
const MAP_2025 = '2025-07-01';

/** The day whose unit directory lists a period's children: its last day, at most today, at least the 2025 map's first. */
function directoryDay(period: string): string {
  const last = toVnDate(periodBounds(period).end.getTime() - 1);
  const today = toVnDate(Date.now());
  const day = last < today ? last : today;
  return day < MAP_2025 ? MAP_2025 : day;
}
