import { ManualClock, SystemClock } from './clock';

describe(ManualClock.name, () => {
  it('should only move when told to', () => {
    const c = new ManualClock('2026-11-23T00:00:00Z');
    expect(c.now().toISOString()).toBe('2026-11-23T00:00:00.000Z');
    c.advance(90_000);
    expect(c.now().toISOString()).toBe('2026-11-23T00:01:30.000Z');
    c.set('2027-01-01T00:00:00Z');
    expect(c.now().getUTCFullYear()).toBe(2027);
  });

  it('should follow the system time for SystemClock', () => {
    const before = Date.now();
    expect(new SystemClock().now().getTime()).toBeGreaterThanOrEqual(before);
  });
});
