import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Ids of consumed events, claimed in the same transaction as their effect (idempotent consumer). */
@Entity({ name: 'processed_event' })
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'processed_event_pkey' })
  eventId!: string;
  @Column({ type: 'text' })
  type!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
