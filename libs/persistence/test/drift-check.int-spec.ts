import { Column, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@onestop/testing';
import { openAndMigrate, pendingSchemaChanges, postgresDataSourceOptions, toSnake } from '../src';

@Entity({ schema: 'drift', name: 'unit_note' })
class UnitNote {
  @PrimaryColumn('text') unitId!: string;
  @Column('text') noteText!: string;
}

class CreateUnitNote1700000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE drift.unit_note (unit_id text PRIMARY KEY, note_text text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE drift.unit_note`);
  }
}

describe('pendingSchemaChanges (entity/migration drift check)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase('drift')));
  afterAll(async () => db?.drop());

  it('should map camelCase properties to snake_case columns', () => {
    expect(toSnake('noteText')).toBe('note_text');
    expect(toSnake('DossierID')).toBe('dossier_id');
  });

  it('should report nothing when the migrations match the entities, and the missing DDL when they do not', async () => {
    const opts = { url: db.url, schema: 'drift', entities: [UnitNote], applicationName: 'drift-test' };
    const good = await openAndMigrate(postgresDataSourceOptions({ ...opts, migrations: [CreateUnitNote1700000000001] }));
    try {
      await expect(pendingSchemaChanges(good)).resolves.toEqual([]);
      await good.undoLastMigration();
    } finally {
      await good.destroy();
    }
    const missing = await openAndMigrate(postgresDataSourceOptions({ ...opts, migrations: [] }));
    try {
      const pending = await pendingSchemaChanges(missing);
      expect(pending.join('\n')).toMatch(/CREATE TABLE "drift"\."unit_note"/);
    } finally {
      await missing.destroy();
    }
  });
});
