import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTableDdl, outboxTableDropDdl } from '@onestop/messaging';
import { auditTableDdl, idempotencyTableDdl } from '@onestop/http';

const S = 'result';

/** The result schema: the dossier as result-service sees it (built from lifecycle events), the result,
 * fee lines, payments, the return to the applicant, the rating; processed events, outbox, idempotency, audit. */
export class CreateResultSchema1795000000000 implements MigrationInterface {
  name = 'CreateResultSchema1795000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
    await q.query(`CREATE TABLE ${S}.dossier (
      id text PRIMARY KEY,
      procedure_code text NOT NULL,
      unit_id text NOT NULL,
      agency_id text NOT NULL,
      status text NOT NULL,
      received_at timestamptz NOT NULL,
      due_at timestamptz,
      original_due_at timestamptz,
      time_limit jsonb,
      supplement_policy text NOT NULL,
      paper_result_required boolean NOT NULL DEFAULT false,
      fee_required boolean NOT NULL DEFAULT false,
      clock_history jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE ${S}.result (
      dossier_id text PRIMARY KEY,
      kind text NOT NULL,
      legally_valid boolean NOT NULL,
      file_url text,
      result_code text,
      resolved_at timestamptz NOT NULL,
      resolved_by text NOT NULL
    )`);
    await q.query(`CREATE TABLE ${S}.fee_line (
      id bigserial PRIMARY KEY,
      dossier_id text NOT NULL,
      code text NOT NULL,
      name text NOT NULL,
      amount bigint NOT NULL,
      collection_stage text NOT NULL,
      exempt boolean NOT NULL DEFAULT false,
      CONSTRAINT fee_line_once UNIQUE (dossier_id, code)
    )`);
    await q.query(`CREATE TABLE ${S}.payment (
      id uuid PRIMARY KEY,
      dossier_id text NOT NULL,
      method text NOT NULL,
      paid_online boolean NOT NULL,
      gateway text,
      amount bigint NOT NULL,
      reference text,
      paid_at timestamptz NOT NULL,
      recorded_by text NOT NULL
    )`);
    await q.query(`CREATE INDEX payment_dossier_idx ON ${S}.payment (dossier_id)`);
    await q.query(`CREATE TABLE ${S}.result_return (
      dossier_id text PRIMARY KEY,
      mode text NOT NULL,
      address text,
      tracking_code text,
      returned_at timestamptz NOT NULL,
      recorded_by text NOT NULL
    )`);
    await q.query(`CREATE TABLE ${S}.rating (
      dossier_id text PRIMARY KEY,
      rating text NOT NULL,
      comment text,
      rated_at timestamptz NOT NULL
    )`);
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
    for (const t of ['processed_event', 'rating', 'result_return', 'payment', 'fee_line', 'result', 'dossier']) {
      await q.query(`DROP TABLE ${S}.${t}`);
    }
  }
}
