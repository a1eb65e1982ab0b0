import { DeadlineKind, rescheduleDeadlines } from './deadline-schedule';

/** A recording SQL executor: the schedule's statements are checked without a database. */
class RecordingTx {
  readonly calls: { sql: string; params: unknown[] }[] = [];
  async query(sql: string, params: unknown[] = []): Promise<unknown> {
    this.calls.push({ sql: sql.replace(/\s+/g, ' ').trim(), params });
    return [];
  }
}

describe('rescheduleDeadlines', () => {
  // runs always (not a skipped test): "pending" is a deadline threshold not yet reached
  it('should cancel every pending threshold when the clock stops', async () => {
    const tx = new RecordingTx();
    await rescheduleDeadlines(tx, 'processing', { dossierId: 'D1', dueAt: null, dueSoonWindowMinutes: 1440 });
    expect(tx.calls).toHaveLength(1);
    expect(tx.calls[0]?.sql).toContain(`SET state = 'CANCELLED'`);
  });

  it('should arm due-soon one window before the due time and overdue at the due time', async () => {
    const tx = new RecordingTx();
    const due = new Date('2026-11-26T10:00:00Z');
    await rescheduleDeadlines(tx, 'processing', { dossierId: 'D1', dueAt: due, dueSoonWindowMinutes: 60 });
    const insert = tx.calls.find((c) => c.sql.startsWith('INSERT'));
    expect(insert?.params).toEqual(['D1', DeadlineKind.DueSoon, due, new Date('2026-11-26T09:00:00Z'), DeadlineKind.Overdue, due]);
    expect(insert?.sql).toContain(`ON CONFLICT ON CONSTRAINT deadline_watch_once DO UPDATE SET state = 'PENDING', fire_at = EXCLUDED.fire_at WHERE "processing".deadline_watch.state = 'CANCELLED'`);
  });

  it('should never arm a threshold before the moment the due time came into force (armedAt)', async () => {
    const tx = new RecordingTx();
    const due = new Date('2026-11-26T10:00:00Z');
    const armedAt = new Date('2026-11-26T09:30:00Z'); // an apology half an hour before: "due − 60 min" is behind it
    await rescheduleDeadlines(tx, 'processing', { dossierId: 'D1', dueAt: due, dueSoonWindowMinutes: 60, armedAt });
    const insert = tx.calls.find((c) => c.sql.startsWith('INSERT'));
    expect(insert?.params).toEqual(['D1', DeadlineKind.DueSoon, due, armedAt, DeadlineKind.Overdue, due]);
  });
});
