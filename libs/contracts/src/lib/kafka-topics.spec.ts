import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_TOPICS,
  DLQ_HEADERS,
  HEADERS,
  TOPICS,
  dlqTopicOf,
  readHeader,
  toDlqHeaders,
  toKafkaHeaders,
  toKafkaMessage,
} from './kafka-topics.util';
import { parseEvent } from './parse-event.util';

const event = parseEvent(
  JSON.parse(
    readFileSync(join(__dirname, '../../fixtures/v1/DossierReceived.json'), 'utf8'),
  ) as unknown,
);

describe('topics', () => {
  it('should name the internal and public topics with their major version', () => {
    expect(TOPICS).toEqual({
      DossierLifecycleV1: 'onestop.dossier.lifecycle.v1',
      DossierPublicV1: 'onestop.dossier.public.v1',
    });
    expect(ALL_TOPICS).toEqual([
      'onestop.dossier.lifecycle.v1',
      'onestop.dossier.lifecycle.v1.dlq',
      'onestop.dossier.public.v1',
      'onestop.dossier.public.v1.dlq',
    ]);
  });

  it('should derive the dead-letter twin and refuse a twin of a twin', () => {
    expect(dlqTopicOf(TOPICS.DossierPublicV1)).toBe('onestop.dossier.public.v1.dlq');
    expect(() => dlqTopicOf('onestop.dossier.public.v1.dlq')).toThrow(RangeError);
  });
});

describe('headers', () => {
  it('should put id, type, version, content type, correlation id and producer in the headers', () => {
    expect(toKafkaHeaders(event)).toEqual({
      'event-id': event.id,
      'event-type': 'DossierReceived',
      'event-version': '1',
      'content-type': 'application/json',
      'correlation-id': event.correlationId,
      producer: event.producer,
    });
    expect(Object.values(HEADERS)).toEqual([
      'event-id',
      'event-type',
      'event-version',
      'content-type',
      'correlation-id',
      'producer',
    ]);
  });

  it('should build the Kafka message with the dossier id as key and the envelope as value', () => {
    const message = toKafkaMessage(event);
    expect(message.key).toBe('000.00.15.H56-251117-0042');
    expect(parseEvent(message.value)).toEqual(event);
  });

  it('should build the dead-letter headers', () => {
    expect(
      toDlqHeaders({
        reason: 'SCHEMA_VIOLATION at $.payload.receivedAt: is required',
        sourceTopic: TOPICS.DossierPublicV1,
        sourcePartition: 3,
        sourceOffset: '18446744073709',
        failedAt: new Date('2025-11-23T03:00:00Z'),
      }),
    ).toEqual({
      'dlq-reason': 'SCHEMA_VIOLATION at $.payload.receivedAt: is required',
      'dlq-source-topic': 'onestop.dossier.public.v1',
      'dlq-source-partition': '3',
      'dlq-source-offset': '18446744073709',
      'dlq-failed-at': '2025-11-23T03:00:00.000Z',
    });
    expect(Object.values(DLQ_HEADERS)).toHaveLength(5);
  });

  it('should read header values given as strings, bytes or repeated values', () => {
    const headers = {
      a: 'text',
      b: new TextEncoder().encode('bytes'),
      c: [new TextEncoder().encode('first'), 'second'],
      d: undefined,
    };
    expect(readHeader(headers, 'a')).toBe('text');
    expect(readHeader(headers, 'b')).toBe('bytes');
    expect(readHeader(headers, 'c')).toBe('first');
    expect(readHeader(headers, 'd')).toBeUndefined();
    expect(readHeader(undefined, 'a')).toBeUndefined();
  });
});
