import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The statistics schema: dedup ledger, per-dossier facts, counters, stored offsets, open dossiers, unit tree. */
export class CreateStatisticsSchema1763900000000 implements MigrationInterface {
  name = 'CreateStatisticsSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "statistics"`);
    await q.query(`CREATE TABLE "statistics"."processed_event" ("id" uuid NOT NULL, CONSTRAINT "processed_event_pk" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "statistics"."dossier_facts" (
      "dossier_id" text NOT NULL,
      "facts" jsonb NOT NULL,
      "unit_id" text,
      "ancestors" text array,
      "received_at" timestamptz,
      "finished_at" timestamptz,
      "due_at" timestamptz,
      "updated_at" timestamptz NOT NULL,
      CONSTRAINT "dossier_facts_pk" PRIMARY KEY ("dossier_id"))`);
    await q.query(`CREATE INDEX "dossier_facts_ancestors_idx" ON "statistics"."dossier_facts" USING gin ("ancestors")`);
    await q.query(`CREATE TABLE "statistics"."unit_counter" (
      "unit_id" text NOT NULL,
      "period_key" text NOT NULL,
      "dimension" text NOT NULL,
      "metric" text NOT NULL,
      "value" bigint NOT NULL,
      "version" bigint NOT NULL,
      CONSTRAINT "unit_counter_pk" PRIMARY KEY ("unit_id", "period_key", "dimension", "metric"))`);
    await q.query(`CREATE TABLE "statistics"."consumer_offset" (
      "consumer_group" text NOT NULL,
      "topic" text NOT NULL,
      "partition" integer NOT NULL,
      "next_offset" bigint NOT NULL,
      "last_event_at" timestamptz,
      "updated_at" timestamptz NOT NULL,
      CONSTRAINT "consumer_offset_pk" PRIMARY KEY ("consumer_group", "topic", "partition"))`);
    await q.query(`CREATE TABLE "statistics"."open_dossier" (
      "dossier_id" text NOT NULL,
      "unit_id" text NOT NULL,
      "ancestors" text array NOT NULL,
      "procedure_code" text NOT NULL,
      "sector_code" text NOT NULL,
      "received_at" timestamptz NOT NULL,
      "due_at" timestamptz,
      "paused" boolean NOT NULL,
      CONSTRAINT "open_dossier_pk" PRIMARY KEY ("dossier_id"))`);
    await q.query(`CREATE INDEX "open_dossier_unit_due_idx" ON "statistics"."open_dossier" ("unit_id", "due_at")`);
    await q.query(`CREATE INDEX "open_dossier_ancestors_idx" ON "statistics"."open_dossier" USING gin ("ancestors")`);
    await q.query(`CREATE TABLE "statistics"."unit_edge" (
      "parent_id" text NOT NULL,
      "child_id" text NOT NULL,
      CONSTRAINT "unit_edge_pk" PRIMARY KEY ("parent_id", "child_id"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['unit_edge', 'open_dossier', 'consumer_offset', 'unit_counter', 'dossier_facts', 'processed_event']) {
      await q.query(`DROP TABLE IF EXISTS "statistics"."${t}"`);
    }
    await q.query(`DROP SCHEMA IF EXISTS "statistics"`);
  }
}
