import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One inter-agency step (liên thông) with its own due date (NgayKetThucTheoQuyDinh). */
@Entity({ name: 'inter_agency_step' })
@Index('inter_agency_step_dossier_idx', ['dossierId'])
export class InterAgencyStepEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'inter_agency_step_pkey' })
  id!: string;
  @Column({ type: 'text' })
  dossierId!: string;
  @Column({ type: 'text' })
  agencyId!: string;
  @Column({ type: 'text', nullable: true })
  description!: string | null;
  @Column({ type: 'timestamptz' })
  startedAt!: Date;
  @Column({ type: 'timestamptz' })
  dueAt!: Date;
  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;
}
