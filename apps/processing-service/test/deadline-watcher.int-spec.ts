import { DataSource } from 'typeorm';
import { openAndMigrate } from '@onestop/persistence';
import { createTestDatabase, type TestDatabase } from '@onestop/testing';
import { processingDataSourceOptions } from '../src/app.module';
import { ManualClock } from '../src/clock/clock';
import { loadProcessingConfig, type ProcessingConfig } from '../src/config/processing.config';
import { rescheduleDeadlines } from '../src/deadlines/deadline-schedule';
import { DeadlineWatcherService } from '../src/deadlines/deadline-watcher.service';
import { ProcessingEvents } from '../src/infrastructure/processing-events';

const H = 3_600_000;
const T0 = new Date('2026-11-23T02:00:00Z');

/**
 * The deadline watcher against a real Postgres with a controllable clock: thresholds fire by themselves,
 * exactly once per dossier and due time, with two replicas racing on the same database, across restarts.
 */
describe(DeadlineWatcherService.name, () => {
  let db: TestDatabase;
  let cfg: ProcessingConfig;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('deadline_watch');
    cfg = loadProcessingConfig({ DATABASE_URL: db.url, BACKGROUND_WORKERS: 'false', DEADLINE_BATCH_SIZE: '7' });
  });

  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db.drop();
  });

  async function replica(clock: ManualClock): Promise<{ watcher: DeadlineWatcherService; ds: DataSource }> {
    const ds = await openAndMigrate(processingDataSourceOptions(cfg));
    sources.push(ds);
    return { watcher: new DeadlineWatcherService(ds, clock, cfg, new ProcessingEvents(cfg)), ds };
  }

  async function seed(ds: DataSource, n: number, prefix: string, dueAt: (i: number) => Date): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => `${prefix}.H56-261123-${String(i).padStart(4, '0')}`);
    await ds.transaction(async (m) => {
      for (const [i, id] of ids.entries()) {
        await m.query(
          `INSERT INTO processing.dossier (id, code, procedure_code, unit_id, agency_id, status, supplement_policy, received_at, due_at, original_due_at)
           VALUES ($1, $1, '1.000948', 'U1', 'A1', 'IN_PROCESS', 'RESTART', $2, $3, $3)`,
          [id, T0, dueAt(i)],
        );
        await rescheduleDeadlines(m, 'processing', { dossierId: id, dueAt: dueAt(i), dueSoonWindowMinutes: cfg.deadlines.dueSoonWindowMinutes });
      }
    });
    return ids;
  }

  const emitted = async (ds: DataSource, prefix: string) =>
    (await ds.query(
      `SELECT aggregate_id AS id, type, envelope->'payload'->>'dueAt' AS due FROM processing.outbox WHERE aggregate_id LIKE $1 ORDER BY seq`,
      [`${prefix}.%`],
    )) as { id: string; type: string; due: string }[];

  it('should fire nothing before the thresholds, then due-soon and overdue at the moments they are crossed', async () => {
    const clock = new ManualClock(T0);
    const { watcher, ds } = await replica(clock);
    const [id] = await seed(ds, 1, 'single', () => new Date(T0.getTime() + 48 * H));
    await expect(watcher.tick()).resolves.toBe(0);
    clock.set(new Date(T0.getTime() + 24 * H - 1));
    await expect(watcher.tick()).resolves.toBe(0);
    clock.advance(1);
    await expect(watcher.tick()).resolves.toBe(1);
    await expect(watcher.tick()).resolves.toBe(0);
    clock.set(new Date(T0.getTime() + 48 * H));
    await expect(watcher.tick()).resolves.toBe(1);
    const out = await emitted(ds, 'single');
    expect(out.map((e) => e.type)).toEqual(['DossierDueSoon', 'DossierOverdue']);
    expect(out.every((e) => e.id === id)).toBe(true);
    const occurred: { at: string }[] = await ds.query(`SELECT envelope->>'occurredAt' AS at FROM processing.outbox WHERE aggregate_id = $1 ORDER BY seq`, [id]);
    expect(new Date(occurred[0]!.at).getTime()).toBe(T0.getTime() + 24 * H);
  });

  it('should date the DossierDueSoon of a due time set by an apology at the apology, never before it', async () => {
    const clock = new ManualClock(new Date(T0.getTime() + 24 * H));
    const { watcher, ds } = await replica(clock);
    const [id] = await seed(ds, 1, 'apology', () => new Date(T0.getTime() + 48 * H));
    await expect(watcher.tick()).resolves.toBe(1); // due soon for the first appointment, at T0 + 24 h
    // T0 + 40 h: an apology moves the appointment to T0 + 60 h; "60 h − 24 h" (T0 + 36 h) is already behind
    const apologyAt = new Date(T0.getTime() + 40 * H);
    const newDue = new Date(T0.getTime() + 60 * H);
    clock.set(apologyAt);
    await ds.transaction(async (m) => {
      await m.query(`UPDATE processing.dossier SET due_at = $2 WHERE id = $1`, [id, newDue]);
      await rescheduleDeadlines(m, 'processing', { dossierId: id!, dueAt: newDue, dueSoonWindowMinutes: cfg.deadlines.dueSoonWindowMinutes, armedAt: apologyAt });
    });
    clock.advance(1000);
    await expect(watcher.tick()).resolves.toBe(1);
    const rows: { type: string; due: string; occurred: string }[] = await ds.query(
      `SELECT type, envelope->'payload'->>'dueAt' AS due, envelope->>'occurredAt' AS occurred FROM processing.outbox WHERE aggregate_id = $1 ORDER BY seq`,
      [id],
    );
    expect(rows.map((r) => r.type)).toEqual(['DossierDueSoon', 'DossierDueSoon']);
    expect(new Date(rows[1]!.due).getTime()).toBe(newDue.getTime());
    expect(new Date(rows[1]!.occurred).getTime()).toBe(apologyAt.getTime());
    // the overdue threshold of the new appointment is untouched: it fires at T0 + 60 h, dated then
    clock.set(newDue);
    await expect(watcher.tick()).resolves.toBe(1);
    const overdue: { occurred: string }[] = await ds.query(`SELECT envelope->>'occurredAt' AS occurred FROM processing.outbox WHERE aggregate_id = $1 AND type = 'DossierOverdue'`, [id]);
    expect(overdue.map((r) => new Date(r.occurred).getTime())).toEqual([newDue.getTime()]);
  });

  it('should never date DossierDueSoon before the receipt when the dossier was received inside the due-soon window', async () => {
    // Received 21:19:30+07, after closing; due 17:00+07 the next working day: "due − 24 h" is 17:00+07 on the day of receipt.
    const receivedAt = new Date('2026-11-23T21:19:30+07:00');
    const dueAt = new Date('2026-11-24T17:00:00+07:00');
    const clock = new ManualClock(new Date(receivedAt.getTime() + 2_000));
    const a = await replica(clock);
    const b = await replica(clock);
    const id = 'late.H56-261123-0001';
    await a.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO processing.dossier (id, code, procedure_code, unit_id, agency_id, status, supplement_policy, received_at, due_at, original_due_at)
         VALUES ($1, $1, '1.000948', 'U1', 'A1', 'RECEIVED', 'RESTART', $2, $3, $3)`,
        [id, receivedAt, dueAt],
      );
      await rescheduleDeadlines(m, 'processing', { dossierId: id, dueAt, dueSoonWindowMinutes: cfg.deadlines.dueSoonWindowMinutes });
    });
    const fired = await Promise.all([a.watcher.tick(), b.watcher.tick()]);
    expect(fired[0] + fired[1]).toBe(1);
    const rows: { type: string; occurred: string; detected: string }[] = await a.ds.query(
      `SELECT type, envelope->>'occurredAt' AS occurred, envelope->'payload'->>'detectedAt' AS detected FROM processing.outbox WHERE aggregate_id = $1 ORDER BY seq`,
      [id],
    );
    expect(rows.map((r) => r.type)).toEqual(['DossierDueSoon']);
    // dated at the receipt (deterministic: from stored facts, whichever replica fired), detected when seen
    expect(new Date(rows[0]!.occurred).getTime()).toBe(receivedAt.getTime());
    expect(new Date(rows[0]!.detected).getTime()).toBe(clock.now().getTime());
    // a threshold after the receipt keeps its crossing moment
    clock.set(new Date(dueAt.getTime() + 60_000));
    await expect(a.watcher.tick()).resolves.toBe(1);
    const overdue: { occurred: string }[] = await a.ds.query(
      `SELECT envelope->>'occurredAt' AS occurred FROM processing.outbox WHERE aggregate_id = $1 AND type = 'DossierOverdue'`,
      [id],
    );
    expect(new Date(overdue[0]!.occurred).getTime()).toBe(dueAt.getTime());
  });

  it('should emit each threshold exactly once when two replicas tick at the same time', async () => {
    const clock = new ManualClock(T0);
    const a = await replica(clock);
    const b = await replica(clock);
    const ids = await seed(a.ds, 60, 'race', (i) => new Date(T0.getTime() + (25 + (i % 10)) * H));
    // walk the clock forward in 1-hour steps; at each step both replicas tick concurrently, several times
    for (let h = 0; h <= 40; h++) {
      clock.set(new Date(T0.getTime() + h * H));
      for (let k = 0; k < 3; k++) await Promise.all([a.watcher.tick(), b.watcher.tick(), a.watcher.tick(), b.watcher.tick()]);
    }
    const out = await emitted(a.ds, 'race');
    expect(out).toHaveLength(ids.length * 2);
    const keys = out.map((e) => `${e.id}|${e.type}|${e.due}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const id of ids) expect(out.filter((e) => e.id === id).map((e) => e.type)).toEqual(['DossierDueSoon', 'DossierOverdue']);
  });

  it('should not re-fire after a restart and should fire anew only for a new due date', async () => {
    const clock = new ManualClock(T0);
    const first = await replica(clock);
    const [id] = await seed(first.ds, 1, 'restart', () => new Date(T0.getTime() + 10 * H));
    clock.set(new Date(T0.getTime() + 11 * H));
    await expect(first.watcher.tick()).resolves.toBe(2);
    const second = await replica(clock); // a "restarted" process on the same database
    await expect(second.watcher.tick()).resolves.toBe(0);
    // same due date re-armed (e.g. replayed command): still nothing
    await second.ds.transaction((m) => rescheduleDeadlines(m, 'processing', { dossierId: id!, dueAt: new Date(T0.getTime() + 10 * H), dueSoonWindowMinutes: 1440 }));
    await expect(second.watcher.tick()).resolves.toBe(0);
    // apology: a new due date gets its own thresholds
    const newDue = new Date(T0.getTime() + 40 * H);
    await second.ds.transaction(async (m) => {
      await m.query(`UPDATE processing.dossier SET due_at = $2 WHERE id = $1`, [id, newDue]);
      await rescheduleDeadlines(m, 'processing', { dossierId: id!, dueAt: newDue, dueSoonWindowMinutes: 1440 });
    });
    clock.set(new Date(T0.getTime() + 16 * H));
    await expect(second.watcher.tick()).resolves.toBe(1);
    clock.set(new Date(T0.getTime() + 41 * H));
    await expect(second.watcher.tick()).resolves.toBe(1);
    expect((await emitted(second.ds, 'restart')).map((e) => e.type)).toEqual(['DossierDueSoon', 'DossierOverdue', 'DossierDueSoon', 'DossierOverdue']);
  });

  it('should not fire while the clock is paused or after the dossier is finished', async () => {
    const clock = new ManualClock(T0);
    const { watcher, ds } = await replica(clock);
    const [paused, finished] = await seed(ds, 2, 'stopped', () => new Date(T0.getTime() + 5 * H));
    await ds.transaction(async (m) => {
      await m.query(`UPDATE processing.dossier SET status = 'SUSPENDED' WHERE id = $1`, [paused]);
      await rescheduleDeadlines(m, 'processing', { dossierId: paused!, dueAt: null, dueSoonWindowMinutes: 1440 });
      // finished without cancelling the watch rows: the watcher itself must notice and cancel them
      await m.query(`UPDATE processing.dossier SET status = 'RESOLVED' WHERE id = $1`, [finished]);
    });
    clock.set(new Date(T0.getTime() + 6 * H));
    await expect(watcher.tick()).resolves.toBe(0);
    expect(await emitted(ds, 'stopped')).toEqual([]);
    const states: { state: string }[] = await ds.query(`SELECT DISTINCT state FROM processing.deadline_watch WHERE dossier_id LIKE 'stopped.%'`);
    expect(states.map((s) => s.state)).toEqual(['CANCELLED']);
  });
});
