import { CORRELATION_HEADER, CorrelationIdMiddleware, correlationIdFrom } from './observability.module';
import { currentCorrelationId } from './json.logger';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlation id', () => {
  it('should keep an opaque caller id: a UUID, a W3C trace id or traceparent', () => {
    for (const id of ['6f1c2d3e-a1b2-4c3d-8e4f-5a6b7c8d9e0f', '4bf92f3577b34da6a3ce929d0e0e4736', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']) {
      expect(correlationIdFrom(id)).toBe(id);
    }
    expect(correlationIdFrom(['6f1c2d3e-a1b2-4c3d-8e4f-5a6b7c8d9e0f', 'beef'])).toBe('6f1c2d3e-a1b2-4c3d-8e4f-5a6b7c8d9e0f');
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

  it('should replace a bare ID-card or phone number, or one split into groups, by a fresh UUID', () => {
    // black-box round 9: `0912-345-678` and `001-099-012-345` passed as "hexadecimal groups" and were published
    for (const bad of ['0912345678', '001099012345', '84912345678', '0912-345-678', '001-099-012-345', 'ab0912345678', '0912345678ab', '12345678', 'beef']) {
      expect([bad, correlationIdFrom(bad)]).toEqual([bad, expect.stringMatching(UUID)]);
    }
  });

  it('should replace an opaque id whose digits spell a 9+-digit number by a stand-in derived from it: stable, and never the value', () => {
    for (const crafted of ['09123456-7800-4000-8000-0000000000a1', '6f1c2d3e-0000-4000-8000-0000000000a1', '00-4bf92f3577b34da6a3ce929d0e0e4736-001099012345ba02-01']) {
      const id = correlationIdFrom(crafted);
      expect(id).not.toBe(crafted);
      expect(id).toMatch(UUID);
      expect(id.replace(/-/g, '')).not.toMatch(/\d{9}/);
      expect(correlationIdFrom(crafted)).toBe(id); // a retry carries the same id, so correlation still works
    }
    expect(correlationIdFrom('09123456-7800-4000-8000-0000000000a1')).not.toBe(correlationIdFrom('09123456-7800-4000-8000-0000000000a2'));
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
