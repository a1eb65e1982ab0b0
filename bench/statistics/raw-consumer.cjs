'use strict';
/**
 * The statistics bench's ceiling: raw kafkajs eachBatch consumption of the backlog topic, in its own process, so
 * that the bench's heap (the generated backlog, held for the exactness check) does not slow it down with
 * garbage-collection work the service never has. Counts messages with a value, nothing else.
 *   node bench/statistics/raw-consumer.cjs <brokers> <topic> <group> <messages> [maxBytesPerPartition]
 * Prints one JSON line: { messages, seconds, rate, cpuSeconds } (cpuSeconds: this process, all threads).
 */
const { Kafka, logLevel } = require('kafkajs');

const [brokers, topic, groupId, countArg, maxBytesArg] = process.argv.slice(2);
const count = Number(countArg);
const kafka = new Kafka({ clientId: 'bench-raw', brokers: brokers.split(','), logLevel: logLevel.NOTHING });

(async () => {
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: Number(maxBytesArg ?? 4 * 1_048_576), maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) if (m.value) n++;
        if (n >= count) resolve();
      },
    });
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await consumer.disconnect();
  process.stdout.write(`${JSON.stringify({ messages: n, seconds, rate: n / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
  process.exit(0);
})().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
