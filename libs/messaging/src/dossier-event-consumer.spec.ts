import type { KafkaMessage } from 'kafkajs';
import { dossierCode, receivedEvent } from '@onestop/testing';
import { handOver, parseDossierEvent, PASSED_OVER } from './dossier-event-consumer';
import { PoisonEventException } from './event-consumer';

const message = (key: string | null, value: unknown): KafkaMessage =>
  ({ key: key === null ? null : Buffer.from(key), value: Buffer.from(JSON.stringify(value)), headers: {}, offset: '0', timestamp: '0' }) as unknown as KafkaMessage;

describe('parseDossierEvent', () => {
  const event = receivedEvent({ dossierId: dossierCode(), unitId: '000.00.15.H56', receivedAt: new Date('2026-03-02T02:00:00Z'), dueAt: null });

  it('should take a valid event keyed by its dossier id, or without a key', () => {
    expect(parseDossierEvent(message(event.key, event))).toMatchObject({ ok: true, event: { id: event.id } });
    expect(parseDossierEvent(message(null, event))).toMatchObject({ ok: true });
  });

  it('should refuse a valid event whose Kafka key is another dossier id (it can overtake its dossier on another partition)', () => {
    const r = parseDossierEvent(message(dossierCode(), event));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^KEY_MISMATCH: \$\.key .*payload\.dossierId/);
  });

  it('should name the contract violation of an invalid event', () => {
    const r = parseDossierEvent(message(event.key, { ...event, type: 'DossierTeleported' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/type/);
  });
});

describe('handOver (events passed over by their producer header)', () => {
  const ev = (n: number) => receivedEvent({ dossierId: dossierCode(), unitId: '000.00.15.H56', receivedAt: new Date(Date.UTC(2026, 2, n)), dueAt: null });

  it('should hand over only the events that were not passed over, in order, and nothing when all were', async () => {
    const [a, b] = [ev(2), ev(3)];
    const calls: string[][] = [];
    await handOver([PASSED_OVER, a, PASSED_OVER, b], async (events) => void calls.push(events.map((e) => e.id)));
    await handOver([PASSED_OVER, PASSED_OVER], async (events) => void calls.push(events.map((e) => e.id)));
    expect(calls).toEqual([[a.id, b.id]]);
  });

  it("should map a poison index among the handed events back to the batch's index (the right message is dead-lettered)", async () => {
    const [a, b] = [ev(2), ev(3)];
    const thrown = await handOver([PASSED_OVER, a, PASSED_OVER, b], async () => {
      throw new PoisonEventException(1, 'b cannot be applied');
    }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(PoisonEventException);
    expect((thrown as PoisonEventException).index).toBe(3);
    expect((thrown as PoisonEventException).message).toBe('b cannot be applied');
    const other = await handOver([a], async () => {
      throw new Error('database down');
    }).catch((e: unknown) => e);
    expect(other).toEqual(new Error('database down'));
  });
});
