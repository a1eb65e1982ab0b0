import { loadStatisticsConfig } from './statistics.config';

describe('loadStatisticsConfig: fetch batching of a caught-up consumer (ADR 0405)', () => {
  it('should wait for 64 KB or 50 ms by default, and take both from the environment', () => {
    const defaults = loadStatisticsConfig({});
    expect(defaults.minBytes).toBe(65_536);
    expect(defaults.maxWaitTimeMs).toBe(50);
    const quiet = loadStatisticsConfig({ STATS_FETCH_MIN_BYTES: '1', STATS_MAX_WAIT_MS: '10' });
    expect(quiet.minBytes).toBe(1);
    expect(quiet.maxWaitTimeMs).toBe(10);
  });

  it('should refuse a min bytes of 0 with the variable named', () => {
    expect(() => loadStatisticsConfig({ STATS_FETCH_MIN_BYTES: '0' })).toThrow(/STATS_FETCH_MIN_BYTES/);
  });
});

describe('loadStatisticsConfig: consumer threads (ADR 0409)', () => {
  it('should run one consumer thread by default and take the count from STATS_CONSUMER_THREADS', () => {
    expect(loadStatisticsConfig({}).consumerThreads).toBe(1);
    expect(loadStatisticsConfig({ STATS_CONSUMER_THREADS: '2' }).consumerThreads).toBe(2);
  });

  it('should refuse 0 or a non-number with the variable named', () => {
    expect(() => loadStatisticsConfig({ STATS_CONSUMER_THREADS: '0' })).toThrow(/STATS_CONSUMER_THREADS/);
    expect(() => loadStatisticsConfig({ STATS_CONSUMER_THREADS: 'two' })).toThrow(/STATS_CONSUMER_THREADS/);
  });
});

describe('loadStatisticsConfig: retention of the dedup ledger (ADR 0413)', () => {
  it('should keep event ids 90 days and prune hourly by default, and take both from the environment', () => {
    const defaults = loadStatisticsConfig({});
    expect(defaults.dedupRetentionDays).toBe(90);
    expect(defaults.dedupPruneEveryMinutes).toBe(60);
    expect(defaults.dedupPruneFirstDelayMs).toBe(60_000);
    const set = loadStatisticsConfig({ STATS_DEDUP_RETENTION_DAYS: '0', STATS_DEDUP_PRUNE_EVERY_MINUTES: '5', STATS_DEDUP_PRUNE_FIRST_DELAY_MS: '0' });
    expect(set).toMatchObject({ dedupRetentionDays: 0, dedupPruneEveryMinutes: 5, dedupPruneFirstDelayMs: 0 });
  });

  it('should refuse a negative retention or a zero interval with the variable named', () => {
    expect(() => loadStatisticsConfig({ STATS_DEDUP_RETENTION_DAYS: '-1' })).toThrow(/STATS_DEDUP_RETENTION_DAYS/);
    expect(() => loadStatisticsConfig({ STATS_DEDUP_PRUNE_EVERY_MINUTES: '0' })).toThrow(/STATS_DEDUP_PRUNE_EVERY_MINUTES/);
  });
});

describe('loadStatisticsConfig: live feed heartbeat (ADR 0414)', () => {
  it('should send a heartbeat every 15 s by default, take the interval from STATS_SSE_HEARTBEAT_SECONDS and accept 0 (none)', () => {
    expect(loadStatisticsConfig({}).sseHeartbeatSeconds).toBe(15);
    expect(loadStatisticsConfig({ STATS_SSE_HEARTBEAT_SECONDS: '1' }).sseHeartbeatSeconds).toBe(1);
    expect(loadStatisticsConfig({ STATS_SSE_HEARTBEAT_SECONDS: '0' }).sseHeartbeatSeconds).toBe(0);
  });

  it('should refuse a negative, fractional, too long or non-numeric interval with the variable named', () => {
    for (const bad of ['-1', '1.5', '301', 'fast']) {
      expect(() => loadStatisticsConfig({ STATS_SSE_HEARTBEAT_SECONDS: bad })).toThrow(/STATS_SSE_HEARTBEAT_SECONDS/);
    }
  });
});
