import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../isolation';

class CreateSmokeItem1700000000000 implements MigrationInterface {
  name = 'CreateSmokeItem1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS smoke`);
    await q.query(`CREATE TABLE smoke.smoke_item (id bigserial PRIMARY KEY, label text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE smoke.smoke_item`);
  }
}

describe('Postgres smoke (real server, real migrations)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('smoke');
    ds = new DataSource({
      type: 'postgres',
      url: db.url,
      migrations: [CreateSmokeItem1700000000000],
      migrationsTableName: 'smoke_migrations',
      synchronize: false,
    });
    await ds.initialize();
    await ds.query('CREATE SCHEMA IF NOT EXISTS smoke');
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const tableExists = async () =>
    (await ds.query(`SELECT to_regclass('smoke.smoke_item') AS t`))[0].t !== null;

  it('should apply a TypeORM migration up and revert it down', async () => {
    const version = (await ds.query('SHOW server_version'))[0].server_version as string;
    console.log(`[smoke] Postgres ${version} at ${db.name}`);

    await ds.runMigrations({ transaction: 'each' });
    expect(await tableExists()).toBe(true);
    await ds.query(`INSERT INTO smoke.smoke_item(label) VALUES ('hồ sơ')`);
    expect((await ds.query('SELECT label FROM smoke.smoke_item'))[0].label).toBe('hồ sơ');
    expect(await ds.showMigrations()).toBe(false);

    await ds.undoLastMigration({ transaction: 'each' });
    expect(await tableExists()).toBe(false);
    expect(await ds.showMigrations()).toBe(true);
  });
});
