import { type StatisticsRuntime } from '../statistics.runtime';

/** What `/health/ready` says of the consumer (and, in short, every live-feed heartbeat: ADR 0414 amendment). */
export interface ConsumerHealth {
  enabled: boolean;
  state?: string;
  brokerReachable?: boolean;
  lastFetchAt?: string | null;
  lastBatchAt?: string | null;
  replacements?: number;
  lastCrash?: unknown;
  /** The broker is unreachable or the consumer is not a member of its group: counters have stopped moving. */
  degraded?: boolean;
  threads?: unknown[];
}

/** The consumer threads' status, summed up. */
export function consumerHealth(runtime: Pick<StatisticsRuntime, 'config' | 'consumerStatus'>): ConsumerHealth {
  if (!runtime.config.consumerEnabled) return { enabled: false };
  const all = runtime.consumerStatus();
  if (all.length === 0) return { enabled: true, state: 'starting', brokerReachable: false, lastFetchAt: null, lastBatchAt: null, replacements: 0, lastCrash: null, degraded: true };
  const newest = (k: 'lastFetchAt' | 'lastBatchAt') => all.map((s) => s[k]).filter((v): v is string => v !== null).sort().pop() ?? null;
  const states = [...new Set(all.map((s) => s.state))];
  const brokerReachable = all.every((s) => s.brokerReachable);
  return {
    enabled: true,
    state: states.length === 1 ? states[0] : states.join(','),
    brokerReachable,
    lastFetchAt: newest('lastFetchAt'),
    lastBatchAt: newest('lastBatchAt'),
    // kafkajs gave up and its consumer was replaced (ADR 0004): how often, and what it said last
    replacements: all.reduce((n, s) => n + s.replacements, 0),
    lastCrash: all.map((s) => s.lastCrash).filter((c) => c !== null).sort((a, b) => a.at.localeCompare(b.at)).pop() ?? null,
    // not a member of the group (restarting, or a join refused) is degraded too, even with the broker answering
    degraded: !brokerReachable || all.some((s) => s.state !== 'running'),
    ...(all.length > 1 ? { threads: all } : {}),
  };
}

/** The part of the consumer's health a live-feed heartbeat carries: is this service still taking in events? */
export interface LiveIngest {
  degraded: boolean;
  state: string;
  brokerReachable: boolean;
  /** The last fetch the broker answered (null: none since the start). */
  lastFetchAt: string | null;
}

export function liveIngest(runtime: Pick<StatisticsRuntime, 'config' | 'consumerStatus'>): LiveIngest | undefined {
  const h = consumerHealth(runtime);
  if (!h.enabled) return undefined; // a query-only replica: its heartbeats say nothing of ingest
  return { degraded: h.degraded === true, state: h.state ?? 'starting', brokerReachable: h.brokerReachable === true, lastFetchAt: h.lastFetchAt ?? null };
}
