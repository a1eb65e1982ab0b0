import type { ApplicantMarks } from '@onestop/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The processing view of one dossier: where it is, who works on it, and its clock. */
@Entity({ name: 'dossier' })
@Index('dossier_queue_agency_idx', ['agencyId', 'dueAt'])
@Index('dossier_queue_officer_idx', ['officerId', 'dueAt'])
export class DossierEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'dossier_pkey' })
  id!: string;
  @Column({ type: 'text' })
  code!: string;
  @Column({ type: 'text' })
  procedureCode!: string;
  /** Receiving one-stop unit. */
  @Column({ type: 'text' })
  unitId!: string;
  /** Agency currently competent for the dossier (after transfer). */
  @Column({ type: 'text' })
  agencyId!: string;
  @Column({ type: 'text', nullable: true })
  officerId!: string | null;
  @Column({ type: 'text' })
  status!: string;
  @Column({ type: 'text', nullable: true })
  channel!: string | null;
  @Column({ type: 'text' })
  supplementPolicy!: string;
  @Column({ type: 'jsonb', nullable: true })
  timeLimit!: { value: number; unit: string } | null;
  @Column({ type: 'timestamptz' })
  receivedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true })
  dueAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true })
  originalDueAt!: Date | null;
  /** Keyed marks of the applicant's data (never the data): published fields holding it are refused (ADR 0309). */
  @Column({ type: 'jsonb', nullable: true })
  applicantMarks!: ApplicantMarks | null;
  @Column({ type: 'timestamptz', nullable: true })
  pausedAt!: Date | null;
  @Column({ type: 'text', nullable: true })
  pauseKind!: string | null;
  @Column({ type: 'int', default: 0 })
  supplementCount!: number;
  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
  @Column({ type: 'int', default: 1 })
  version!: number;
  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
