import type { KafkaMessage } from 'kafkajs';
import { dossierCode, receivedEvent } from '@onestop/testing';
import { parseDossierEvent } from './dossier-event-consumer';

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
