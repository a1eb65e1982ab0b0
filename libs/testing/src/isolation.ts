import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import { Client } from 'pg';
import { createClient } from 'redis';
import { endpointsFromEnv } from './infra';

/** A name unique to this run, safe for Postgres identifiers, Kafka topics and consumer groups. */
export function uniqueName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
  return `${clean}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a fresh Postgres database for one suite (isolation by database: migrations run for real in it). */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const { databaseUrl } = endpointsFromEnv();
  const name = uniqueName(`t_${prefix}`);
  const admin = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(databaseUrl, name),
    drop: async () => {
      const c = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function testKafka(clientId = uniqueName('test')): Kafka {
  const { kafkaBrokers } = endpointsFromEnv();
  return new Kafka({
    clientId,
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100 },
    connectionTimeout: 3000,
  });
}

/** Creates topics unique to a suite and returns their names (same order as the logical names given). */
export async function createTestTopics(
  logicalNames: string[],
  partitions = 3,
): Promise<{ names: string[]; delete: () => Promise<void> }> {
  const kafka = testKafka();
  const admin: Admin = kafka.admin();
  await admin.connect();
  const names = logicalNames.map((n) => uniqueName(n).replace(/_/g, '.'));
  try {
    await createTopicsAndWait(admin, names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })));
  } finally {
    await admin.disconnect();
  }
  return {
    names,
    delete: async () => {
      const a = kafka.admin();
      await a.connect();
      try {
        await a.deleteTopics({ topics: names, timeout: 10_000 });
      } finally {
        await a.disconnect();
      }
    },
  };
}

/**
 * `admin.createTopics` and a wait until every partition has a leader that also waits out the
 * UNKNOWN_TOPIC_OR_PARTITION a just-created topic can answer on a loaded box (kafkajs's `waitForLeaders` gives up
 * on it). The product's twin is `createTopicsAndWait` of @onestop/messaging, whose tests use this library.
 */
export async function createTopicsAndWait(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics });
  const names = topics.map((t) => t.topic);
  await eventually(
    async () => {
      const meta = await admin.fetchTopicMetadata({ topics: names }).catch(() => ({ topics: [] }));
      return meta.topics.length === names.length && meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
    },
    `leaders of ${names.join(', ')}`,
    { timeoutMs },
  );
}

/** Polls `check` until it returns a truthy value or the bounded time runs out (then throws with `what`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  { timeoutMs = 20_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Removes a suite's keys from the shared Redis (everything under its prefix: counters, marker, meta). */
export async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  if (prefix.length === 0) throw new Error('dropRedisKeys needs a non-empty prefix');
  const r = createClient({ url: redisUrl });
  await r.connect();
  try {
    for await (const keys of r.scanIterator({ MATCH: `${prefix}*`, COUNT: 5000 })) if (keys.length > 0) await r.unlink(keys);
  } finally {
    await r.close();
  }
}
