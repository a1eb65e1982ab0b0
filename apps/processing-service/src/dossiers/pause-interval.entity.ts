import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One interval during which the dossier clock stood still (supplement, payment, suspension). */
@Entity({ name: 'pause_interval' })
@Index('pause_interval_dossier_idx', ['dossierId'])
export class PauseIntervalEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'pause_interval_pkey' })
  id!: string;
  @Column({ type: 'text' })
  dossierId!: string;
  @Column({ type: 'text' })
  kind!: string;
  @Column({ type: 'text', nullable: true })
  reason!: string | null;
  @Column({ type: 'timestamptz' })
  startedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
