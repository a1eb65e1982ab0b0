import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * ADR 0208 (lifecycle view): what happens to a dossier after intake received it, as consumed from the
 * internal lifecycle topic. `lifecycle_event` keeps one row per consumed event of another service (the event id is
 * the primary key, so a redelivery changes nothing), with only what the lookup shows: type, time, producer and the
 * event's public projection (`summary`: agency codes, due dates, result kind; never applicant data). It is keyed by
 * the dossier code, not by a foreign key, so an event of a dossier intake does not know yet is kept too.
 * `dossier.lifecycle_status` / `lifecycle_updated_at`: the status after the last applied event and its time.
 */
export class DossierLifecycle1764500000000 implements MigrationInterface {
  name = 'DossierLifecycle1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "intake"."dossier" ADD COLUMN "lifecycle_status" text`);
    await q.query(`ALTER TABLE "intake"."dossier" ADD COLUMN "lifecycle_updated_at" timestamptz`);
    await q.query(
      `CREATE TABLE "intake"."lifecycle_event" (
         "id" uuid NOT NULL,
         "dossier_code" text NOT NULL,
         "type" text NOT NULL,
         "occurred_at" timestamptz NOT NULL,
         "producer" text NOT NULL,
         "imported" boolean NOT NULL DEFAULT false,
         "summary" jsonb NOT NULL,
         "consumed_at" timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT "pk_lifecycle_event" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_lifecycle_event_dossier_code" ON "intake"."lifecycle_event" ("dossier_code")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "intake"."ix_lifecycle_event_dossier_code"`);
    await q.query(`DROP TABLE "intake"."lifecycle_event"`);
    await q.query(`ALTER TABLE "intake"."dossier" DROP COLUMN "lifecycle_updated_at"`);
    await q.query(`ALTER TABLE "intake"."dossier" DROP COLUMN "lifecycle_status"`);
  }
}
