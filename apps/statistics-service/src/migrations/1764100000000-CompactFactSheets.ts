import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Compact fact sheets (ADR 0403): the consumer now writes `dossier_facts.facts` as a ~700-byte json array
 * (ingest/fact-codec.ts) instead of a ~1.6 KB object, so a row fits under the default TOAST threshold: the
 * `toast_tuple_target = 128` of migration 1764000000000 (which pushed every fact sheet through lz4 AND out of
 * line into the TOAST table) goes back to the default. Existing rows need no rewrite: the reader accepts both
 * forms, and a row is rewritten compactly when its dossier next changes.
 */
export class CompactFactSheets1764100000000 implements MigrationInterface {
  name = 'CompactFactSheets1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "statistics"."dossier_facts" RESET (toast_tuple_target)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "statistics"."dossier_facts" SET (toast_tuple_target = 128)`);
  }
}
