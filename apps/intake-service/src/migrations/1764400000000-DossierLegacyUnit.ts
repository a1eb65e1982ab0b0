import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * ADR 0206: a dossier imported from a pre-2025 system keeps the legacy receiving unit as the file named it: the
 * agency code of the old system (QĐ 20/2020 identifier, opaque) and the GSO code of the old commune (valid at the
 * receipt date). The dossier itself is recorded under the 2025 one-stop unit of the old commune's successor.
 * When the file's code was the old system's number, our code is assigned and the old number is kept in
 * `legacy_code`, unique: it is the idempotency key of such a line. Not personal data. NULL for other dossiers.
 */
export class DossierLegacyUnit1764400000000 implements MigrationInterface {
  name = 'DossierLegacyUnit1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "intake"."dossier" ADD COLUMN "legacy_agency_code" text`);
    await q.query(`ALTER TABLE "intake"."dossier" ADD COLUMN "legacy_commune_code" text`);
    await q.query(`ALTER TABLE "intake"."dossier" ADD COLUMN "legacy_code" text`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_dossier_legacy_code" ON "intake"."dossier" ("legacy_code") WHERE "legacy_code" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "intake"."uq_dossier_legacy_code"`);
    await q.query(`ALTER TABLE "intake"."dossier" DROP COLUMN "legacy_code"`);
    await q.query(`ALTER TABLE "intake"."dossier" DROP COLUMN "legacy_commune_code"`);
    await q.query(`ALTER TABLE "intake"."dossier" DROP COLUMN "legacy_agency_code"`);
  }
}
