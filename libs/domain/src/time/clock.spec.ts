import { ManualClock, SystemClock } from './clock';

describe(ManualClock.name, () => {
  it('should move only when told to', () => {
    const clock = new ManualClock('2026-11-24T08:00:00+07:00');
    expect(clock.now().toISOString()).toBe('2026-11-24T01:00:00.000Z');
    clock.advance(90 * 60_000);
    expect(clock.now().toISOString()).toBe('2026-11-24T02:30:00.000Z');
    clock.set('2026-12-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
});

describe(SystemClock.name, () => {
  it('should follow the wall clock', () => {
    const before = Date.now();
    const t = new SystemClock().now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});
