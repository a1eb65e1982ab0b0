import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * ADR 0208, amendment 2026-11-25: the due dates after the receipt follow the lifecycle. `dossier.lifecycle_due`
 * holds the appointment in force and the legal due date set by the last consumed event that moved one
 * (`{"dueAt": …, "originalDueAt": …}`, ISO times or null; SupplementReceived / ProcessingResumed / PaymentCompleted
 * `newDueAt` move both, ApologyIssued only `dueAt`); NULL while no consumed event moved them (the receipt's hold).
 * `due_at` / `original_due_at` stay the receipt's, which its reprint shows.
 */
export class DossierLifecycleDue1764600000000 implements MigrationInterface {
  name = 'DossierLifecycleDue1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "intake"."dossier" ADD COLUMN "lifecycle_due" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "intake"."dossier" DROP COLUMN "lifecycle_due"`);
  }
}
