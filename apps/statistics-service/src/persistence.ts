import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreateStatisticsSchema1763900000000 } from './migrations/1763900000000-CreateStatisticsSchema';
import { IngestThroughput1764000000000 } from './migrations/1764000000000-IngestThroughput';
import { CompactFactSheets1764100000000 } from './migrations/1764100000000-CompactFactSheets';
import { CounterCells1764200000000 } from './migrations/1764200000000-CounterCells';
import { ProcessedEventClaimedAt1764300000000 } from './migrations/1764300000000-ProcessedEventClaimedAt';
import { CELL_COLUMNS, CELL_METRICS } from './ingest/cell-metrics';

/*
 * Entities describe the tables for the drift check only (pendingSchemaChanges); the hot path writes with
 * hand-written set-based SQL (ingest/batch-applier.ts).
 */

@Entity({ name: 'processed_event', schema: 'statistics' })
@Index('processed_event_claimed_at_brin', { synchronize: false }) // BRIN, made by the migration (ADR 0413)
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'processed_event_pk' }) id!: string;
  /** When the id was claimed: ids older than the retention are pruned (ingest/dedup-retention.ts). */
  @Column({ type: 'timestamptz', default: () => 'now()' }) claimedAt!: Date;
}

@Entity({ name: 'dossier_facts', schema: 'statistics' })
@Index('dossier_facts_ancestors_idx', { synchronize: false }) // GIN, made by the migration
export class DossierFactsEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'dossier_facts_pk' }) dossierId!: string;
  @Column({ type: 'json' }) facts!: unknown; // json, not jsonb: read back whole only; a compact array since ADR 0403 (ingest/fact-codec.ts)
  @Column({ type: 'text', nullable: true }) unitId!: string | null;
  @Column({ type: 'text', array: true, nullable: true }) ancestors!: string[] | null;
  @Column({ type: 'timestamptz', nullable: true }) receivedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) dueAt!: Date | null;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}

/** One row per (unit, period, dimension) with every metric as a column (ADR 0408); `unit_counter` is a view of it. */
@Entity({ name: 'unit_cell', schema: 'statistics' })
export class UnitCellEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'unit_cell_pk' }) unitId!: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'unit_cell_pk' }) periodKey!: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'unit_cell_pk' }) dimension!: string;
  @Column({ type: 'bigint' }) version!: string;
  /** Bit i set: metric CELL_METRICS[i] was written at least once (the view shows exactly those). */
  @Column({ type: 'integer' }) touched!: number;
}
// one bigint column per metric, named as the migration names them
CELL_METRICS.forEach((m, i) => Column({ type: 'bigint', name: CELL_COLUMNS[i] })(UnitCellEntity.prototype, m));

@Entity({ name: 'consumer_offset', schema: 'statistics' })
export class ConsumerOffsetEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'consumer_offset_pk' }) consumerGroup!: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'consumer_offset_pk' }) topic!: string;
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'consumer_offset_pk' }) partition!: number;
  @Column({ type: 'bigint' }) nextOffset!: string;
  @Column({ type: 'timestamptz', nullable: true }) lastEventAt!: Date | null;
  @Column({ type: 'timestamptz' }) updatedAt!: Date;
}

@Entity({ name: 'open_dossier', schema: 'statistics' })
@Index('open_dossier_unit_due_idx', ['unitId', 'dueAt'])
@Index('open_dossier_ancestors_idx', { synchronize: false }) // GIN, made by the migration
export class OpenDossierEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'open_dossier_pk' }) dossierId!: string;
  @Column({ type: 'text' }) unitId!: string;
  @Column({ type: 'text', array: true }) ancestors!: string[];
  @Column({ type: 'text' }) procedureCode!: string;
  @Column({ type: 'text' }) sectorCode!: string;
  @Column({ type: 'timestamptz' }) receivedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) dueAt!: Date | null;
  @Column({ type: 'boolean' }) paused!: boolean;
}

@Entity({ name: 'unit_edge', schema: 'statistics' })
export class UnitEdgeEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'unit_edge_pk' }) parentId!: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'unit_edge_pk' }) childId!: string;
}

export const STATISTICS_SCHEMA = 'statistics';
export const STATISTICS_ENTITIES = [
  ProcessedEventEntity,
  DossierFactsEntity,
  UnitCellEntity,
  ConsumerOffsetEntity,
  OpenDossierEntity,
  UnitEdgeEntity,
];
export const STATISTICS_MIGRATIONS = [
  CreateStatisticsSchema1763900000000,
  IngestThroughput1764000000000,
  CompactFactSheets1764100000000,
  CounterCells1764200000000,
  ProcessedEventClaimedAt1764300000000,
];
