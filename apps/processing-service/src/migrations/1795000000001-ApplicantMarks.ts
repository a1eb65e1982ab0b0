import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'processing';

/**
 * ADR 0309 amendment (black-box round 8): keyed marks of the applicant's name, ID number, phone, e-mail and address
 * (`applicantMarks` of @onestop/contracts), taken from the internal DossierReceived, so that a published field (a fee
 * line's name or code, a withdrawal reference) holding them is refused. Dossiers received before have none (null).
 */
export class ApplicantMarks1795000000001 implements MigrationInterface {
  name = 'ApplicantMarks1795000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}.dossier ADD COLUMN applicant_marks jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}.dossier DROP COLUMN applicant_marks`);
  }
}
