import { CORRELATION_HEADER, CorrelationIdMiddleware, correlationIdFrom } from './observability.module';
import { currentCorrelationId } from './json.logger';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlation id', () => {
  it('should keep an opaque caller id: a UUID, a W3C trace id or traceparent', () => {
    for (const id of ['6f1c2d3e-0000-4000-8000-0000000000a1', '4bf92f3577b34da6a3ce929d0e0e4736', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']) {
      expect(correlationIdFrom(id)).toBe(id);
    }
    expect(correlationIdFrom(['6f1c2d3e-0000-4000-8000-0000000000a1', 'beef'])).toBe('6f1c2d3e-0000-4000-8000-0000000000a1');
  });

  // black-box round 8: `Le-Thi-Hoa-0903110028-001199001028` was published on the public envelope as it came
  it('should replace an id holding words or an ID-card / phone number (it reaches the public envelope) by a fresh UUID', () => {
    for (const bad of ['Le-Thi-Hoa-0903110028-001199001028', 'Nguyen.Thi.Lan_CCCD_001099012345', 'portal-2026/abc_1.2:x', 'req-0912345678', 'corr-direct-1', '6f1c2d3e-0000-4000-8000-001099012345']) {
      expect([bad, correlationIdFrom(bad)]).toEqual([bad, expect.stringMatching(UUID)]);
    }
  });

  it('should replace markup, spaces, control characters, an empty or over-long id by a fresh UUID', () => {
    for (const bad of ['<script>alert(1)</script>', 'a b', 'line\nbreak', '', 'x'.repeat(101), 'Nguyễn']) {
      const id = correlationIdFrom(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(UUID);
    }
    expect(correlationIdFrom(undefined)).toMatch(UUID);
  });

  it('should replace a bare ID-card or phone number (9–15 digits: it reaches the public envelope) by a fresh UUID', () => {
    for (const bad of ['0912345678', '001099012345', '84912345678']) expect(correlationIdFrom(bad)).toMatch(UUID);
    expect(correlationIdFrom('12345678')).toBe('12345678'); // 8 digits: hexadecimal, no personal number's length
  });

  it('should echo the id it chose and bind it to the request context', () => {
    const headers: Record<string, string> = {};
    let seen: string | undefined;
    new CorrelationIdMiddleware().use(
      { headers: { [CORRELATION_HEADER]: 'x'.repeat(5000) } },
      { setHeader: (n, v) => (headers[n] = v) },
      () => (seen = currentCorrelationId()),
    );
    expect(headers[CORRELATION_HEADER]).toMatch(UUID);
    expect(seen).toBe(headers[CORRELATION_HEADER]);
  });
});
