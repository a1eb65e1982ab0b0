import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'result';

/**
 * ADR 0309 amendment (black-box round 8): keyed marks of the applicant's data (`applicantMarks` of @onestop/contracts),
 * taken from the internal DossierReceived, so that a published `resultCode` holding them is refused. Dossiers received
 * before have none (null).
 */
export class ApplicantMarks1795000000003 implements MigrationInterface {
  name = 'ApplicantMarks1795000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}.dossier ADD COLUMN applicant_marks jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}.dossier DROP COLUMN applicant_marks`);
  }
}
