import { createEvent } from './create-event.util';
import { EventValidationException } from './event-validation.exception';
import { parseEvent } from './parse-event.util';
import { toVnIsoString } from './timestamp.util';
import type { DossierRatedPayloadV1 } from './v1';

const payload: DossierRatedPayloadV1 = {
  dossierId: '000.00.15.H56-251117-0042',
  receivingUnitId: '000.00.15.H56',
  procedureCode: '1.009994',
  ratedAt: '2025-12-17T09:20:41+07:00',
  rating: 'VERY_SATISFIED',
};
const meta = { producer: 'result-service', correlationId: 'req-7f3a' };

describe('createEvent', () => {
  it('should build a valid v1 envelope keyed by the dossier id', () => {
    const event = createEvent('DossierRated', payload, {
      ...meta,
      occurredAt: '2025-12-17T09:20:41+07:00',
    });
    expect(event).toEqual({
      id: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      type: 'DossierRated',
      version: 1,
      occurredAt: '2025-12-17T09:20:41+07:00',
      producer: 'result-service',
      correlationId: 'req-7f3a',
      key: payload.dossierId,
      payload,
    });
    expect(parseEvent(event)).toBe(event);
  });

  it('should give every event a fresh id unless one is given', () => {
    const a = createEvent('DossierRated', payload, meta);
    const b = createEvent('DossierRated', payload, meta);
    expect(a.id).not.toBe(b.id);
    const fixed = '6f1c9a43-2b7d-4e8a-9c1f-0a2b3c4d5e6f';
    expect(createEvent('DossierRated', payload, { ...meta, id: fixed }).id).toBe(fixed);
  });

  it('should stamp occurredAt in Vietnam time from the clock when none is given', () => {
    const now = Date.parse('2025-12-17T02:20:41.500Z');
    const event = createEvent('DossierRated', payload, meta, { now: () => now });
    expect(event.occurredAt).toBe('2025-12-17T09:20:41.500+07:00');
    expect(
      createEvent('DossierRated', payload, { ...meta, occurredAt: new Date(now) }).occurredAt,
    ).toBe(toVnIsoString(now));
  });

  it('should copy optional envelope fields only when given', () => {
    const event = createEvent('DossierRated', payload, {
      ...meta,
      causationId: 'evt-1',
      imported: true,
    });
    expect(event.causationId).toBe('evt-1');
    expect(event.imported).toBe(true);
    expect('causationId' in createEvent('DossierRated', payload, meta)).toBe(false);
  });

  it('should throw EventValidationException when the payload breaks the contract', () => {
    const bad = { ...payload, rating: 'MEH' } as unknown as DossierRatedPayloadV1;
    expect(() => createEvent('DossierRated', bad, meta)).toThrow(EventValidationException);
    expect(createEvent('DossierRated', bad, meta, { validate: false }).payload.rating).toBe('MEH');
  });
});

describe('toVnIsoString', () => {
  it('should write the instant in UTC+07:00 across a day boundary', () => {
    expect(toVnIsoString(Date.parse('2025-12-31T17:30:00Z'))).toBe('2026-01-01T00:30:00.000+07:00');
  });
});
