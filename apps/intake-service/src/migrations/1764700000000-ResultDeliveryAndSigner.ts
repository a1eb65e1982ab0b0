import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * ADR 0201 amendment (2026-11-25): the receipt names how the citizen chose to receive the result (`result_delivery`:
 * COUNTER, POST or ONLINE; NULL for dossiers before this migration and imported ones: at the counter) and the
 * officer who received it by name (`received_by_name`, from the officer's token; NULL: the id is shown).
 */
export class ResultDeliveryAndSigner1764700000000 implements MigrationInterface {
  name = 'ResultDeliveryAndSigner1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "intake"."dossier" ADD COLUMN "result_delivery" text, ADD COLUMN "received_by_name" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "intake"."dossier" DROP COLUMN "result_delivery", DROP COLUMN "received_by_name"`);
  }
}
