import '../runtime-aliases';
/**
 * rebuild: truncates the counters, fact sheets, dedup ledger, open-dossier index and stored offsets, resets
 * the group's Kafka offsets to the earliest, clears this service's Redis keys, then re-consumes the topic from
 * offset 0 through the normal pipeline (PG transaction per batch, then Redis) until caught up.
 * STOP THE SERVICE'S CONSUMERS FIRST (the group must be empty; the CLI refuses otherwise).
 *   node -r ./apps/statistics-service/test/support/swc-register.cjs apps/statistics-service/src/cli/rebuild.cli.ts
 */
import { loadStatisticsConfig } from '../config/statistics.config';
import { StatisticsRuntime } from '../statistics.runtime';
import { readHeader } from '@onestop/contracts';
import { DLQ_HEADERS, dlqTopicFor } from '@onestop/messaging';
import { checkNoArgs } from './cli-args';
import { readTopicFromStart } from './log-stream.cli';
import { FAILURE_USAGE, checkKafka, checkPostgres, checkRedis, cliKafka, runCli, splitVerbose } from './cli-failure';

export const REBUILD_USAGE = `rebuild: recount the statistics from the public topic (offset 0) through the normal pipeline.
  node -r ./apps/statistics-service/test/support/swc-register.cjs apps/statistics-service/src/cli/rebuild.cli.ts
Truncates the statistics tables and this service's Redis keys first: stop every consuming statistics-service process.
No argument; settings from the environment (DATABASE_URL, KAFKA_BROKERS, REDIS_URL, STATS_TOPIC, STATS_GROUP_ID,
STATS_REDIS_PREFIX). Exit 0 done, 1 refused (a consumer group of this database has members, or the topic does not
exist; nothing changed), 2 failed, 64 usage error.
Option: --verbose (or DEBUG=1).
${FAILURE_USAGE}`;

export async function rebuild(argv: readonly string[] = []): Promise<number> {
  const { verbose, args } = splitVerbose(argv);
  const usage = checkNoArgs(args, REBUILD_USAGE);
  if (usage !== null) return usage;
  const config = { ...loadStatisticsConfig(), faultPoint: undefined };
  // checked first, each in a few seconds, so that a wrong DATABASE_URL / KAFKA_BROKERS / REDIS_URL is one clear line
  await checkPostgres(config.database.url);
  await checkRedis(config.redis.url);
  const kafka = cliKafka(config.kafka.brokers, config.kafka.clientId, verbose);
  await checkKafka(kafka, config.kafka.brokers);
  const rt = await StatisticsRuntime.open(config, (e) => {
    if (e['level'] === 'warn' || e['level'] === 'error') console.log(JSON.stringify(e));
  });
  try {
    const admin = await rt.kafkaAdmin();
    // every group that has stored offsets in this database, not only STATS_GROUP_ID: a service consuming into it under
    // another group id (a mistyped or changed STATS_GROUP_ID here) would otherwise keep writing into truncated tables
    const { rows: stored } = await rt.pool.query<{ consumer_group: string }>(`SELECT DISTINCT consumer_group FROM statistics.consumer_offset`);
    const groupIds = [...new Set([config.groupId, ...stored.map((r) => r.consumer_group)])];
    for (const group of (await admin.describeGroups(groupIds)).groups) {
      if (group.members.length > 0) {
        console.error(`rebuild: consumer group ${group.groupId} has ${group.members.length} active member(s); stop the service first`);
        return 1;
      }
    }
    // the topic is the only source of the recount: a mistyped STATS_TOPIC must not truncate everything and then fail
    if (!(await admin.listTopics()).includes(config.topic)) {
      console.error(`rebuild: topic ${config.topic} does not exist on the broker (STATS_TOPIC); nothing changed`);
      return 1;
    }
    // the recount re-reads every poison message of the topic: those this group dead-lettered before stay in the DLQ once
    const alreadyDeadLettered = new Set<string>();
    const dlq = dlqTopicFor(config.topic);
    if ((await admin.listTopics()).includes(dlq)) {
      await readTopicFromStart(rt.kafka, dlq, (_value, m) => {
        if (readHeader(m.headers, DLQ_HEADERS.consumerGroup) !== config.groupId) return; // another consumer group's letter
        alreadyDeadLettered.add([DLQ_HEADERS.sourceTopic, DLQ_HEADERS.sourcePartition, DLQ_HEADERS.sourceOffset].map((h) => readHeader(m.headers, h)).join('/'));
      }, () => undefined);
      console.log(`rebuild: ${alreadyDeadLettered.size} message(s) already dead-lettered by ${config.groupId} in ${dlq}: not written there again`);
    }
    console.log('rebuild: truncating statistics tables');
    await rt.pool.query(`TRUNCATE statistics.processed_event, statistics.dossier_facts, statistics.unit_cell, statistics.open_dossier, statistics.unit_edge`);
    await rt.pool.query(`DELETE FROM statistics.consumer_offset WHERE consumer_group = $1 AND topic = $2`, [config.groupId, config.topic]);
    await admin.resetOffsets({ groupId: config.groupId, topic: config.topic, earliest: true }).catch(() => undefined);
    let removed = 0;
    for await (const keys of rt.cache.client.scanIterator({ MATCH: `${config.redisPrefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) removed += await rt.cache.client.unlink(keys);
    }
    console.log(`rebuild: removed ${removed} redis keys; re-consuming ${config.topic} from offset 0`);
    const ends = await admin.fetchTopicOffsets(config.topic);
    const total = ends.reduce((s, p) => s + Number(p.high), 0);
    const started = Date.now();
    await rt.startConsumer(undefined, undefined, undefined, alreadyDeadLettered);
    for (;;) {
      const { rows } = await rt.pool.query<{ n: string }>(`SELECT coalesce(sum(next_offset),0) AS n FROM statistics.consumer_offset WHERE consumer_group = $1 AND topic = $2`, [config.groupId, config.topic]);
      const done = Number(rows[0]?.n ?? 0);
      const s = (Date.now() - started) / 1000;
      console.log(`  ${done}/${total} messages (${Math.round(done / Math.max(s, 0.001))}/s)`);
      if (done >= total) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await rt.cache.rebuildFromPostgres(rt.pool);
    console.log(`rebuild: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await rt.close();
  }
}

if (require.main === module) runCli('rebuild', rebuild);
