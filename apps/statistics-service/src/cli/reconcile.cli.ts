import '../runtime-aliases';
/**
 * reconcile: reads the whole topic from offset 0, recounts with the shared reducer (reduceEventsToLeaves of @onestop/domain) and
 * compares with the live counters in Postgres. Exit 0 = no difference, 1 = differences (listed), 2 = could not run, 64 = usage.
 *   node -r ./apps/statistics-service/test/support/swc-register.cjs apps/statistics-service/src/cli/reconcile.cli.ts
 * Run it while the consumer is caught up (lag 0) or stopped; events arriving during the read are not in the recount.
 */
import { loadStatisticsConfig } from '../config/statistics.config';
import { type PublicEvent } from '../indicators/indicator-engine';
import { parsePublicEvent } from '../indicators/public-event.parser';
import { BatchApplier } from '../ingest/batch-applier';
import { StatisticsRuntime } from '../statistics.runtime';
import { checkNoArgs } from './cli-args';
import { FAILURE_USAGE, checkKafka, checkPostgres, checkRedis, cliKafka, runCli, splitVerbose } from './cli-failure';
import { readTopicFromStart } from './log-stream.cli';

export const RECONCILE_USAGE = `reconcile: recount the public topic from offset 0 with the shared reducer and compare with the live counters.
  node -r ./apps/statistics-service/test/support/swc-register.cjs apps/statistics-service/src/cli/reconcile.cli.ts
No argument; settings from the environment (DATABASE_URL, KAFKA_BROKERS, REDIS_URL, STATS_TOPIC, STATS_GROUP_ID).
Exit 0 identical, 1 differences (listed), 2 could not run, 64 usage error.
Option: --verbose (or DEBUG=1).
${FAILURE_USAGE}`;

export async function reconcile(argv: readonly string[] = []): Promise<number> {
  const { verbose, args } = splitVerbose(argv);
  const usage = checkNoArgs(args, RECONCILE_USAGE);
  if (usage !== null) return usage;
  const config = loadStatisticsConfig();
  // checked first, each in a few seconds, so that a wrong DATABASE_URL / KAFKA_BROKERS / STATS_TOPIC / REDIS_URL is one clear line
  await checkPostgres(config.database.url);
  await checkRedis(config.redis.url);
  const kafka = cliKafka(config.kafka.brokers, config.kafka.clientId, verbose);
  await checkKafka(kafka, config.kafka.brokers, config.topic);
  const rt = await StatisticsRuntime.open(config, () => undefined);
  try {
    const events: PublicEvent[] = [];
    let invalid = 0;
    console.log(`reconcile: reading ${config.topic} from offset 0`);
    await readTopicFromStart(rt.kafka, config.topic, (v) => {
      const r = parsePublicEvent(v);
      if (r.ok) events.push(r.event);
      else invalid++;
    }, (d, t) => console.log(`  read ${d}/${t} messages`));
    console.log(`reconcile: ${events.length} valid events (${invalid} invalid, dead-lettered), recounting with the shared reducer`);
    const leaves = rt.engine.reduceEventsToLeaves(events);
    const expected = new BatchApplier(rt.pool, rt.engine, config.groupId).rollUp(leaves).deltas;
    const { rows } = await rt.pool.query<{ unit_id: string; period_key: string; dimension: string; metric: string; value: string }>(
      `SELECT unit_id, period_key, dimension, metric, value FROM statistics.unit_counter WHERE value <> 0`,
    );
    // commune rows written before ADR 0403 are never read (a commune reads its one-stop unit's rows): not compared
    const live = rows.filter((r) => rt.engine.storedUnitOf(r.unit_id) === r.unit_id);
    const actual = new Map(live.map((r) => [[r.unit_id, r.period_key, r.dimension, r.metric].join('\u0001'), Number(r.value)]));
    const diffs: string[] = [];
    for (const k of new Set([...expected.keys(), ...actual.keys()])) {
      const e = expected.get(k) ?? 0;
      const a = actual.get(k) ?? 0;
      if (e !== a) diffs.push(`${k.split('\u0001').join(' ')}: live ${a}, recount ${e}`);
    }
    console.log(`reconcile: ${expected.size} recounted cells, ${actual.size} live cells, ${diffs.length} differences`);
    for (const d of diffs.slice(0, 50)) console.log(`  DIFF ${d}`);
    return diffs.length === 0 ? 0 : 1;
  } finally {
    await rt.close();
  }
}

if (require.main === module) runCli('reconcile', reconcile);
