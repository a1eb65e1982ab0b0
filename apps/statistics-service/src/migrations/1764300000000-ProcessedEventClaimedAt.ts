import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Retention of the dedup ledger (ADR 0413): every claimed event id records when it was claimed, so ids older than
 * the retention can be pruned. `DEFAULT now()` is not volatile, so Postgres adds the column without rewriting the
 * table (rows claimed before this migration read the migration's time). A BRIN index (a few pages: ids are claimed
 * in time order, so the physical order follows `claimed_at`) finds the old rows without a B-tree's cost per insert.
 */
export class ProcessedEventClaimedAt1764300000000 implements MigrationInterface {
  name = 'ProcessedEventClaimedAt1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "statistics"."processed_event" ADD COLUMN "claimed_at" timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX "processed_event_claimed_at_brin" ON "statistics"."processed_event" USING brin ("claimed_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "statistics"."processed_event_claimed_at_brin"`);
    await q.query(`ALTER TABLE "statistics"."processed_event" DROP COLUMN "claimed_at"`);
  }
}
