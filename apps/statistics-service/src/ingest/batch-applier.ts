import type { Pool, PoolClient } from 'pg';
import { vnDateOf } from '@onestop/domain';
import { type CellWrite } from '../cache/counter-cache';
import { CELL_COLUMNS, CELL_METRICS, metricIndex } from './cell-metrics';
import { decodeFacts, encodeFacts } from './fact-codec';
import { SEP, deltasByKey, rollUp, type SortedDeltas } from './roll-up';
import { ALL_DIMENSION, type Facts, type IndicatorEngine, type LeafContribution, type PublicEvent } from '../indicators/indicator-engine';

export interface PartitionBatch {
  topic: string;
  partition: number;
  /** Valid events of the batch in offset order (invalid ones were dead-lettered). */
  events: PublicEvent[];
  /** Offset after the last message of the batch (valid or not). */
  nextOffset: string;
}

export interface AppliedBatch {
  claimed: number;
  duplicates: number;
  /** Every counter cell the group changed, as Redis and the live feed need it (`CounterCache.writeGroup`). */
  cells: CellWrite[];
  /** The (cell, metric) values the group changed. */
  rows: number;
  lastEventAt: string | null;
}

/**
 * Applies one partition batch in ONE Postgres transaction: claim event ids (dedup) → load fact sheets →
 * apply only claimed events with the shared reducer → counter deltas from contribution diffs, rolled up →
 * upsert counters (RETURNING absolute values + versions) → open-dossier index → stored offset.
 */
export class BatchApplier {
  constructor(
    private readonly pool: Pool,
    private readonly engine: IndicatorEngine,
    private readonly groupId: string,
    /** Runs inside the transaction right before COMMIT (fault injection point "before-commit"). */
    private readonly beforeCommit: () => void = () => undefined,
  ) {}

  async loadOffsets(topic: string, partitions: number[]): Promise<Map<number, string>> {
    const { rows } = await this.pool.query<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset FROM statistics.consumer_offset WHERE consumer_group = $1 AND topic = $2 AND partition = ANY($3::int[])`,
      [this.groupId, topic, partitions],
    );
    return new Map(rows.map((r) => [r.partition, r.next_offset]));
  }

  async apply(batch: PartitionBatch): Promise<AppliedBatch> {
    return this.applyMany([batch]);
  }

  /**
   * Applies the batches of several partitions (one kafkajs fetch) in ONE transaction. Each partition appears at
   * most once; a dossier's events are on one partition (keyed by dossier id), so concatenating the partitions
   * keeps every dossier's order, and the dedup claim covers duplicates across partitions too.
   */
  async applyMany(batches: PartitionBatch[]): Promise<AppliedBatch> {
    return (await this.prepare(batches)).finish();
  }

  /**
   * Stage A of a group's transaction (ADR 0404): BEGIN, claim the event ids, lock and load the fact sheets, run
   * the reducer and the roll-up, and prepare every statement's parameters. The transaction stays open (and holds
   * its connection) until `finish()` writes and commits it, or `abort()` rolls it back. The consumer prepares the
   * next group while the previous one finishes: both are ordinary transactions, so Postgres's row locks serialise
   * any dossier the two share (stage A waits on `FOR UPDATE` until the earlier group commits).
   */
  async prepare(batches: PartitionBatch[], epoch = 0): Promise<PreparedGroup> {
    if (new Set(batches.map((b) => `${b.topic}\u0001${b.partition}`)).size !== batches.length) {
      throw new Error('applyMany: a partition appears twice in one transaction');
    }
    const client = await this.pool.connect();
    // A prepared group's connection waits idle in its transaction; if the server drops it then, pg emits 'error' on
    // the client (no query to fail): keep it, so the next statement fails and the group rolls back (no crash).
    let broken: Error | undefined;
    const onError = (err: Error): void => {
      broken = err;
    };
    client.on('error', onError);
    let open = true;
    const end = async (sql: 'COMMIT' | 'ROLLBACK'): Promise<void> => {
      if (!open) return;
      open = false;
      try {
        if (broken) throw broken;
        await client.query(sql);
      } catch (err) {
        client.off('error', onError);
        client.release(err as Error); // a broken connection (e.g. terminated backend) is discarded, not pooled
        throw err;
      }
      client.off('error', onError);
      client.release();
    };
    const timings: Record<string, number> = {};
    let staged: StagedGroup;
    try {
      await client.query('BEGIN');
      staged = await this.stageA(client, batches, timings, epoch);
    } catch (err) {
      await end('ROLLBACK').catch(() => undefined);
      throw err;
    }
    const done = (): void => {
      for (const [id, f] of staged.after) if (this.inflight.get(id)?.facts === f) this.inflight.delete(id);
    };
    return {
      finish: async () => {
        try {
          const result = await this.stageB(client, staged, timings);
          this.beforeCommit();
          const t = Date.now();
          await end('COMMIT');
          timings['commit'] = Date.now() - t;
          this.timings = timings;
          return result;
        } catch (err) {
          await end('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          done();
        }
      },
      abort: () => {
        done();
        return end('ROLLBACK').catch(() => undefined);
      },
    };
  }

  /** Milliseconds per stage of the last committed group (dedup, loadFacts, reduce+rollup, counters, facts+open). */
  timings: Record<string, number> = {};

  /**
   * Fact sheets written by prepared, not yet committed groups (per pipeline epoch). A later group of the same
   * epoch starts from them instead of Postgres: it cannot see the earlier group's uncommitted rows (a new dossier
   * has no row to lock yet), and it commits only after that group did; a failure ends the epoch (ADR 0404).
   */
  private inflight = new Map<string, { epoch: number; facts: Facts }>();

  /**
   * Whether the next group is expected to hold only events never applied before (ADR 0415). True in normal ingest
   * and catch-up: the reducer then runs while Postgres claims the ids. After a group with duplicates (a replay,
   * a redelivery after a crash) the next group waits for its claim first and reduces only the claimed events.
   */
  private expectFresh = true;

  private async stageA(client: PoolClient, batches: PartitionBatch[], timings: Record<string, number>, epoch: number): Promise<StagedGroup> {
    let t = Date.now();
    const mark = (stage: string): void => {
      const now = Date.now();
      timings[stage] = now - t;
      t = now;
    };
    const all: PublicEvent[] = [];
    for (const b of batches) for (const e of b.events) all.push(e);
    // first occurrence of each id (duplicates inside one group are dropped before the claim sees them)
    const seen = new Set<string>();
    const unique: PublicEvent[] = [];
    const ids: string[] = [];
    for (const e of all) {
      const id = e.id.toLowerCase();
      if (seen.has(id)) continue;
      seen.add(id);
      unique.push(e);
      ids.push(id);
    }
    const staged: StagedGroup = { batches, all, fresh: [], counterParams: null, factRows: null, edges: new Set(), ancestorsOf: new Map(), after: new Map() };
    if (unique.length === 0) return staged;
    // Lock order (ADR 0415): the fact sheets of every dossier the group names, in dossier order, then the event ids,
    // in id order. Every group of every consumer takes them in this order, so two groups never wait on each other
    // in a cycle.
    const before = new Map<string, Facts>();
    const toLoad: string[] = [];
    for (const id of [...new Set(unique.map((e) => e.payload.dossierId))].sort()) {
      const f = this.inflight.get(id);
      if (f !== undefined && f.epoch === epoch) before.set(id, f.facts);
      else toLoad.push(id);
    }
    const loadParam = arrayParam(toLoad, 1);
    const loaded = await client.query<{ dossier_id: string; facts: unknown }>(
      `SELECT dossier_id, facts FROM statistics.dossier_facts WHERE dossier_id = ANY(${loadParam.sql}) ORDER BY dossier_id FOR UPDATE`,
      [loadParam.value],
    );
    for (const r of loaded.rows) before.set(r.dossier_id, decodeFacts(r.dossier_id, r.facts));
    mark('loadFacts');
    // The claim (dedup by event id) is sent now and answered while the reducer runs: Postgres inserts the ids on
    // one core while this thread reduces on the other. Sorted (ORDER BY): concurrent groups claim ids in one order.
    const idParam = arrayParam(ids, 1);
    const claim = client.query<{ id: string }>(
      `INSERT INTO statistics.processed_event(id) SELECT x::uuid FROM unnest(${idParam.sql}) AS x ORDER BY 1 ON CONFLICT DO NOTHING RETURNING id`,
      [idParam.value],
    );
    claim.catch(() => undefined); // awaited below; a failure then fails the group (no unhandled rejection meanwhile)
    const freshOf = async (): Promise<PublicEvent[]> => {
      const claimed = new Set((await claim).rows.map((r) => r.id.toLowerCase()));
      return claimed.size === unique.length ? unique : unique.filter((e) => claimed.has(e.id.toLowerCase()));
    };
    let fresh: PublicEvent[];
    let reduced: Reduced | undefined;
    if (this.expectFresh) {
      reduced = await this.reduce(unique, before);
      mark('reduce+rollup');
      fresh = await freshOf();
      mark('dedup');
      if (fresh !== unique) reduced = undefined; // some ids were applied before: reduce the claimed ones only
    } else {
      fresh = await freshOf();
      mark('dedup');
    }
    this.expectFresh = fresh.length === unique.length;
    staged.fresh = fresh;
    if (fresh.length === 0) return staged;
    if (reduced === undefined) {
      reduced = await this.reduce(fresh, before);
      mark(this.expectFresh ? 'reduce+rollup' : 'reduce+rollup after the claim');
    }
    const { dossierIds, after } = reduced;
    for (const id of dossierIds) this.inflight.set(id, { epoch, facts: after.get(id)! });
    staged.after = after;
    staged.counterParams = reduced.counterParams;
    staged.edges = reduced.edges;
    staged.ancestorsOf = reduced.ancestorsOf;
    staged.factRows = reduced.factRows;
    return staged;
  }

  /**
   * The shared reducer over a group's claimed events, starting from the sheets in `before`; the counter deltas
   * rolled up the hierarchy, and every write's parameters. Pure CPU (no statement): it may run while the claim is
   * in flight, and run again on fewer events if the claim says some were applied before.
   */
  private async reduce(fresh: PublicEvent[], before: Map<string, Facts>): Promise<Reduced> {
    // each dossier's events in batch order (a dossier's events are applied in order; dossiers are independent)
    const eventsOf = new Map<string, PublicEvent[]>();
    for (const e of fresh) {
      const list = eventsOf.get(e.payload.dossierId);
      if (list === undefined) eventsOf.set(e.payload.dossierId, [e]);
      else list.push(e);
    }
    const dossierIds = [...eventsOf.keys()].sort();
    const after = new Map<string, Facts>();
    // The reducer yields the thread every few ms: the previous group's statements (stage B) and this group's claim
    // get their answers parsed and their next statement sent meanwhile, so Postgres works while this group
    // computes (ADR 0404, ADR 0415).
    const turn = new Turn();
    for (let i = 0; i < dossierIds.length; i++) {
      const id = dossierIds[i]!;
      after.set(id, this.engine.applyEventsToFacts(before.get(id), eventsOf.get(id)!)!);
      if ((i & 127) === 127) await turn.yieldIfDue();
    }
    const leaf: LeafContribution[] = [];
    for (let i = 0; i < dossierIds.length; i++) {
      const id = dossierIds[i]!;
      const d = this.engine.diffContributions(this.engine.leafContributions(before.get(id)), this.engine.leafContributions(after.get(id)));
      for (const c of d) leaf.push(c);
      if ((i & 255) === 255) await turn.yieldIfDue();
    }
    await turn.yieldIfDue();
    const { deltas, edges, ancestorsOf } = rollUp(leaf, this.engine, this.ancestorsFn);
    await turn.yieldIfDue();
    const cells = counterParams(deltas);
    await turn.yieldIfDue();
    const factRows = this.prepareFacts(dossierIds, after, before);
    return { dossierIds, after, counterParams: cells, edges, ancestorsOf, factRows };
  }

  private async stageB(client: PoolClient, staged: StagedGroup, timings: Record<string, number>): Promise<AppliedBatch> {
    const { batches, all, fresh } = staged;
    let t = Date.now();
    let cells: CellWrite[] = [];
    let rows = 0;
    if (staged.factRows) {
      // The per-dossier rows first, the shared counter cells last: every group locks the nation's and the
      // provinces' cells, and holds them until COMMIT. Written last, they are held for the upsert and the
      // commit only, not during the fact-sheet writes (other consumers of the group wait less, ADR 0409).
      await this.writeFacts(client, staged.factRows, timings);
      if (staged.edges.size > 0) {
        const pairs = [...staged.edges].sort().map((e) => e.split(SEP));
        await client.query(`INSERT INTO statistics.unit_edge(parent_id, child_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, [pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
      }
      timings['facts+open'] = Date.now() - t;
      t = Date.now();
      if (staged.counterParams) ({ cells, rows } = await this.upsertCounters(client, staged.counterParams, staged.ancestorsOf));
      timings['counters'] = Date.now() - t;
    }
    const sorted = [...batches].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    const lastAt = sorted.map((b) => {
      let m: string | null = null;
      for (const e of b.events) if (m === null || e.occurredAt > m) m = e.occurredAt;
      return m;
    });
    // the group's newest event is the newest of its partitions' (one pass over the events, not two)
    let lastEventAt: string | null = null;
    for (const m of lastAt) if (m !== null && (lastEventAt === null || m > lastEventAt)) lastEventAt = m;
    await client.query(
      `INSERT INTO statistics.consumer_offset(consumer_group, topic, partition, next_offset, last_event_at, updated_at)
       SELECT $1, t.topic, t.partition, t.next_offset, t.last_event_at, now()
         FROM unnest($2::text[], $3::int[], $4::bigint[], $5::timestamptz[]) AS t(topic, partition, next_offset, last_event_at)
       ON CONFLICT (consumer_group, topic, partition) DO UPDATE
         SET next_offset = GREATEST(statistics.consumer_offset.next_offset, EXCLUDED.next_offset),
             last_event_at = GREATEST(statistics.consumer_offset.last_event_at, EXCLUDED.last_event_at),
             updated_at = now()`,
      [this.groupId, sorted.map((b) => b.topic), sorted.map((b) => b.partition), sorted.map((b) => b.nextOffset), lastAt],
    );
    return { claimed: fresh.length, duplicates: all.length - fresh.length, cells, rows, lastEventAt };
  }

  private ancestorCache = new Map<string, string[]>();
  private ancestors(unitId: string, day: string): string[] {
    const k = unitId + SEP + day;
    let a = this.ancestorCache.get(k);
    if (!a) {
      if (this.ancestorCache.size > 200_000) this.ancestorCache.clear();
      a = this.engine.ancestorsAt(unitId, day);
      this.ancestorCache.set(k, a);
    }
    return a;
  }

  private readonly ancestorsFn = (unitId: string, day: string): string[] => this.ancestors(unitId, day);

  /** `{unit,…ancestors}` as a Postgres array literal (the `ancestors` column), memoised per unit and day. */
  private chainLiteralCache = new Map<string, string>();
  private chainLiteral(unitId: string, day: string): string {
    const k = unitId + SEP + day;
    let lit = this.chainLiteralCache.get(k);
    if (lit === undefined) {
      if (this.chainLiteralCache.size > 200_000) this.chainLiteralCache.clear();
      lit = pgArray([unitId, ...this.ancestors(unitId, day)]);
      this.chainLiteralCache.set(k, lit);
    }
    return lit;
  }

  /**
   * Leaf deltas → deltas per (unit, period, dimension, metric) for the unit and all its ancestors: the domain
   * expands each leaf to its period × dimension cells (`engine.expand`), the unit directory gives the chain
   * (`roll-up.ts`).
   */
  rollUp(leaf: LeafContribution[]): { deltas: Map<string, number>; edges: Set<string>; ancestorsOf: Map<string, string[]> } {
    const r = rollUp(leaf, this.engine, this.ancestorsFn);
    return { deltas: deltasByKey(r.deltas), edges: r.edges, ancestorsOf: r.ancestorsOf };
  }

  /**
   * One upsert of every counter cell the group changes (ADR 0408): a row per (unit, period, dimension), every
   * metric a column; the row's version goes up by one, and the cell comes back with every absolute value. Each
   * cell is handed on as it came (values as one string, the changed metrics as bits): `CounterCache.writeGroup`
   * expands them into the Redis writes and the live feed's rows after COMMIT.
   */
  private async upsertCounters(client: PoolClient, params: CounterParams, ancestorsOf: Map<string, string[]>): Promise<{ cells: CellWrite[]; rows: number }> {
    const [pu, pp, pd] = params.text;
    const res = await client.query<{ unit_id: string; period_key: string; dimension: string; version: string; vals: string }>(upsertCellsSql(pu!.sql, pp!.sql, pd!.sql), [
      pu!.value,
      pp!.value,
      pd!.value,
      params.values,
      params.touched,
    ]);
    const cells: CellWrite[] = [];
    let rows = 0;
    for (const r of res.rows) {
      const changed = params.changed.get(r.unit_id + SEP + r.period_key + SEP + r.dimension);
      if (changed === undefined) throw new Error(`counter upsert returned a cell it was not given: ${r.unit_id} ${r.period_key} ${r.dimension}`);
      for (let m = changed; m !== 0; m &= m - 1) rows++;
      let ancestors: string[] | null = null;
      let commune: string | null = null;
      if (r.dimension === ALL_DIMENSION) {
        ancestors = ancestorsOf.get(r.unit_id) ?? [];
        // the live feed still names the commune (its rows are the one-stop unit's, not stored: ADR 0403)
        const parent = ancestors[0];
        if (parent !== undefined && parent !== r.unit_id && this.engine.storedUnitOf(parent) === r.unit_id) commune = parent;
      }
      cells.push([r.unit_id, r.period_key, r.dimension, Number(r.version), changed, r.vals, ancestors, commune]);
    }
    return { cells, rows };
  }

  /**
   * Parameters of the fact-sheet and open-dossier writes (pure CPU: runs while the counter upsert is in flight).
   * Sheets this group found (loaded under `FOR UPDATE`, or handed over from the previous group) are upserted;
   * sheets it created from nothing are inserted only if still absent (see `writeFacts`).
   */
  private prepareFacts(dossierIds: string[], after: Map<string, Facts>, found: Map<string, Facts>) {
    const existing = factColumns();
    const created = factColumns();
    const openIds: string[] = [], closedIds: string[] = [];
    const o = { unit: [] as string[], anc: [] as string[], proc: [] as string[], sec: [] as string[], rec: [] as string[], due: [] as (string | null)[], paused: [] as boolean[] };
    for (const id of dossierIds) {
      const f = after.get(id)!;
      const t = this.engine.timeline(f);
      const chain = t ? this.chainLiteral(t.unitId, t.receivedAt ? vnDateOf(t.receivedAt) : '2025-07-01') : null;
      const c = found.has(id) ? existing : created;
      c.ids.push(id);
      c.facts.push(encodeFacts(f)); // compact array (ADR 0403)
      c.units.push(t?.unitId ?? null);
      c.anc.push(chain);
      c.rec.push(t?.receivedAt ?? null);
      c.fin.push(t?.finishedAt ?? null);
      c.due.push(t?.dueAt ?? null);
      if (t?.open && t.receivedAt) {
        openIds.push(id);
        o.unit.push(t.unitId); o.anc.push(chain!); o.proc.push(t.procedureCode); o.sec.push(t.sectorCode);
        o.rec.push(t.receivedAt); o.due.push(t.dueAt); o.paused.push(t.paused);
      } else closedIds.push(id);
    }
    return { existing, created, openIds, closedIds, o };
  }

  private async writeFacts(client: PoolClient, prepared: FactRows, timings: Record<string, number>): Promise<void> {
    const { existing, created, openIds, closedIds, o } = prepared;
    let t0 = Date.now();
    // the fact sheets travel as ONE string joined by U+0001 (no per-element array-literal escaping); JSON.stringify
    // escapes every control character, so U+0001 never occurs inside a fact sheet. The other columns too (arrayParam).
    const sheets = (c: FactColumns, conflict: string) => {
      const ps = [arrayParam(c.ids, 1), { sql: 'string_to_array($2, chr(1))', value: c.facts.join(SEP) }, arrayParam(c.units, 3), arrayParam(c.anc, 4),
        arrayParam(c.rec, 5, 'timestamptz'), arrayParam(c.fin, 6, 'timestamptz'), arrayParam(c.due, 7, 'timestamptz')];
      return client.query(
        `INSERT INTO statistics.dossier_facts(dossier_id, facts, unit_id, ancestors, received_at, finished_at, due_at, updated_at)
         SELECT t.id, t.f::json, t.u, t.a::text[], t.r, t.fi, t.d, now()
           FROM unnest(${ps.map((x) => x.sql).join(', ')}) AS t(id, f, u, a, r, fi, d)
         ON CONFLICT (dossier_id) ${conflict}`,
        ps.map((x) => x.value),
      );
    };
    if (existing.ids.length > 0) {
      await sheets(
        existing,
        `DO UPDATE SET facts = EXCLUDED.facts, unit_id = EXCLUDED.unit_id, ancestors = EXCLUDED.ancestors,
           received_at = EXCLUDED.received_at, finished_at = EXCLUDED.finished_at, due_at = EXCLUDED.due_at, updated_at = now()`,
      );
    }
    if (created.ids.length > 0) {
      // A sheet this group started from nothing must still be absent: another consumer of the group (a second
      // replica, or the old owner of a partition during a rebalance) may have created it from OTHER events of
      // the same dossier meanwhile (events of one dossier on several partitions). Overwriting it would lose
      // those events' transitions, so the group fails instead; it is retried after the seek back and then
      // loads the committed sheet (ADR 0409).
      const res = await sheets(created, 'DO NOTHING');
      if ((res.rowCount ?? 0) !== created.ids.length) {
        throw new ConcurrentFactsError(created.ids.length - (res.rowCount ?? 0));
      }
    }
    timings['factsUpsert'] = Date.now() - t0;
    t0 = Date.now();
    if (closedIds.length > 0) {
      const closed = arrayParam(closedIds, 1);
      await client.query(`DELETE FROM statistics.open_dossier WHERE dossier_id = ANY(${closed.sql})`, [closed.value]);
    }
    if (openIds.length > 0) {
      const ps = [arrayParam(openIds, 1), arrayParam(o.unit, 2), arrayParam(o.anc, 3), arrayParam(o.proc, 4), arrayParam(o.sec, 5),
        arrayParam(o.rec, 6, 'timestamptz'), arrayParam(o.due, 7, 'timestamptz'), { sql: '$8::boolean[]', value: o.paused }];
      await client.query(
        `INSERT INTO statistics.open_dossier(dossier_id, unit_id, ancestors, procedure_code, sector_code, received_at, due_at, paused)
         SELECT t.id, t.u, t.a::text[], t.p, t.s, t.r, t.d, t.pa
           FROM unnest(${ps.map((x) => x.sql).join(', ')}) AS t(id, u, a, p, s, r, d, pa)
         ON CONFLICT (dossier_id) DO UPDATE SET unit_id = EXCLUDED.unit_id, ancestors = EXCLUDED.ancestors, procedure_code = EXCLUDED.procedure_code,
           sector_code = EXCLUDED.sector_code, received_at = EXCLUDED.received_at, due_at = EXCLUDED.due_at, paused = EXCLUDED.paused`,
        ps.map((x) => x.value),
      );
    }
    timings['open'] = Date.now() - t0;
    timings['factRows'] = existing.ids.length + created.ids.length;
  }
}

type FactRows = ReturnType<BatchApplier['prepareFacts']>;

/** The fact-sheet columns of a set of dossiers, in dossier order. */
function factColumns() {
  return {
    ids: [] as string[],
    facts: [] as string[],
    units: [] as (string | null)[],
    anc: [] as (string | null)[],
    rec: [] as (string | null)[],
    fin: [] as (string | null)[],
    due: [] as (string | null)[],
  };
}
type FactColumns = ReturnType<typeof factColumns>;

/**
 * Another consumer created fact sheets this group also started from nothing (ADR 0409): the group rolls back
 * and is re-applied after the seek back, starting from the committed sheets.
 */
export class ConcurrentFactsError extends Error {
  constructor(readonly sheets: number) {
    super(`${sheets} dossier fact sheet(s) were created by another consumer meanwhile; the group is retried from the stored offsets`);
    this.name = 'ConcurrentFactsError';
  }
}

/** Cooperative slicing of long synchronous work: yields to the event loop once `sliceMs` have passed. */
class Turn {
  private since = Date.now();
  constructor(private readonly sliceMs = 5) {}
  async yieldIfDue(): Promise<void> {
    if (Date.now() - this.since < this.sliceMs) return;
    await new Promise<void>((r) => setImmediate(r));
    this.since = Date.now();
  }
}

export interface CounterParams {
  /** unit, period, dimension of each cell */
  text: { sql: string; value: string | (string | null)[] }[];
  /** CELL_METRICS.length deltas per cell, comma-separated */
  values: string;
  /** the `touched` bits of each cell's changed metrics, comma-separated */
  touched: string;
  /** cell key (unit SEP period SEP dimension) → its changed metrics as bits (`1 << metricIndex`) */
  changed: Map<string, number>;
}

/** A group's reduction: the sheets after it, and every write's parameters. */
interface Reduced {
  dossierIds: string[];
  after: Map<string, Facts>;
  counterParams: CounterParams | null;
  edges: Set<string>;
  ancestorsOf: Map<string, string[]>;
  factRows: FactRows;
}

/** A group between its two stages: claimed events and every parameter of its writes, computed in stage A. */
interface StagedGroup {
  batches: PartitionBatch[];
  all: PublicEvent[];
  fresh: PublicEvent[];
  counterParams: CounterParams | null;
  factRows: FactRows | null;
  edges: Set<string>;
  ancestorsOf: Map<string, string[]>;
  /** Fact sheets after this group (registered as in flight until it commits or rolls back). */
  after: Map<string, Facts>;
}

/** A group whose stage A ran: its transaction is open until `finish()` (write + COMMIT) or `abort()` (ROLLBACK). */
export interface PreparedGroup {
  finish(): Promise<AppliedBatch>;
  abort(): Promise<void>;
}

/**
 * Counter deltas as the cell upsert's parameters (ADR 0408). The deltas are sorted by (unit, period, dimension,
 * metric), so a cell's metrics are adjacent and the cells come out sorted: one lock order for every writer.
 */
export function counterParams(deltas: SortedDeltas): CounterParams | null {
  const n = deltas.values.length;
  if (n === 0) return null;
  const { units, periods, dimensions, metrics, values } = deltas;
  const cu: string[] = [], cp: string[] = [], cd: string[] = [], touched: number[] = [];
  const dense: number[] = [];
  const changed = new Map<string, number>();
  const width = CELL_METRICS.length;
  let base = -width;
  let key = '';
  for (let i = 0; i < n; i++) {
    if (i === 0 || units[i] !== units[i - 1] || periods[i] !== periods[i - 1] || dimensions[i] !== dimensions[i - 1]) {
      cu.push(units[i]!);
      cp.push(periods[i]!);
      cd.push(dimensions[i]!);
      touched.push(0);
      base += width;
      for (let k = 0; k < width; k++) dense.push(0);
      key = units[i]! + SEP + periods[i]! + SEP + dimensions[i]!;
      changed.set(key, 0);
    }
    const m = metricIndex(metrics[i]!);
    dense[base + m] = values[i]!;
    touched[touched.length - 1] = touched[touched.length - 1]! | (1 << m);
    changed.set(key, changed.get(key)! | (1 << m));
  }
  return { text: [cu, cp, cd].map((xs, i) => arrayParam(xs, i + 1)), values: dense.join(','), touched: touched.join(','), changed };
}

const upsertSqlCache = new Map<string, string>();

/** The cell upsert for the three key parameters' SQL ($1–$3), deltas ($4) and touched bits ($5). */
function upsertCellsSql(u: string, p: string, d: string): string {
  const key = u + p + d;
  let sql = upsertSqlCache.get(key);
  if (sql === undefined) {
    sql = buildUpsertCellsSql(u, p, d);
    upsertSqlCache.set(key, sql);
  }
  return sql;
}

/**
 * `OFFSET 0` keeps the deltas' subquery from being pulled up: pulled up, each of the 24 subscripts would carry its
 * own `string_to_array($4)`, which the planner folds with the parameter's value: 20–30 ms of planning per group
 * instead of ~1 (measured with EXPLAIN ANALYZE, ~400 cells).
 */
function buildUpsertCellsSql(u: string, p: string, d: string): string {
  const w = CELL_METRICS.length;
  const cols = CELL_COLUMNS.join(', ');
  return `INSERT INTO statistics.unit_cell AS c (unit_id, period_key, dimension, version, touched, ${cols})
     SELECT t.u, t.p, t.d, 1, t.b, ${CELL_COLUMNS.map((_, k) => `x.v[t.i::int * ${w} - ${w - 1 - k}]`).join(', ')}
       FROM unnest(${u}, ${p}, ${d}, string_to_array($5, ',')::int[]) WITH ORDINALITY AS t(u, p, d, b, i),
            (SELECT string_to_array($4, ',')::bigint[] AS v OFFSET 0) AS x
     ON CONFLICT (unit_id, period_key, dimension) DO UPDATE
       SET version = c.version + 1, touched = c.touched | EXCLUDED.touched, ${CELL_COLUMNS.map((c) => `${c} = c.${c} + EXCLUDED.${c}`).join(', ')}
     RETURNING unit_id, period_key, dimension, version, concat_ws(',', ${cols}) AS vals`;
}

/**
 * An array parameter (`text[]`, or `timestamptz[]` of ISO strings) sent as ONE string joined by U+0001 and split by
 * Postgres (`string_to_array`; '' stands for NULL when the array holds nulls): no per-element array-literal escaping
 * in the driver, no array-literal parsing in the server. Values never contain U+0001 (unit codes, period keys,
 * dimension keys, ids, timestamps); if one ever did, or is empty, or the joined string would be ambiguous (a lone
 * null), the plain array parameter is used.
 */
export function arrayParam(items: readonly (string | null)[], n: number, type: 'text' | 'timestamptz' = 'text'): { sql: string; value: string | (string | null)[] } {
  const plain = { sql: `$${n}::${type}[]`, value: items as (string | null)[] };
  let nulls = false;
  for (const s of items) {
    if (s === null) nulls = true;
    else if (s.length === 0 || s.includes(SEP)) return plain;
  }
  if (nulls && items.length === 1) return plain;
  const split = nulls ? `string_to_array($${n}, chr(1), '')` : `string_to_array($${n}, chr(1))`;
  return { sql: type === 'text' ? split : `${split}::${type}[]`, value: items.join(SEP) };
}

/** Postgres array literal of plain strings (unit codes: letters, digits, dots, dashes). */
function pgArray(items: string[]): string {
  return `{${items.map((s) => `"${s.replace(/["\\]/g, '')}"`).join(',')}}`;
}
