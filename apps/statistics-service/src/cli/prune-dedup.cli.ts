import '../runtime-aliases';
/**
 * prune-dedup: deletes the event ids claimed more than STATS_DEDUP_RETENTION_DAYS days ago from the dedup ledger
 * (`statistics.processed_event`), with progress (ADR 0413). The service does the same every
 * STATS_DEDUP_PRUNE_EVERY_MINUTES; this is the one-off run (e.g. after lowering the retention). Safe while the
 * service runs: the counters do not depend on old ids (the fact-sheet merge is idempotent).
 *   node -r ./apps/statistics-service/test/support/swc-register.cjs apps/statistics-service/src/cli/prune-dedup.cli.ts
 */
import { Pool } from 'pg';
import { loadStatisticsConfig } from '../config/statistics.config';
import { pruneProcessedEvents } from '../ingest/dedup-retention';
import { migrate } from '../statistics.runtime';
import { checkNoArgs } from './cli-args';
import { FAILURE_USAGE, checkPostgres, runCli, splitVerbose } from './cli-failure';

export const PRUNE_DEDUP_USAGE = `prune-dedup: delete the dedup ledger's event ids older than the retention.
  node -r ./apps/statistics-service/test/support/swc-register.cjs apps/statistics-service/src/cli/prune-dedup.cli.ts
No argument; settings from the environment (DATABASE_URL, STATS_DEDUP_RETENTION_DAYS: default 90, 0 = keep
every id). Exit 0 done, 1 another process is pruning (try again later), 2 failed, 64 usage error.
Option: --verbose (or DEBUG=1).
${FAILURE_USAGE}`;

export async function pruneDedup(argv: readonly string[] = []): Promise<number> {
  const { args } = splitVerbose(argv);
  const usage = checkNoArgs(args, PRUNE_DEDUP_USAGE);
  if (usage !== null) return usage;
  const config = loadStatisticsConfig();
  const days = config.dedupRetentionDays;
  if (days === 0) {
    console.log('prune-dedup: STATS_DEDUP_RETENTION_DAYS=0 keeps every event id; nothing pruned');
    return 0;
  }
  await checkPostgres(config.database.url); // a wrong DATABASE_URL is one clear line, not a TypeORM stack
  await migrate(config.database.url);
  const pool = new Pool({ connectionString: config.database.url, max: 1, application_name: 'statistics-prune-dedup' });
  try {
    const olderThan = new Date(Date.now() - days * 86_400_000);
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM statistics.processed_event WHERE claimed_at < $1`, [olderThan]);
    const total = Number(rows[0]!.n);
    console.log(`prune-dedup: ${total} event ids claimed before ${olderThan.toISOString()} (retention ${days} days)`);
    const t0 = Date.now();
    const rate = (n: number) => Math.round(n / Math.max(0.001, (Date.now() - t0) / 1000));
    const deleted = await pruneProcessedEvents(pool, { olderThan, onProgress: (n) => console.log(`  deleted ${n}/${total} ids (${rate(n)}/s)`) });
    if (deleted === null) {
      console.error('prune-dedup: another process is pruning the ledger now (advisory lock held); nothing done');
      return 1;
    }
    console.log(`prune-dedup: deleted ${deleted} event ids in ${Date.now() - t0} ms`);
    return 0;
  } finally {
    await pool.end();
  }
}

if (require.main === module) runCli('prune-dedup', pruneDedup);
