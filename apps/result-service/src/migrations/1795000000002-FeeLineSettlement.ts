import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'result';

/**
 * ADR 0308: a fee line is charged once (`payment_id` = the payment that settled it), and amounts are `numeric`, so a
 * contract-valid amount (any non-negative integer) never makes the consumer fail on a bigint overflow.
 */
export class FeeLineSettlement1795000000002 implements MigrationInterface {
  name = 'FeeLineSettlement1795000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}.fee_line ADD COLUMN payment_id uuid`);
    await q.query(`ALTER TABLE ${S}.fee_line ALTER COLUMN amount TYPE numeric`);
    await q.query(`ALTER TABLE ${S}.payment ALTER COLUMN amount TYPE numeric`);
    // Lines of dossiers that paid and are not waiting for another payment were settled by their latest payment. A
    // dossier waiting again cannot tell its old lines from the new ones: they stay outstanding (the former behaviour).
    await q.query(`UPDATE ${S}.fee_line f SET payment_id = p.id
                     FROM (SELECT DISTINCT ON (dossier_id) dossier_id, id FROM ${S}.payment ORDER BY dossier_id, paid_at DESC) p,
                          ${S}.dossier d
                    WHERE f.dossier_id = p.dossier_id AND d.id = f.dossier_id AND d.status <> 'AWAITING_PAYMENT'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}.payment ALTER COLUMN amount TYPE bigint`);
    await q.query(`ALTER TABLE ${S}.fee_line ALTER COLUMN amount TYPE bigint`);
    await q.query(`ALTER TABLE ${S}.fee_line DROP COLUMN payment_id`);
  }
}
