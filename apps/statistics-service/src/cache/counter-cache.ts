import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { Pool } from 'pg';
import { CELL_COLUMNS, CELL_METRICS } from '../ingest/cell-metrics';

function newClient(url: string) {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: (n: number) => Math.min(100 * 2 ** n, 2000) } });
  client.on('error', () => undefined); // reconnects by itself; callers see failed commands
  return client;
}
export type RedisClient = ReturnType<typeof newClient>;
export { newClient as createRedisClient };

/** One absolute counter value with its row version, as returned by the PG upsert. */
export interface CounterRow {
  unitId: string;
  periodKey: string;
  dimension: string;
  metric: string;
  value: number;
  version: number;
}

/**
 * A counter cell a committed group changed, as the counter upsert returned it (ADR 0415): unit, period, dimension,
 * the cell's version, the metrics the group changed as bits (`1 << index in CELL_METRICS`), every metric's absolute
 * value (comma-separated, CELL_METRICS order), and for the whole-unit cells (dimension '*') the live feed's extras:
 * the unit's ancestors, and the commune whose rows the cell holds (ADR 0403) or null. One small array per cell
 * instead of an object per changed metric (~15 per cell in a catch-up).
 */
export type CellWrite = [unitId: string, periodKey: string, dimension: string, version: number, changed: number, values: string, ancestors: string[] | null, commune: string | null];

/** What a committed group leaves for Redis: its cells, and the time of its newest event. */
export interface GroupWrite {
  cells: CellWrite[];
  lastEventAt: string | null;
}

/**
 * Published on `<prefix>changes:db<N>` (see `channel`) after each committed batch (dimension '*' rows only): unit `u` with its ancestors
 * `a`, period `p`, metric `m`, absolute value `v` and its row version `n` (the version of the Redis CAS; lets a
 * subscriber order values from several consumers, ADR 0406).
 */
export interface ChangeMessage {
  rows: { u: string; a: string[]; p: string; m: string; v: number; n: number }[];
  lastEventAt: string | null;
  committedAt: string;
}

/**
 * Compare-and-set of absolute values: for every (key, field, value, version) quadruple, write the value
 * only when the stored version of that field is older. HSET of absolute values (never HINCRBY) makes a
 * replay harmless; the version makes racing writers (batch vs rebuild) converge on the newest value.
 * Returns 1 when the ready marker exists (0 → the caller schedules a rebuild).
 */
const CAS_LUA = `
local marker = KEYS[1]
for i = 1, #ARGV, 4 do
  local k, f, v, ver = ARGV[i], ARGV[i+1], ARGV[i+2], tonumber(ARGV[i+3])
  local cur = redis.call('HGET', k, f .. '#v')
  if (not cur) or tonumber(cur) < ver then
    redis.call('HSET', k, f, v, f .. '#v', ver)
  end
end
return redis.call('EXISTS', marker)`;

const CAS_CHUNK = 500;
const CAS_IN_FLIGHT = 4;

/** Sets the ready marker only if the rebuild token is still there (a FLUSHALL mid-rebuild removes it). */
const FINISH_REBUILD_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

export class CounterCache {
  private casSha?: string;
  private finishSha?: string;
  private rebuilding?: Promise<boolean>;
  rebuilds = 0;

  constructor(
    private readonly redis: RedisClient,
    readonly prefix: string,
    private readonly log: (msg: Record<string, unknown>) => void = () => undefined,
  ) {}

  static async connect(url: string, prefix: string, log?: (msg: Record<string, unknown>) => void): Promise<CounterCache> {
    const client = newClient(url);
    await client.connect();
    return new CounterCache(client, prefix, log);
  }

  get client(): RedisClient {
    return this.redis;
  }
  get markerKey(): string {
    return `${this.prefix}ready`;
  }
  /**
   * `<prefix>changes:db<N>`: Redis pub/sub is server-wide — it ignores the database number — so two deployments on
   * one Redis server with their own databases (e.g. `redis://host/11` and `redis://host/12`) and the default prefix
   * would otherwise hear each other's changes and serve them as their own (the query mirror and the live feed).
   * The database number in the channel keeps each deployment's changes to itself, as its keys are.
   */
  get channel(): string {
    return `${this.prefix}changes:db${this.database}`;
  }
  /** The Redis database number the client selected (0 when the URL names none). */
  get database(): number {
    return Number(this.redis.options?.database ?? 0);
  }
  counterKey(unitId: string, periodKey: string, dimension: string): string {
    return `${this.prefix}c:${unitId}:${periodKey}:${dimension}`;
  }
  get metaKey(): string {
    return `${this.prefix}meta`;
  }

  async close(): Promise<void> {
    await this.redis.close().catch(() => this.redis.destroy());
  }

  /**
   * A committed group's Redis work, in order: the changed metrics' absolute values (CAS by version), the freshness
   * meta, and the change message of the whole-unit cells (live feed, query mirror). Returns whether the ready
   * marker was present (false → the caller schedules a rebuild from Postgres).
   */
  async writeGroup(w: GroupWrite): Promise<boolean> {
    const rows: CounterRow[] = [];
    const live: ChangeMessage['rows'] = [];
    for (const [unitId, periodKey, dimension, version, changed, values, ancestors, commune] of w.cells) {
      const vals = values.split(',');
      for (let i = 0; i < CELL_METRICS.length; i++) {
        if ((changed & (1 << i)) === 0) continue;
        const metric = CELL_METRICS[i]!;
        const value = Number(vals[i]);
        rows.push({ unitId, periodKey, dimension, metric, value, version });
        if (ancestors === null) continue;
        live.push({ u: unitId, a: ancestors, p: periodKey, m: metric, v: value, n: version });
        if (commune !== null) live.push({ u: commune, a: ancestors.slice(1), p: periodKey, m: metric, v: value, n: version });
      }
    }
    const present = await this.writeRows(rows);
    if (w.lastEventAt) await this.setMeta({ lastEventAt: w.lastEventAt, lastAppliedAt: new Date().toISOString() });
    await this.publish({ rows: live, lastEventAt: w.lastEventAt, committedAt: new Date().toISOString() });
    return present;
  }

  /** Writes absolute values (CAS by version); returns whether the ready marker was present. */
  async writeRows(rows: CounterRow[]): Promise<boolean> {
    if (rows.length === 0) return true;
    this.casSha ??= await this.redis.scriptLoad(CAS_LUA);
    // Chunks are pipelined on the one connection, at most CAS_IN_FLIGHT at a time. A script blocks Redis while it
    // runs, so chunks stay small (~1 ms each): a query's read waits for at most a few chunks, not for a whole
    // catch-up group's rows. The window keeps each command's wait short too: node-redis fails a command that has
    // not been answered within its 5 s timeout, queue time included, and a 160k-row group sent at once did.
    let next = 0;
    let present = true;
    const lane = async (): Promise<void> => {
      while (next < rows.length) {
        const from = next;
        next = Math.min(rows.length, next + CAS_CHUNK);
        const args: string[] = [];
        for (let j = from; j < next; j++) {
          const r = rows[j]!;
          args.push(this.counterKey(r.unitId, r.periodKey, r.dimension), r.metric, String(r.value), String(r.version));
        }
        if (!(await this.evalCas(args))) present = false;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CAS_IN_FLIGHT, Math.ceil(rows.length / CAS_CHUNK)) }, lane));
    return present;
  }

  private async evalCas(args: string[]): Promise<boolean> {
    this.casSha ??= await this.redis.scriptLoad(CAS_LUA);
    try {
      return Number(await this.redis.evalSha(this.casSha, { keys: [this.markerKey], arguments: args })) === 1;
    } catch (err) {
      if (!String(err).includes('NOSCRIPT')) throw err;
      this.casSha = await this.redis.scriptLoad(CAS_LUA); // script cache lost (FLUSHALL does not, a restart does)
      return Number(await this.redis.evalSha(this.casSha, { keys: [this.markerKey], arguments: args })) === 1;
    }
  }

  async publish(msg: ChangeMessage): Promise<void> {
    if (msg.rows.length === 0) return;
    await this.redis.publish(this.channel, JSON.stringify(msg));
  }

  async setMeta(fields: Record<string, string>): Promise<void> {
    await this.redis.hSet(this.metaKey, fields);
  }

  async isReady(): Promise<boolean> {
    return (await this.redis.exists(this.markerKey)) === 1;
  }

  /** Single-flight rebuild of every counter from Postgres; resolves true when the marker was set. */
  rebuildFromPostgres(pool: Pool): Promise<boolean> {
    this.rebuilding ??= this.doRebuild(pool).finally(() => {
      this.rebuilding = undefined;
    });
    return this.rebuilding;
  }

  private async doRebuild(pool: Pool): Promise<boolean> {
    const started = Date.now();
    const token = randomUUID();
    const tokenKey = `${this.prefix}rebuilding`;
    await this.redis.set(tokenKey, token, { expiration: { type: 'PX', value: 600_000 } });
    // page over the cells (ADR 0408): every touched metric of a cell, with the cell's version
    let after: string[] = ['', '', ''];
    let n = 0;
    for (;;) {
      const { rows } = await pool.query<{ unit_id: string; period_key: string; dimension: string; version: string; touched: number; vals: string }>(
        `SELECT unit_id, period_key, dimension, version, touched, concat_ws(',', ${CELL_COLUMNS.join(', ')}) AS vals FROM statistics.unit_cell
          WHERE (unit_id, period_key, dimension) > ($1, $2, $3)
          ORDER BY unit_id, period_key, dimension LIMIT 2000`,
        after,
      );
      if (rows.length === 0) break;
      const out: CounterRow[] = [];
      for (const r of rows) {
        const vals = r.vals.split(',');
        const version = Number(r.version);
        CELL_METRICS.forEach((metric, i) => {
          if ((r.touched & (1 << i)) !== 0) out.push({ unitId: r.unit_id, periodKey: r.period_key, dimension: r.dimension, metric, value: Number(vals[i]), version });
        });
      }
      await this.writeRows(out);
      n += out.length;
      const last = rows[rows.length - 1]!;
      after = [last.unit_id, last.period_key, last.dimension];
    }
    const meta = await pool.query<{ last_event_at: Date | null }>(`SELECT max(last_event_at) AS last_event_at FROM statistics.consumer_offset`);
    const lastEventAt = meta.rows[0]?.last_event_at;
    if (lastEventAt) await this.setMeta({ lastEventAt: lastEventAt.toISOString() });
    this.finishSha ??= await this.redis.scriptLoad(FINISH_REBUILD_LUA);
    const ok = Number(await this.redis.evalSha(this.finishSha, { keys: [tokenKey, this.markerKey], arguments: [token, new Date().toISOString()] })) === 1;
    this.rebuilds++;
    this.log({ msg: 'redis rebuilt from postgres', rows: n, ms: Date.now() - started, markerSet: ok });
    return ok;
  }
}

/** An error for a log line: node-redis rejects some commands with a bare `Error` whose message is empty. */
export function describeRedisError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause === undefined ? '' : ` (cause: ${describeRedisError(err.cause)})`;
  return `${err.name}: ${err.message || err.stack?.split('\n').slice(0, 3).join(' | ') || 'no message'}${cause}`;
}
