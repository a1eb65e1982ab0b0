import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTableDdl, outboxTableDropDdl } from '@onestop/messaging';
import { auditTableDdl, idempotencyTableDdl } from '@onestop/http';

const S = 'processing';

/** The processing schema: dossier work state, inter-agency steps, pauses, due-date history, deadline watch,
 * processed events (consumer dedup), outbox, idempotency keys and audit. */
export class CreateProcessingSchema1795000000000 implements MigrationInterface {
  name = 'CreateProcessingSchema1795000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
    await q.query(`CREATE TABLE ${S}.dossier (
      id text PRIMARY KEY,
      code text NOT NULL,
      procedure_code text NOT NULL,
      unit_id text NOT NULL,
      agency_id text NOT NULL,
      officer_id text,
      status text NOT NULL,
      channel text,
      supplement_policy text NOT NULL,
      time_limit jsonb,
      received_at timestamptz NOT NULL,
      due_at timestamptz,
      original_due_at timestamptz,
      paused_at timestamptz,
      pause_kind text,
      supplement_count int NOT NULL DEFAULT 0,
      finished_at timestamptz,
      version int NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX dossier_queue_agency_idx ON ${S}.dossier (agency_id, due_at)`);
    await q.query(`CREATE INDEX dossier_queue_officer_idx ON ${S}.dossier (officer_id, due_at)`);
    await q.query(`CREATE TABLE ${S}.inter_agency_step (
      id uuid PRIMARY KEY,
      dossier_id text NOT NULL,
      agency_id text NOT NULL,
      description text,
      started_at timestamptz NOT NULL,
      due_at timestamptz NOT NULL,
      completed_at timestamptz,
      outcome text
    )`);
    await q.query(`CREATE INDEX inter_agency_step_dossier_idx ON ${S}.inter_agency_step (dossier_id)`);
    await q.query(`CREATE TABLE ${S}.pause_interval (
      id bigserial PRIMARY KEY,
      dossier_id text NOT NULL,
      kind text NOT NULL,
      reason text,
      started_at timestamptz NOT NULL,
      ended_at timestamptz
    )`);
    await q.query(`CREATE INDEX pause_interval_dossier_idx ON ${S}.pause_interval (dossier_id)`);
    await q.query(`CREATE TABLE ${S}.due_date_change (
      id bigserial PRIMARY KEY,
      dossier_id text NOT NULL,
      changed_at timestamptz NOT NULL,
      previous_due_at timestamptz,
      new_due_at timestamptz,
      cause text NOT NULL
    )`);
    await q.query(`CREATE INDEX due_date_change_dossier_idx ON ${S}.due_date_change (dossier_id)`);
    await q.query(`CREATE TABLE ${S}.deadline_watch (
      id bigserial PRIMARY KEY,
      dossier_id text NOT NULL,
      kind text NOT NULL,
      due_at timestamptz NOT NULL,
      fire_at timestamptz NOT NULL,
      state text NOT NULL DEFAULT 'PENDING',
      fired_at timestamptz,
      event_id uuid,
      CONSTRAINT deadline_watch_once UNIQUE (dossier_id, kind, due_at)
    )`);
    await q.query(`CREATE INDEX deadline_watch_pending_idx ON ${S}.deadline_watch (fire_at) WHERE state = 'PENDING'`);
    await q.query(`CREATE TABLE ${S}.processed_event (
      event_id uuid PRIMARY KEY,
      type text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
    for (const ddl of outboxTableDdl(S)) await q.query(ddl);
    for (const ddl of idempotencyTableDdl(S)) await q.query(ddl);
    for (const ddl of auditTableDdl(S)) await q.query(ddl);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_log', 'idempotency_key']) await q.query(`DROP TABLE IF EXISTS ${S}.${t}`);
    for (const ddl of outboxTableDropDdl(S)) await q.query(ddl);
    for (const t of ['processed_event', 'deadline_watch', 'due_date_change', 'pause_interval', 'inter_agency_step', 'dossier']) {
      await q.query(`DROP TABLE ${S}.${t}`);
    }
  }
}
