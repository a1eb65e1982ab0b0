import type { SqlExecutor } from '@onestop/messaging';

export const DeadlineKind = { DueSoon: 'DUE_SOON', Overdue: 'OVERDUE' } as const;
export type DeadlineKind = (typeof DeadlineKind)[keyof typeof DeadlineKind];

export interface ScheduleInput {
  dossierId: string;
  /** The current due time, or null when the clock is not running (paused, stopped, finished, no appointment). */
  dueAt: Date | null;
  dueSoonWindowMinutes: number;
  /**
   * When this due time came into force (the resumption, apology or supplement that set it; the receipt for the
   * first one). A threshold already behind it was crossed at that moment, not before: a DossierDueSoon caused by an
   * apology is dated at the apology, never before it (black-box round 9). Omitted: the thresholds themselves.
   */
  armedAt?: Date;
}

/**
 * Keeps `deadline_watch` in step with a dossier's clock, inside the caller's state-change transaction:
 * pending thresholds of other due times are cancelled, the two thresholds of the current due time are
 * (re)armed. A threshold that already FIRED for the same due time is never re-armed (exactly once per
 * dossier, kind and due time).
 */
export async function rescheduleDeadlines(tx: SqlExecutor, schema: string, input: ScheduleInput): Promise<void> {
  const t = `"${schema}".deadline_watch`;
  if (input.dueAt == null) {
    await tx.query(`UPDATE ${t} SET state = 'CANCELLED' WHERE dossier_id = $1 AND state = 'PENDING'`, [input.dossierId]);
    return;
  }
  const due = input.dueAt;
  await tx.query(`UPDATE ${t} SET state = 'CANCELLED' WHERE dossier_id = $1 AND state = 'PENDING' AND due_at <> $2`, [
    input.dossierId,
    due,
  ]);
  const notBefore = (at: number): Date => new Date(Math.max(at, input.armedAt?.getTime() ?? at));
  const dueSoonAt = notBefore(due.getTime() - input.dueSoonWindowMinutes * 60_000);
  const overdueAt = notBefore(due.getTime());
  // a cancelled threshold armed again (the same due time back in force) is crossed from the new arming on
  await tx.query(
    `INSERT INTO ${t} (dossier_id, kind, due_at, fire_at)
     VALUES ($1, $2, $3, $4), ($1, $5, $3, $6)
     ON CONFLICT ON CONSTRAINT deadline_watch_once
     DO UPDATE SET state = 'PENDING', fire_at = EXCLUDED.fire_at WHERE ${t}.state = 'CANCELLED'`,
    [input.dossierId, DeadlineKind.DueSoon, due, dueSoonAt, DeadlineKind.Overdue, overdueAt],
  );
}
