import { Client } from 'pg';
import { openAndMigrate, postgresDataSourceOptions } from '@onestop/persistence';
import { createTestDatabase, type TestDatabase } from '@onestop/testing';
import { STATISTICS_ENTITIES, STATISTICS_MIGRATIONS, STATISTICS_SCHEMA } from '../src/persistence';

/**
 * ADR 0408 on a database written by the previous code: migration 1764200000000 turns the per-metric rows of
 * `unit_counter` into cells without changing what `unit_counter` reads (now a view), values, zero rows and
 * versions included; and its `down` gives the old table back.
 */
describe('migration CounterCells1764200000000 on existing counters', () => {
  let db: TestDatabase;
  // the migrations before CounterCells, and up to it (later migrations are not this test's subject)
  const cells = STATISTICS_MIGRATIONS.findIndex((m) => m.name === 'CounterCells1764200000000');
  const before = STATISTICS_MIGRATIONS.slice(0, cells);
  const through = STATISTICS_MIGRATIONS.slice(0, cells + 1);
  const options = (migrations: typeof STATISTICS_MIGRATIONS) =>
    postgresDataSourceOptions({ url: db.url, schema: STATISTICS_SCHEMA, entities: STATISTICS_ENTITIES, migrations, applicationName: 'cells-migration', poolSize: 1 });
  const rowsOf = async (c: Client) =>
    (await c.query<{ r: string }>(`SELECT concat_ws(' ', unit_id, period_key, dimension, metric, value, version) AS r FROM statistics.unit_counter ORDER BY 1`)).rows.map((x) => x.r);

  beforeAll(async () => {
    db = await createTestDatabase('stats_cells_mig');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('should keep every row (zeros and versions too) readable through the view, write cells, and go back down', async () => {
    const old = await openAndMigrate(options(before));
    await old.query(`INSERT INTO statistics.unit_counter(unit_id, period_key, dimension, metric, value, version) VALUES
      ('VN', 'M2025-11', '*', 'received', 120, 7), ('VN', 'M2025-11', '*', 'receivedOnline', 80, 3),
      ('VN', 'M2025-11', '*', 'resolvedLate', 0, 9), ('VN', 'M2025-11', 'P:1.000948', 'received', 5, 2),
      ('01', 'D2025-11-03', '*', 'supplementRequestedMoreThanOnce', 1, 1)`);
    await old.destroy();
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const oldRows = await rowsOf(c);
      expect(oldRows).toHaveLength(5);

      const ds = await openAndMigrate(options(through));
      try {
        // the view reads exactly the old rows; a cell's version is the highest of its metrics' versions
        const viewRows = await rowsOf(c);
        expect(viewRows.map((r) => r.split(' ').slice(0, 5).join(' '))).toEqual(oldRows.map((r) => r.split(' ').slice(0, 5).join(' ')));
        expect(viewRows.filter((r) => r.startsWith('VN M2025-11 * ')).map((r) => r.split(' ')[5])).toEqual(['9', '9', '9']);
        const cells = await c.query(`SELECT unit_id, dimension, received, received_online, resolved_late, resolved FROM statistics.unit_cell ORDER BY 1, 2`);
        expect(cells.rows).toEqual([
          { unit_id: '01', dimension: '*', received: '0', received_online: '0', resolved_late: '0', resolved: '0' },
          { unit_id: 'VN', dimension: '*', received: '120', received_online: '80', resolved_late: '0', resolved: '0' },
          { unit_id: 'VN', dimension: 'P:1.000948', received: '5', received_online: '0', resolved_late: '0', resolved: '0' },
        ]);
        // a metric never written is not a row of the view, though its column holds 0
        await expect(c.query(`SELECT 1 FROM statistics.unit_counter WHERE unit_id = 'VN' AND metric = 'resolved'`)).resolves.toMatchObject({ rowCount: 0 });

        await ds.undoLastMigration({ transaction: 'each' });
        const kind = await c.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE oid = 'statistics.unit_counter'::regclass`);
        expect(kind.rows[0]?.relkind).toBe('r');
        expect((await rowsOf(c)).map((r) => r.split(' ').slice(0, 5).join(' '))).toEqual(oldRows.map((r) => r.split(' ').slice(0, 5).join(' ')));
        await expect(c.query(`INSERT INTO statistics.unit_counter VALUES ('VN', 'M2025-11', '*', 'received', 1, 1)`)).rejects.toThrow(/unit_counter_pk/);
      } finally {
        await ds.destroy();
      }
    } finally {
      await c.end();
    }
  });

  it('should refuse to migrate a metric it has no column for, and change nothing', async () => {
    const other = await createTestDatabase('stats_cells_bad');
    try {
      const opts = (migrations: typeof STATISTICS_MIGRATIONS) =>
        postgresDataSourceOptions({ url: other.url, schema: STATISTICS_SCHEMA, entities: STATISTICS_ENTITIES, migrations, applicationName: 'cells-migration', poolSize: 1 });
      const old = await openAndMigrate(opts(before));
      await old.query(`INSERT INTO statistics.unit_counter VALUES ('VN', 'M2025-11', '*', 'madeUpMetric', 1, 1)`);
      await old.destroy();
      await expect(openAndMigrate(opts(through))).rejects.toThrow(/madeUpMetric/);
      const c = new Client({ connectionString: other.url });
      await c.connect();
      try {
        const t = await c.query(`SELECT relkind FROM pg_class WHERE oid = 'statistics.unit_counter'::regclass`);
        expect(t.rows[0]).toEqual({ relkind: 'r' });
        await expect(c.query(`SELECT to_regclass('statistics.unit_cell') AS t`)).resolves.toMatchObject({ rows: [{ t: null }] });
      } finally {
        await c.end();
      }
    } finally {
      await other.drop();
    }
  });
});
