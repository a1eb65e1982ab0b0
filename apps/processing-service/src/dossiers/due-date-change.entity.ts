import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Due-date history (NgayHenTraTruoc → NgayHenTraMoi) with its cause. */
@Entity({ name: 'due_date_change' })
@Index('due_date_change_dossier_idx', ['dossierId'])
export class DueDateChangeEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'due_date_change_pkey' })
  id!: string;
  @Column({ type: 'text' })
  dossierId!: string;
  @Column({ type: 'timestamptz' })
  changedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true })
  previousDueAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true })
  newDueAt!: Date | null;
  @Column({ type: 'text' })
  cause!: string;
}
