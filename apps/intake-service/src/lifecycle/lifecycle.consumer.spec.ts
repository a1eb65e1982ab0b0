import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import { parseLifecycleMessage } from './lifecycle.consumer';

const fixture = (type: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '../../../../libs/contracts/fixtures/v1', `${type}.json`), 'utf8')) as Record<string, unknown>;

const message = (value: string, headers: Record<string, string> = {}, key?: string): KafkaMessage =>
  ({ key: key === undefined ? null : Buffer.from(key), value: Buffer.from(value), headers, offset: '0', timestamp: '0', attributes: 0, size: 0 }) as unknown as KafkaMessage;

describe(parseLifecycleMessage.name, () => {
  it("should pass over intake's own event by its producer header without reading the value", () => {
    const r = parseLifecycleMessage(message('{ not even JSON', { producer: 'intake-service' }));
    expect(r.ok).toBe(true);
    expect(r.ok && typeof r.event).toBe('symbol');
  });

  it("should recognise intake's own event written before the header existed by the envelope's producer", () => {
    const own: Record<string, unknown> = { ...fixture('DossierReceived'), producer: 'intake-service' };
    const r = parseLifecycleMessage(message(JSON.stringify(own), {}, String(own['key'])));
    expect(r.ok && typeof r.event).toBe('symbol');
  });

  it("should validate another service's event with the contract, whatever its producer header says", () => {
    const transferred = fixture('DossierTransferred');
    const r = parseLifecycleMessage(message(JSON.stringify(transferred), { producer: 'processing-service' }, String(transferred['key'])));
    expect(r.ok && typeof r.event === 'object' && (r.event as { id: string }).id).toBe(transferred['id']);
    const bad = parseLifecycleMessage(message(JSON.stringify({ ...transferred, type: 'Nope' }), { producer: 'processing-service' }, String(transferred['key'])));
    expect(bad.ok).toBe(false);
  });
});
