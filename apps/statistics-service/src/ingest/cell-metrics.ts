/**
 * The metric columns of `statistics.unit_cell` (ADR 0408): one row per (unit, period, dimension) holds every
 * metric, instead of one `unit_counter` row per metric. The list is frozen here and in migration 1764200000000;
 * a metric the domain adds later needs a migration that adds its column and an entry at the END of this list
 * (the `touched` bit of a metric is its index here). `cell-metrics.spec.ts` fails until both agree with the
 * domain's `METRICS`.
 */
export const CELL_METRICS = [
  'received',
  'receivedOnline',
  'receivedDirect',
  'receivedPostal',
  'intakeRejected',
  'resolved',
  'resolvedEarly',
  'resolvedOnTime',
  'resolvedLate',
  'withdrawn',
  'refused',
  'digitised',
  'reused',
  'fromRepository',
  'vneidVerified',
  'eResult',
  'eResultRequired',
  'feeBearing',
  'paidOnline',
  'ratingVerySatisfied',
  'ratingSatisfied',
  'ratingDissatisfied',
  'returned',
  'supplementRequestedMoreThanOnce',
] as const;

/** `receivedOnline` → `received_online`, `eResult` → `e_result`. */
export function metricColumn(metric: string): string {
  return metric.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export const CELL_COLUMNS: readonly string[] = CELL_METRICS.map(metricColumn);

const INDEX = new Map<string, number>(CELL_METRICS.map((m, i) => [m, i]));

/** The metric's column index (and `touched` bit); throws for a metric without a column. */
export function metricIndex(metric: string): number {
  const i = INDEX.get(metric);
  if (i === undefined) throw new Error(`metric "${metric}" has no column in statistics.unit_cell (add one with a migration, ADR 0408)`);
  return i;
}
