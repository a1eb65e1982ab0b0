import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';

/**
 * Entities mirror the migrations exactly (the drift test asserts `pendingSchemaChanges` is empty). The hot
 * write path uses hand-written SQL through the same DataSource; the entities document the schema and
 * serve reads.
 */
@Entity({ schema: 'intake', name: 'dossier_sequence' })
export class DossierSequenceEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_dossier_sequence' })
  unitCode!: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_dossier_sequence' })
  day!: string;

  @Column({ type: 'integer' })
  lastValue!: number;
}

@Entity({ schema: 'intake', name: 'dossier' })
@Unique('uq_dossier_code', ['code'])
@Index('uq_dossier_external_ref', ['unitId', 'externalRef'], { unique: true, where: '"external_ref" IS NOT NULL' })
@Index('uq_dossier_legacy_code', ['legacyCode'], { unique: true, where: '"legacy_code" IS NOT NULL' })
export class DossierEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_dossier' })
  id!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  unitId!: string;

  @Column({ type: 'text' })
  unitCode!: string;

  @Column({ type: 'text' })
  procedureCode!: string;

  @Column({ type: 'text', nullable: true })
  procedureVersion!: string | null;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'jsonb' })
  applicant!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  externalRef!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  receivedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  rejectedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  originalDueAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  dueExplanation!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  timeLimit!: unknown;

  @Column({ type: 'text', nullable: true })
  receivedBy!: string | null;

  /** The officer who received it, by name (from the token); NULL: only the id is known. */
  @Column({ type: 'text', nullable: true })
  receivedByName!: string | null;

  /** How the citizen chose to receive the result: COUNTER, POST or ONLINE; NULL: at the counter. */
  @Column({ type: 'text', nullable: true })
  resultDelivery!: string | null;

  @Column({ type: 'boolean', default: false })
  imported!: boolean;

  /** Imported pre-2025 dossier: the old system's agency code, opaque (ADR 0206). */
  @Column({ type: 'text', nullable: true })
  legacyAgencyCode!: string | null;

  /** Imported pre-2025 dossier: GSO code of the old commune at the receipt date (ADR 0206). */
  @Column({ type: 'text', nullable: true })
  legacyCommuneCode!: string | null;

  /** Imported pre-2025 dossier whose file code was the old system's number (ours was assigned); unique. */
  @Column({ type: 'text', nullable: true })
  legacyCode!: string | null;

  /** Status after the last event consumed from processing/result (ADR 0208); NULL until one came. */
  @Column({ type: 'text', nullable: true })
  lifecycleStatus!: string | null;

  /** `occurredAt` of the event that set `lifecycleStatus`. */
  @Column({ type: 'timestamptz', nullable: true })
  lifecycleUpdatedAt!: Date | null;

  /** Due dates after the last consumed event that moved them (`{dueAt, originalDueAt}`); NULL: the receipt's. */
  @Column({ type: 'jsonb', nullable: true })
  lifecycleDue!: unknown;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ schema: 'intake', name: 'dossier_component' })
export class DossierComponentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_dossier_component' })
  dossierId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_dossier_component' })
  componentCode!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'integer', default: 1 })
  copies!: number;

  @Column({ type: 'boolean', default: false })
  digitised!: boolean;

  @Column({ type: 'boolean', default: false })
  reused!: boolean;

  @Column({ type: 'boolean', default: false })
  fromRepository!: boolean;

  @Column({ type: 'text', nullable: true })
  fileRef!: string | null;

  @Column({ type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ type: 'text', nullable: true })
  recordedBy!: string | null;

  @ManyToOne(() => DossierEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dossier_id', foreignKeyConstraintName: 'fk_dossier_component_dossier' })
  dossier?: DossierEntity;
}

@Entity({ schema: 'intake', name: 'dossier_event' })
@Unique('uq_dossier_event_seq', ['dossierId', 'seq'])
export class DossierEventEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_dossier_event' })
  id!: string;

  @Column({ type: 'uuid' })
  dossierId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'boolean', default: false })
  imported!: boolean;

  @ManyToOne(() => DossierEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dossier_id', foreignKeyConstraintName: 'fk_dossier_event_dossier' })
  dossier?: DossierEntity;
}

@Entity({ schema: 'intake', name: 'import_job' })
@Unique('uq_import_job_file_scope', ['fileSha256', 'scope'])
export class ImportJobEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_import_job' })
  id!: string;

  @Column({ type: 'text' })
  fileSha256!: string;

  /** `unit:{code}` or `admin` (ADR 0205); NULL for jobs written before it (admins only may read them). */
  @Column({ type: 'text', nullable: true })
  scope!: string | null;

  @Column({ type: 'text', nullable: true })
  fileName!: string | null;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'integer', default: 1 })
  nextLine!: number;

  @Column({ type: 'integer', nullable: true })
  totalLines!: number | null;

  @Column({ type: 'integer', default: 0 })
  imported!: number;

  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  @Column({ type: 'integer', default: 0 })
  rejected!: number;

  @Column({ type: 'text', nullable: true })
  startedBy!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

@Entity({ schema: 'intake', name: 'import_rejection' })
export class ImportRejectionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_import_rejection' })
  jobId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_import_rejection' })
  lineNo!: number;

  @Column({ type: 'jsonb' })
  errors!: unknown;

  @Column({ type: 'text' })
  raw!: string;

  @ManyToOne(() => ImportJobEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'fk_import_rejection_job' })
  job?: ImportJobEntity;
}

/** An event of another service consumed from the internal lifecycle topic (public fields only). */
@Entity({ schema: 'intake', name: 'lifecycle_event' })
@Index('ix_lifecycle_event_dossier_code', ['dossierCode'])
export class LifecycleEventEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_lifecycle_event' })
  id!: string;

  @Column({ type: 'text' })
  dossierCode!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  producer!: string;

  @Column({ type: 'boolean', default: false })
  imported!: boolean;

  @Column({ type: 'jsonb' })
  summary!: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  consumedAt!: Date;
}

export const INTAKE_ENTITIES = [
  DossierSequenceEntity,
  DossierEntity,
  DossierComponentEntity,
  DossierEventEntity,
  ImportJobEntity,
  ImportRejectionEntity,
  LifecycleEventEntity,
];
