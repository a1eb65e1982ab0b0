import type { ApplicantMarks } from '@onestop/contracts';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** Pauses and apologies seen in events: enough to recompute due dates with the domain calculator. */
export interface ClockHistory {
  pauses: { kind: 'SUPPLEMENT' | 'PAYMENT' | 'SUSPENSION'; start: string; end?: string }[];
  apologies: { issuedAt: string; newDueAt: string }[];
}

/** The dossier as result-service knows it, built from the lifecycle events it consumes and its own commands. */
@Entity({ name: 'dossier' })
export class ResultDossierEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'dossier_pkey' })
  id!: string;
  @Column({ type: 'text' })
  procedureCode!: string;
  @Column({ type: 'text' })
  unitId!: string;
  @Column({ type: 'text' })
  agencyId!: string;
  @Column({ type: 'text' })
  status!: string;
  @Column({ type: 'timestamptz' })
  receivedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true })
  dueAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true })
  originalDueAt!: Date | null;
  @Column({ type: 'jsonb', nullable: true })
  timeLimit!: { value: number; unit: string } | null;
  @Column({ type: 'text' })
  supplementPolicy!: string;
  @Column({ type: 'boolean', default: false })
  paperResultRequired!: boolean;
  @Column({ type: 'boolean', default: false })
  feeRequired!: boolean;
  @Column({ type: 'jsonb' })
  clockHistory!: ClockHistory;
  /** Keyed marks of the applicant's data (never the data): a published resultCode holding it is refused (ADR 0309). */
  @Column({ type: 'jsonb', nullable: true })
  applicantMarks!: ApplicantMarks | null;
  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** The result document (paper, or electronic with legal validity and a link to the signed file). */
@Entity({ name: 'result' })
export class ResultEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'result_pkey' })
  dossierId!: string;
  @Column({ type: 'text' })
  kind!: string;
  @Column({ type: 'boolean' })
  legallyValid!: boolean;
  @Column({ type: 'text', nullable: true })
  fileUrl!: string | null;
  @Column({ type: 'text', nullable: true })
  resultCode!: string | null;
  @Column({ type: 'timestamptz' })
  resolvedAt!: Date;
  @Column({ type: 'text' })
  resolvedBy!: string;
}

/**
 * A fee line (DanhSachLePhi) from the financial obligation; exempt lines are not charged, and a line is charged once:
 * `paymentId` is the payment that settled it (null while outstanding; a later obligation with the same code re-opens
 * it with its new amount). Amounts are `numeric`: any amount the contract allows is stored (ADR 0308).
 */
@Entity({ name: 'fee_line' })
@Unique('fee_line_once', ['dossierId', 'code'])
export class FeeLineEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'fee_line_pkey' })
  id!: string;
  @Column({ type: 'text' })
  dossierId!: string;
  @Column({ type: 'text' })
  code!: string;
  @Column({ type: 'text' })
  name!: string;
  @Column({ type: 'numeric' })
  amount!: string;
  @Column({ type: 'text' })
  collectionStage!: string;
  @Column({ type: 'boolean', default: false })
  exempt!: boolean;
  @Column({ type: 'uuid', nullable: true })
  paymentId!: string | null;
}

/**
 * An inter-agency step as processing's events describe it (InterAgencyStepStarted/Completed): a result cannot be
 * issued while a step is open (completed_at null).
 */
@Entity({ name: 'inter_agency_step' })
export class InterAgencyStepEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'inter_agency_step_pkey' })
  dossierId!: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'inter_agency_step_pkey' })
  stepId!: string;
  @Column({ type: 'text' })
  agencyCode!: string;
  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}

@Entity({ name: 'payment' })
@Index('payment_dossier_idx', ['dossierId'])
export class PaymentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'payment_pkey' })
  id!: string;
  @Column({ type: 'text' })
  dossierId!: string;
  @Column({ type: 'text' })
  method!: string;
  @Column({ type: 'boolean' })
  paidOnline!: boolean;
  @Column({ type: 'text', nullable: true })
  gateway!: string | null;
  @Column({ type: 'numeric' })
  amount!: string;
  @Column({ type: 'text', nullable: true })
  reference!: string | null;
  @Column({ type: 'timestamptz' })
  paidAt!: Date;
  @Column({ type: 'text' })
  recordedBy!: string;
}

@Entity({ name: 'result_return' })
export class ResultReturnEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'result_return_pkey' })
  dossierId!: string;
  @Column({ type: 'text' })
  mode!: string;
  @Column({ type: 'text', nullable: true })
  address!: string | null;
  @Column({ type: 'text', nullable: true })
  trackingCode!: string | null;
  @Column({ type: 'timestamptz' })
  returnedAt!: Date;
  @Column({ type: 'text' })
  recordedBy!: string;
}

@Entity({ name: 'rating' })
export class RatingEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'rating_pkey' })
  dossierId!: string;
  @Column({ type: 'text' })
  rating!: string;
  @Column({ type: 'text', nullable: true })
  comment!: string | null;
  @Column({ type: 'timestamptz' })
  ratedAt!: Date;
}

@Entity({ name: 'processed_event' })
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'processed_event_pkey' })
  eventId!: string;
  @Column({ type: 'text' })
  type!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}

export const RESULT_ENTITIES = [
  ResultDossierEntity,
  ResultEntity,
  FeeLineEntity,
  InterAgencyStepEntity,
  PaymentEntity,
  ResultReturnEntity,
  RatingEntity,
  ProcessedEventEntity,
];
