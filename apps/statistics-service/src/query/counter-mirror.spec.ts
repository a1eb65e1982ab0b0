import { CounterMirror } from './counter-mirror';

const K = CounterMirror.key('01', 'M2026-11');
const msg = (rows: { u: string; p: string; m: string; v: number; n?: number }[]) => JSON.stringify({ rows: rows.map((r) => ({ a: [], ...r })), lastEventAt: null, committedAt: '' });

describe('CounterMirror', () => {
  let now = 1_000_000;
  const mirror = () => {
    const m = new CounterMirror({ freshMs: 1000, maxAgeMs: 2000, maxCells: 10, maxMessageChars: 2000, now: () => now });
    m.setLive(true);
    return m;
  };
  const filled = (hash: Record<string, string>) => {
    const m = mirror();
    const fill = m.beginFill([K])!;
    m.completeFill(fill, [hash], now);
    return m;
  };

  it('should answer a filled cell from memory, without the version fields', () => {
    expect(filled({ received: '5', 'received#v': '3' }).lookup([K], [])).toEqual([{ received: 5 }]);
  });

  it('should not answer a cell it never read', () => {
    expect(mirror().lookup([K], [])).toBeUndefined();
  });

  it('should apply a change with a newer version and ignore an older one', () => {
    const m = filled({ received: '5', 'received#v': '3' });
    m.onMessage(msg([{ u: '01', p: 'M2026-11', m: 'received', v: 7, n: 4 }]));
    expect(m.lookup([K], [])).toEqual([{ received: 7 }]);
    m.onMessage(msg([{ u: '01', p: 'M2026-11', m: 'received', v: 6, n: 2 }]));
    expect(m.lookup([K], [])).toEqual([{ received: 7 }]);
  });

  it('should keep a change that arrives while the first read is in flight, when the read is older', () => {
    const m = mirror();
    const fill = m.beginFill([K])!;
    m.onMessage(msg([{ u: '01', p: 'M2026-11', m: 'received', v: 9, n: 5 }, { u: '01', p: 'M2026-11', m: 'resolved', v: 1, n: 1 }]));
    expect(m.lookup([K], [])).toBeUndefined(); // not usable before its read completes
    m.completeFill(fill, [{ received: '8', 'received#v': '4', paidOnline: '2', 'paidOnline#v': '2' }], now);
    expect(m.lookup([K], [])).toEqual([{ received: 9, resolved: 1, paidOnline: 2 }]);
  });

  it('should flag a cell for a background re-read after freshMs and stop using it after maxAgeMs', () => {
    const m = filled({ received: '5', 'received#v': '3' });
    now += 1500;
    const stale: string[] = [];
    expect(m.lookup([K], stale)).toEqual([{ received: 5 }]);
    expect(stale).toEqual([K]);
    now += 600;
    expect(m.lookup([K], [])).toBeUndefined();
  });

  it('should forget everything when the subscription drops, and drop a fill that started before', () => {
    const m = filled({ received: '5', 'received#v': '3' });
    const fill = m.beginFill([CounterMirror.key('79', 'M2026-11')])!;
    m.setLive(false);
    expect(m.lookup([K], [])).toBeUndefined();
    m.setLive(true);
    m.completeFill(fill, [{ received: '1', 'received#v': '1' }], now);
    expect(m.lookup([CounterMirror.key('79', 'M2026-11')], [])).toBeUndefined();
    expect(m.size).toBe(0);
  });

  it('should clear itself on a message too long to parse, a malformed one, or one without row versions', () => {
    for (const raw of ['x'.repeat(2001), '{not json', msg([{ u: '01', p: 'M2026-11', m: 'received', v: 7 }])]) {
      const m = filled({ received: '5', 'received#v': '3' });
      m.onMessage(raw);
      expect(m.lookup([K], [])).toBeUndefined();
    }
  });

  it('should start over when it would hold more than maxCells', () => {
    const m = filled({ received: '5', 'received#v': '3' });
    m.beginFill(Array.from({ length: 10 }, (_, i) => CounterMirror.key(`u${i}`, 'M2026-11')));
    expect(m.lookup([K], [])).toBeUndefined();
  });

  it('should drop the entries of a fill that could not read Redis', () => {
    const m = mirror();
    m.abandonFill(m.beginFill([K])!);
    expect(m.size).toBe(0);
  });
});
