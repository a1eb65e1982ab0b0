import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY, metric } from '@onestop/observability';
import { DataSource } from 'typeorm';
import type { DossierEventV1 } from '@onestop/contracts';
import { CLOCK, type Clock } from '../clock/clock';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';
import { ProcessingEvents } from '../infrastructure/processing-events';
import { DeadlineKind } from './deadline-schedule';
import { CLOCK_RUNNING } from '../dossiers/dossier-status';

interface DueRow {
  id: string;
  dossier_id: string;
  kind: DeadlineKind;
  due_at: Date;
  fire_at: Date;
  status: string;
  current_due_at: Date | null;
  received_at: Date;
  unit_id: string;
  procedure_code: string;
}

/**
 * Emits DossierDueSoon / DossierOverdue when a dossier crosses its thresholds, with no user action.
 * Each tick claims due `deadline_watch` rows (ordered by fire time) with FOR UPDATE SKIP LOCKED, so
 * several replicas share the work without waiting on each other, and in the same transaction marks them
 * FIRED and appends the events to the outbox: a threshold fires exactly once, across restarts and replicas.
 */
@Injectable()
export class DeadlineWatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DeadlineWatcherService.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private readonly emitted?: Counter;

  constructor(
    private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROCESSING_CONFIG) private readonly cfg: ProcessingConfig,
    private readonly events: ProcessingEvents,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.emitted = registry
      ? metric.counter(registry, 'deadline_events_emitted_total', 'DossierDueSoon/DossierOverdue emitted by the deadline watcher', ['kind'])
      : undefined;
  }

  onApplicationBootstrap(): void {
    if (this.cfg.backgroundWorkers) this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Claims and fires every threshold due at the clock's current time (bounded by batch size). */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const S = this.cfg.schema;
    return this.ds.transaction(async (m) => {
      const rows: DueRow[] = await m.query(
        `SELECT w.id, w.dossier_id, w.kind, w.due_at, w.fire_at,
                d.status, d.due_at AS current_due_at, d.received_at, d.unit_id, d.procedure_code
           FROM "${S}".deadline_watch w
           JOIN "${S}".dossier d ON d.id = w.dossier_id
          WHERE w.state = 'PENDING' AND w.fire_at <= $1
          ORDER BY w.fire_at, w.id
          LIMIT $2
          FOR UPDATE OF w, d SKIP LOCKED`,
        [now, this.cfg.deadlines.batchSize],
      );
      const fired: { row: DueRow; eventId: string }[] = [];
      if (rows.length === 0) return fired;
      const cancelled: string[] = [];
      const envelopes: DossierEventV1[] = [];
      for (const row of rows) {
        const stillCurrent =
          CLOCK_RUNNING.has(row.status) && row.current_due_at != null && row.current_due_at.getTime() === row.due_at.getTime();
        if (!stillCurrent) {
          cancelled.push(row.id);
          continue;
        }
        const env = this.events.deadlineCrossed(row.kind, {
          dossierId: row.dossier_id,
          receivingUnitId: row.unit_id,
          procedureCode: row.procedure_code,
          dueAt: row.due_at,
          crossedAt: crossingTime(row),
          detectedAt: now,
        });
        envelopes.push(env);
        fired.push({ row, eventId: env.id });
      }
      if (cancelled.length > 0) {
        await m.query(`UPDATE "${S}".deadline_watch SET state = 'CANCELLED' WHERE id = ANY($1::bigint[])`, [cancelled]);
      }
      if (fired.length > 0) {
        await m.query(
          `UPDATE "${S}".deadline_watch w SET state = 'FIRED', fired_at = $1, event_id = f.event_id
             FROM unnest($2::bigint[], $3::uuid[]) AS f(id, event_id) WHERE w.id = f.id`,
          [now, fired.map((f) => f.row.id), fired.map((f) => f.eventId)],
        );
        await this.events.append(m, envelopes);
      }
      return fired;
    }).then((fired) => {
      for (const f of fired) this.emitted?.inc({ kind: f.row.kind });
      return fired.length;
    });
  }

  /** The next fire time still pending, to sleep exactly until it (bounded by the poll interval). */
  private async nextFireAt(): Promise<Date | null> {
    const r: { at: Date | null }[] = await this.ds.query(
      `SELECT min(fire_at) AS at FROM "${this.cfg.schema}".deadline_watch WHERE state = 'PENDING'`,
    );
    return r[0]?.at ?? null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let wait = this.cfg.deadlines.pollIntervalMs;
      try {
        const n = await this.tick();
        if (n >= this.cfg.deadlines.batchSize) continue;
        const next = await this.nextFireAt();
        if (next) wait = Math.max(0, Math.min(wait, next.getTime() - this.clock.now().getTime()));
      } catch (err) {
        this.log.error(err instanceof Error ? err.message : String(err));
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }
}

/**
 * The event time of a crossing: the threshold (`fire_at`), but never before the dossier's receipt. A dossier
 * received less than the due-soon window before its due time was "due soon" from the moment it existed, so its
 * DossierDueSoon is dated at the receipt, not at `due − window`. Derived from stored facts only, so every replica
 * and every retry builds the same time (ADR 0302).
 */
function crossingTime(row: Pick<DueRow, 'fire_at' | 'received_at'>): Date {
  return row.fire_at.getTime() >= row.received_at.getTime() ? row.fire_at : row.received_at;
}
