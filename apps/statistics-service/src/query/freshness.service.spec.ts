import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { FreshnessService, type FreshnessOptions } from './freshness.service';

type Offsets = Awaited<ReturnType<Admin['fetchTopicOffsets']>>;

/** A broker that answers with `end` until `pause()`; then its requests never settle (a paused process). */
function broker(end: number) {
  let paused = false;
  let calls = 0;
  const offsets = (): Offsets => [{ partition: 0, offset: String(end), high: String(end), low: '0' }];
  const admin: Pick<Admin, 'fetchTopicOffsets'> = {
    fetchTopicOffsets: () => {
      calls++;
      return paused ? new Promise<Offsets>(() => undefined) : Promise.resolve(offsets());
    },
  };
  return {
    admin,
    calls: () => calls,
    pause: () => (paused = true),
    resume: () => (paused = false),
    setEnd: (n: number) => (end = n),
  };
}

/** Postgres's stored offsets: partition 0 applied up to `next`. */
function storedOffsets(next: number): Pool {
  return {
    query: async () => ({ rows: [{ partition: 0, next_offset: String(next), last_event_at: new Date('2025-11-20T03:00:00Z') }] }),
  } as unknown as Pool;
}

function setup(o: { end: number; next: number } & FreshnessOptions) {
  let t = Date.parse('2025-11-20T03:00:10Z');
  const b = broker(o.end);
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const service = new FreshnessService(storedOffsets(o.next), b.admin, 'topic', 'group', { kafkaWaitMs: 50, now: clock.now, ...o });
  return { service, broker: b, clock };
}

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await p;
  return { value, ms: performance.now() - started };
}

describe(FreshnessService.name, () => {
  it('should answer within the Kafka wait with an unknown lag when the broker never answers', async () => {
    const { service, broker: b } = setup({ end: 10, next: 10 });
    b.pause();
    const { value, ms } = await timed(service.get('redis'));
    expect(ms).toBeLessThan(1000);
    expect(value).toMatchObject({ lastEventAt: '2025-11-20T03:00:00.000Z', consumerLag: null, consumerLagAsOf: null, source: 'redis' });
  });

  it('should give the lag measured now when the broker answers', async () => {
    const { service, clock } = setup({ end: 25, next: 10 });
    const f = await service.get('postgres');
    expect(f).toMatchObject({ consumerLag: 15, consumerLagAsOf: new Date(clock.now()).toISOString(), source: 'postgres', asOf: new Date(clock.now()).toISOString() });
  });

  it('should serve the last known lag with its age while the broker is paused, and null once it is older than maxLagAgeMs', async () => {
    const { service, broker: b, clock } = setup({ end: 12, next: 10, maxLagAgeMs: 30_000 });
    const measuredAt = new Date(clock.now()).toISOString();
    await expect(service.get('redis')).resolves.toMatchObject({ consumerLag: 2, consumerLagAsOf: measuredAt });
    b.pause();
    clock.advance(5000);
    const stale = await timed(service.get('redis'));
    expect(stale.ms).toBeLessThan(1000);
    expect(stale.value).toMatchObject({ consumerLag: 2, consumerLagAsOf: measuredAt, asOf: new Date(clock.now()).toISOString() });
    clock.advance(26_000);
    await expect(service.get('redis')).resolves.toMatchObject({ consumerLag: null, consumerLagAsOf: null, lastEventAt: '2025-11-20T03:00:00.000Z' });
  });

  it('should keep one Kafka request in flight, and not wait again once it has used up the wait', async () => {
    const { service, broker: b, clock } = setup({ end: 10, next: 10, kafkaWaitMs: 200 });
    b.pause();
    const answers = await Promise.all(Array.from({ length: 20 }, () => service.get('redis')));
    expect(answers.every((a) => a.consumerLag === null)).toBe(true);
    clock.advance(3000); // the request has now been hanging for longer than the wait
    const later = await timed(service.get('redis'));
    expect(later.ms).toBeLessThan(100);
    expect(b.calls()).toBe(1);
  });

  it('should give up a request unanswered for abandonMs, and take the lag of the next one', async () => {
    const { service, broker: b, clock } = setup({ end: 30, next: 10, abandonMs: 60_000 });
    b.pause();
    await service.get('redis');
    clock.advance(61_000);
    b.resume();
    await expect(service.get('redis')).resolves.toMatchObject({ consumerLag: 20 });
    expect(b.calls()).toBe(2);
  });

  it('should refresh a lag older than 500 ms in the background and answer the cached one meanwhile', async () => {
    const { service, broker: b, clock } = setup({ end: 10, next: 10 });
    await service.get('redis');
    b.setEnd(14);
    clock.advance(800);
    await expect(service.get('redis')).resolves.toMatchObject({ consumerLag: 0 }); // stale-while-revalidate
    await new Promise((r) => setImmediate(r));
    await expect(service.get('redis')).resolves.toMatchObject({ consumerLag: 4 });
    expect(b.calls()).toBe(2);
  });
});
