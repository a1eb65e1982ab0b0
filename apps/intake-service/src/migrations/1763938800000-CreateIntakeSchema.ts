import { auditTableDdl, idempotencyTableDdl } from '@onestop/http';
import { outboxTableDdl, outboxTableDropDdl } from '@onestop/messaging';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The intake schema: dossiers, their components and history, the per-unit-per-day code sequence, the outbox. */
export class CreateIntakeSchema1763938800000 implements MigrationInterface {
  name = 'CreateIntakeSchema1763938800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "intake"`);
    await q.query(`CREATE TABLE "intake"."dossier_sequence" (
      "unit_code" text NOT NULL,
      "day" date NOT NULL,
      "last_value" integer NOT NULL,
      CONSTRAINT "pk_dossier_sequence" PRIMARY KEY ("unit_code", "day"))`);
    await q.query(`CREATE TABLE "intake"."dossier" (
      "id" uuid NOT NULL,
      "code" text NOT NULL,
      "unit_id" text NOT NULL,
      "unit_code" text NOT NULL,
      "procedure_code" text NOT NULL,
      "procedure_version" text,
      "channel" text NOT NULL,
      "status" text NOT NULL,
      "applicant" jsonb NOT NULL,
      "external_ref" text,
      "submitted_at" timestamptz,
      "received_at" timestamptz,
      "rejected_at" timestamptz,
      "rejection_reason" text,
      "due_at" timestamptz,
      "original_due_at" timestamptz,
      "due_explanation" jsonb,
      "time_limit" jsonb,
      "received_by" text,
      "imported" boolean NOT NULL DEFAULT false,
      "version" integer NOT NULL DEFAULT 1,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "pk_dossier" PRIMARY KEY ("id"),
      CONSTRAINT "uq_dossier_code" UNIQUE ("code"))`);
    await q.query(`CREATE UNIQUE INDEX "uq_dossier_external_ref" ON "intake"."dossier" ("unit_id", "external_ref") WHERE "external_ref" IS NOT NULL`);
    await q.query(`CREATE TABLE "intake"."dossier_component" (
      "dossier_id" uuid NOT NULL,
      "component_code" text NOT NULL,
      "name" text NOT NULL,
      "copies" integer NOT NULL DEFAULT 1,
      "digitised" boolean NOT NULL DEFAULT false,
      "reused" boolean NOT NULL DEFAULT false,
      "from_repository" boolean NOT NULL DEFAULT false,
      "file_ref" text,
      "recorded_at" timestamptz NOT NULL,
      "recorded_by" text,
      CONSTRAINT "pk_dossier_component" PRIMARY KEY ("dossier_id", "component_code"),
      CONSTRAINT "fk_dossier_component_dossier" FOREIGN KEY ("dossier_id") REFERENCES "intake"."dossier"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE TABLE "intake"."dossier_event" (
      "id" uuid NOT NULL,
      "dossier_id" uuid NOT NULL,
      "seq" integer NOT NULL,
      "type" text NOT NULL,
      "occurred_at" timestamptz NOT NULL,
      "actor" text,
      "payload" jsonb NOT NULL,
      "imported" boolean NOT NULL DEFAULT false,
      CONSTRAINT "pk_dossier_event" PRIMARY KEY ("id"),
      CONSTRAINT "uq_dossier_event_seq" UNIQUE ("dossier_id", "seq"),
      CONSTRAINT "fk_dossier_event_dossier" FOREIGN KEY ("dossier_id") REFERENCES "intake"."dossier"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE TABLE "intake"."import_job" (
      "id" uuid NOT NULL,
      "file_sha256" text NOT NULL,
      "file_name" text,
      "status" text NOT NULL,
      "next_line" integer NOT NULL DEFAULT 1,
      "total_lines" integer,
      "imported" integer NOT NULL DEFAULT 0,
      "duplicates" integer NOT NULL DEFAULT 0,
      "rejected" integer NOT NULL DEFAULT 0,
      "started_by" text,
      "started_at" timestamptz NOT NULL DEFAULT now(),
      "finished_at" timestamptz,
      CONSTRAINT "pk_import_job" PRIMARY KEY ("id"),
      CONSTRAINT "uq_import_job_file" UNIQUE ("file_sha256"))`);
    await q.query(`CREATE TABLE "intake"."import_rejection" (
      "job_id" uuid NOT NULL,
      "line_no" integer NOT NULL,
      "errors" jsonb NOT NULL,
      "raw" text NOT NULL,
      CONSTRAINT "pk_import_rejection" PRIMARY KEY ("job_id", "line_no"),
      CONSTRAINT "fk_import_rejection_job" FOREIGN KEY ("job_id") REFERENCES "intake"."import_job"("id") ON DELETE CASCADE)`);
    for (const sql of [...outboxTableDdl('intake'), ...idempotencyTableDdl('intake'), ...auditTableDdl('intake')]) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxTableDropDdl('intake')) await q.query(sql);
    await q.query(`DROP TABLE IF EXISTS "intake"."audit_log"`);
    await q.query(`DROP TABLE IF EXISTS "intake"."idempotency_key"`);
    for (const t of ['import_rejection', 'import_job', 'dossier_event', 'dossier_component', 'dossier', 'dossier_sequence']) {
      await q.query(`DROP TABLE IF EXISTS "intake"."${t}"`);
    }
    // The schema itself stays: it also holds TypeORM's own migrations table.
  }
}
