import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One deadline threshold of one dossier; fired at most once thanks to the unique (dossier, kind, due_at). */
@Entity({ name: 'deadline_watch' })
@Unique('deadline_watch_once', ['dossierId', 'kind', 'dueAt'])
@Index('deadline_watch_pending_idx', ['fireAt'], { where: `state = 'PENDING'` })
export class DeadlineWatchEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'deadline_watch_pkey' })
  id!: string;
  @Column({ type: 'text' })
  dossierId!: string;
  @Column({ type: 'text' })
  kind!: string;
  @Column({ type: 'timestamptz' })
  dueAt!: Date;
  @Column({ type: 'timestamptz' })
  fireAt!: Date;
  @Column({ type: 'text', default: 'PENDING' })
  state!: string;
  @Column({ type: 'timestamptz', nullable: true })
  firedAt!: Date | null;
  @Column({ type: 'uuid', nullable: true })
  eventId!: string | null;
}
