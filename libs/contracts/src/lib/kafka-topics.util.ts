import type { EventEnvelope } from './event-envelope.event';

/**
 * Kafka topics `<domain>.<entity>.<event-family>.v<major>` (docs/event-contract.md). Key = dossierId.
 * - lifecycle: the internal topic; carries personal data; read only by the lifecycle services.
 * - public: the projection without personal data; read by the statistics service and the National Portal.
 */
export const TOPICS = {
  DossierLifecycleV1: 'onestop.dossier.lifecycle.v1',
  DossierPublicV1: 'onestop.dossier.public.v1',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const DLQ_SUFFIX = '.dlq';

/** The dead-letter twin of a topic: `<topic>.dlq`. */
export function dlqTopicOf(topic: string): string {
  if (topic.endsWith(DLQ_SUFFIX)) throw new RangeError(`${topic} is already a dead-letter topic`);
  return `${topic}${DLQ_SUFFIX}`;
}

export const DLQ_TOPICS = {
  DossierLifecycleV1: dlqTopicOf(TOPICS.DossierLifecycleV1),
  DossierPublicV1: dlqTopicOf(TOPICS.DossierPublicV1),
} as const;

/** Every topic of the contract, dead-letter twins included (for topic provisioning). */
export const ALL_TOPICS: readonly string[] = [
  TOPICS.DossierLifecycleV1,
  DLQ_TOPICS.DossierLifecycleV1,
  TOPICS.DossierPublicV1,
  DLQ_TOPICS.DossierPublicV1,
];

/** Kafka headers of every event message. */
export const HEADERS = {
  EventId: 'event-id',
  EventType: 'event-type',
  EventVersion: 'event-version',
  ContentType: 'content-type',
  CorrelationId: 'correlation-id',
  /**
   * Envelope `producer` (since 2026-11-25; messages written before lack it): lets a consumer pass over its own
   * service's events without parsing the value.
   */
  Producer: 'producer',
} as const;
export type HeaderName = (typeof HEADERS)[keyof typeof HEADERS];

export const CONTENT_TYPE_JSON = 'application/json';

/**
 * Extra headers on a dead-lettered message (the original headers, key and value are kept unchanged).
 */
export const DLQ_HEADERS = {
  Reason: 'dlq-reason',
  SourceTopic: 'dlq-source-topic',
  SourcePartition: 'dlq-source-partition',
  SourceOffset: 'dlq-source-offset',
  FailedAt: 'dlq-failed-at',
} as const;
export type DlqHeaderName = (typeof DLQ_HEADERS)[keyof typeof DLQ_HEADERS];

type AnyEnvelope = Pick<EventEnvelope, 'id' | 'type' | 'version' | 'correlationId' | 'producer'>;

/** The Kafka headers of an event (string values). */
export function toKafkaHeaders(envelope: AnyEnvelope): Record<HeaderName, string> {
  return {
    [HEADERS.EventId]: envelope.id,
    [HEADERS.EventType]: envelope.type,
    [HEADERS.EventVersion]: String(envelope.version),
    [HEADERS.ContentType]: CONTENT_TYPE_JSON,
    [HEADERS.CorrelationId]: envelope.correlationId,
    [HEADERS.Producer]: envelope.producer,
  };
}

export interface KafkaEventMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<HeaderName, string>;
}

/** The Kafka message for an event: key = dossierId, value = the envelope as JSON, the event headers. */
export function toKafkaMessage(envelope: EventEnvelope): KafkaEventMessage {
  return { key: envelope.key, value: JSON.stringify(envelope), headers: toKafkaHeaders(envelope) };
}

export interface DeadLetterInfo {
  readonly reason: string;
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  /** Kafka offsets are int64: pass the string kafkajs gives. */
  readonly sourceOffset: string;
  readonly failedAt: Date | string;
}

/** The `dlq-*` headers for a message that is being dead-lettered. */
export function toDlqHeaders(info: DeadLetterInfo): Record<DlqHeaderName, string> {
  return {
    [DLQ_HEADERS.Reason]: info.reason,
    [DLQ_HEADERS.SourceTopic]: info.sourceTopic,
    [DLQ_HEADERS.SourcePartition]: String(info.sourcePartition),
    [DLQ_HEADERS.SourceOffset]: info.sourceOffset,
    [DLQ_HEADERS.FailedAt]:
      typeof info.failedAt === 'string' ? info.failedAt : info.failedAt.toISOString(),
  };
}

/** A header value as kafkajs delivers it. */
export type RawHeaderValue = string | Uint8Array | readonly (string | Uint8Array)[] | undefined;

/** Reads one header as a string (first value when repeated; bytes decoded as UTF-8). */
export function readHeader(
  headers: Readonly<Record<string, RawHeaderValue>> | undefined,
  name: string,
): string | undefined {
  const raw = headers?.[name];
  const first = Array.isArray(raw)
    ? (raw as readonly (string | Uint8Array)[])[0]
    : (raw as string | Uint8Array | undefined);
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : new TextDecoder().decode(first);
}
