import { openAndMigrate, pendingSchemaChanges, postgresDataSourceOptions } from '@onestop/persistence';
import { createTestDatabase, type TestDatabase } from '@onestop/testing';
import { INTAKE_ENTITIES } from '../src/dossiers/dossier.entity';
import { INTAKE_MIGRATIONS } from '../src/migrations';

describe('intake schema migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('intake_schema');
  });
  afterAll(async () => {
    await db.drop();
  });

  // runs always (not a skipped test): "pending" means schema changes TypeORM would still make
  it('should leave no pending schema change when all migrations ran, and revert cleanly', async () => {
    const ds = await openAndMigrate(
      postgresDataSourceOptions({ url: db.url, schema: 'intake', entities: INTAKE_ENTITIES, migrations: INTAKE_MIGRATIONS, applicationName: 'intake-schema-test' }),
    );
    try {
      await expect(pendingSchemaChanges(ds)).resolves.toEqual([]);
      for (let i = 0; i < INTAKE_MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      const left = await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'intake' AND table_name <> 'intake_migrations'`);
      expect(left[0].n).toBe(0);
      await ds.runMigrations({ transaction: 'each' });
      await expect(pendingSchemaChanges(ds)).resolves.toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
