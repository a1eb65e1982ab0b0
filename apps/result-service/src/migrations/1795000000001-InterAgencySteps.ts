import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'result';

/** The inter-agency steps seen in processing's events: a result cannot be issued while one is open. */
export class InterAgencySteps1795000000001 implements MigrationInterface {
  name = 'InterAgencySteps1795000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${S}.inter_agency_step (
      dossier_id text NOT NULL,
      step_id text NOT NULL,
      agency_code text NOT NULL,
      started_at timestamptz,
      completed_at timestamptz,
      CONSTRAINT inter_agency_step_pkey PRIMARY KEY (dossier_id, step_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${S}.inter_agency_step`);
  }
}
