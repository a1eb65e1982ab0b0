import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * ADR 0205: an import job belongs to a file AND the scope that imports it (`unit:{code}` or `admin`), so a file
 * first sent by the wrong unit can still be imported by the right unit or an admin. Jobs written before keep a
 * NULL scope (only admins may read them; they never match a new job, whose scope is never NULL).
 */
export class ImportJobScope1764300000000 implements MigrationInterface {
  name = 'ImportJobScope1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "intake"."import_job" ADD COLUMN "scope" text`);
    await q.query(`ALTER TABLE "intake"."import_job" DROP CONSTRAINT "uq_import_job_file"`);
    await q.query(`ALTER TABLE "intake"."import_job" ADD CONSTRAINT "uq_import_job_file_scope" UNIQUE ("file_sha256", "scope")`);
  }

  async down(q: QueryRunner): Promise<void> {
    // one job per file again: the earliest of each file's jobs stays (with its rejections), the others go
    await q.query(
      `DELETE FROM "intake"."import_job" j USING "intake"."import_job" k
        WHERE k."file_sha256" = j."file_sha256" AND (k."started_at", k."id") < (j."started_at", j."id")`,
    );
    await q.query(`ALTER TABLE "intake"."import_job" DROP CONSTRAINT "uq_import_job_file_scope"`);
    await q.query(`ALTER TABLE "intake"."import_job" DROP COLUMN "scope"`);
    await q.query(`ALTER TABLE "intake"."import_job" ADD CONSTRAINT "uq_import_job_file" UNIQUE ("file_sha256")`);
  }
}
