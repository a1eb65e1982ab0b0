import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Ingest throughput (ADR 0402): the fact sheet is stored as `json` (text, syntax-checked only) instead of `jsonb`:
 * it is only ever read back whole by the consumer, never queried inside, and parsing ~1.5 KB of jsonb per
 * dossier write was a large share of the batch. `unit_counter` keeps free space per page so the counter
 * updates (value, version: not indexed) can be HOT updates instead of new index entries.
 */
export class IngestThroughput1764000000000 implements MigrationInterface {
  name = 'IngestThroughput1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "statistics"."dossier_facts" ALTER COLUMN "facts" TYPE json USING "facts"::json`);
    await q.query(`ALTER TABLE "statistics"."unit_counter" SET (fillfactor = 50)`);
    // ~1.5 KB fact sheets compressed inline (lz4, cheap): a ~3× smaller table stays in cache at millions of dossiers
    await q.query(`ALTER TABLE "statistics"."dossier_facts" ALTER COLUMN "facts" SET COMPRESSION lz4`);
    await q.query(`ALTER TABLE "statistics"."dossier_facts" SET (toast_tuple_target = 128)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "statistics"."dossier_facts" RESET (toast_tuple_target)`);
    await q.query(`ALTER TABLE "statistics"."dossier_facts" ALTER COLUMN "facts" SET COMPRESSION DEFAULT`);
    await q.query(`ALTER TABLE "statistics"."unit_counter" RESET (fillfactor)`);
    await q.query(`ALTER TABLE "statistics"."dossier_facts" ALTER COLUMN "facts" TYPE jsonb USING "facts"::jsonb`);
  }
}
