import { EventVariant, eventSchemaV1 } from '../event-schema.util';
import { SCHEMA_DEFINITIONS, rewriteRefs, type JsonSchemaObject } from '../json-schema.util';
import { CONTENT_TYPE_JSON, DLQ_HEADERS, DLQ_TOPICS, HEADERS, TOPICS } from '../kafka-topics.util';
import { personalPayloadFields } from '../public-projection.util';
import { EVENT_DEFINITIONS_V1, EVENT_TYPES_V1, type EventTypeV1 } from '../v1/event-catalog.util';
import { toYaml } from './yaml.util';

/** A generated file: path relative to the workspace root, and its exact content. */
export interface ContractArtifact {
  readonly path: string;
  readonly content: string;
}

export const SCHEMAS_DIR = 'libs/contracts/schemas';
export const PUBLIC_SCHEMAS_DIR = 'libs/contracts/schemas/public';
export const ASYNCAPI_PATH = 'docs/asyncapi.yaml';
export const REGENERATE_COMMAND =
  'UPDATE_CONTRACTS=1 npx jest -c libs/contracts/jest.config.cjs generated';

export function schemaFilePath(type: EventTypeV1, variant: EventVariant): string {
  return variant === EventVariant.Internal
    ? `${SCHEMAS_DIR}/${type}.v1.schema.json`
    : `${PUBLIC_SCHEMAS_DIR}/${type}.v1.schema.json`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

const HEADER_SCHEMA: JsonSchemaObject = {
  type: 'object',
  description: 'Kafka headers of every event message (UTF-8 strings).',
  // `producer` came later: messages written before it lack it
  required: Object.values(HEADERS).filter((h) => h !== HEADERS.Producer),
  properties: {
    [HEADERS.EventId]: { type: 'string', format: 'uuid', description: 'Equals the envelope id.' },
    [HEADERS.EventType]: {
      type: 'string',
      description: 'Equals the envelope type, e.g. DossierReceived.',
    },
    [HEADERS.EventVersion]: {
      type: 'string',
      pattern: '^[1-9][0-9]*$',
      description: 'Major version, e.g. 1.',
    },
    [HEADERS.ContentType]: { type: 'string', const: CONTENT_TYPE_JSON },
    [HEADERS.CorrelationId]: { type: 'string', description: 'Equals the envelope correlationId.' },
    [HEADERS.Producer]: {
      type: 'string',
      description: 'Equals the envelope producer (absent on messages written before 2026-11-25): a consumer can pass over its own events unparsed.',
    },
  },
};

const DLQ_HEADER_SCHEMA: JsonSchemaObject = {
  type: 'object',
  description:
    'Headers of a dead-lettered message: the original headers (when there were any) plus the dlq-* headers.',
  required: Object.values(DLQ_HEADERS),
  properties: {
    ...(HEADER_SCHEMA['properties'] as Record<string, JsonSchemaObject>),
    [DLQ_HEADERS.Reason]: {
      type: 'string',
      description:
        'Why the message was rejected, e.g. "SCHEMA_VIOLATION at $.payload.receivedAt: is required".',
    },
    [DLQ_HEADERS.SourceTopic]: { type: 'string', description: 'Topic the message was read from.' },
    [DLQ_HEADERS.SourcePartition]: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Source partition.',
    },
    [DLQ_HEADERS.SourceOffset]: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Source offset.',
    },
    [DLQ_HEADERS.FailedAt]: {
      type: 'string',
      format: 'date-time',
      description: 'When it was dead-lettered.',
    },
  },
};

/** An envelope schema as an AsyncAPI component: no $schema/$id/definitions, refs into components/schemas. */
function asComponentSchema(schema: JsonSchemaObject): unknown {
  const { $schema: _dialect, $id: _id, definitions: _definitions, ...rest } = schema;
  return rewriteRefs(rest, (ref) => ref.replace('#/definitions/', '#/components/schemas/'));
}

function messageName(type: EventTypeV1, variant: EventVariant): string {
  return variant === EventVariant.Internal ? `${type}V1` : `Public${type}V1`;
}

/** The AsyncAPI 3.0 document as data (what `docs/asyncapi.yaml` holds). */
export function asyncApiDocumentV1(): unknown {
  const variants = [EventVariant.Internal, EventVariant.Public] as const;
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    ...SCHEMA_DEFINITIONS,
    EventHeadersV1: HEADER_SCHEMA,
    DeadLetterHeaders: DLQ_HEADER_SCHEMA,
  };
  for (const variant of variants) {
    for (const type of EVENT_TYPES_V1) {
      const definition = EVENT_DEFINITIONS_V1[type];
      const name = messageName(type, variant);
      schemas[name] = asComponentSchema(eventSchemaV1(type, variant));
      const personal = personalPayloadFields(type);
      messages[name] = {
        name: type,
        title: variant === EventVariant.Internal ? `${type} v1` : `${type} v1 (public)`,
        summary: definition.summary,
        description:
          variant === EventVariant.Internal
            ? `Produced by ${definition.producedBy}. Personal fields: ${personal.length === 0 ? 'none' : personal.join(', ')}.`
            : `Public projection of ${type} (toPublicEvent). Personal fields removed: ${personal.length === 0 ? 'none' : personal.join(', ')}.`,
        contentType: CONTENT_TYPE_JSON,
        headers: { $ref: '#/components/schemas/EventHeadersV1' },
        payload: { $ref: `#/components/schemas/${name}` },
        correlationId: { $ref: '#/components/correlationIds/correlationId' },
        bindings: {
          kafka: { key: { $ref: '#/components/schemas/DossierId' }, bindingVersion: '0.5.0' },
        },
      };
    }
  }
  messages['DeadLetter'] = {
    name: 'DeadLetter',
    title: 'Dead-lettered message',
    summary:
      'A message a consumer could not process, copied unchanged (key, value, headers) with dlq-* headers.',
    contentType: CONTENT_TYPE_JSON,
    headers: { $ref: '#/components/schemas/DeadLetterHeaders' },
    payload: { description: 'The original message value, byte for byte; it may be invalid JSON.' },
  };

  const channelMessages = (variant: EventVariant): Record<string, unknown> =>
    Object.fromEntries(
      EVENT_TYPES_V1.map((type) => [
        type,
        { $ref: `#/components/messages/${messageName(type, variant)}` },
      ]),
    );
  const channelRefs = (channel: string, names: readonly string[]): unknown[] =>
    names.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` }));

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'OneStop Pulse dossier events',
      version: '1.0.0',
      description:
        'Event contract of the one-stop dossier lifecycle (hồ sơ thủ tục hành chính). GENERATED from libs/contracts by `' +
        REGENERATE_COMMAND +
        '`; do not edit by hand. Rules: docs/event-contract.md.',
    },
    defaultContentType: CONTENT_TYPE_JSON,
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'Local broker started by deploy/local (npm run kafka).',
      },
    },
    channels: {
      dossierLifecycleV1: {
        address: TOPICS.DossierLifecycleV1,
        title: 'Dossier lifecycle v1 (internal)',
        description:
          'Every lifecycle event with personal data. Read only by the lifecycle services. Kafka key = dossierId.',
        messages: channelMessages(EventVariant.Internal),
      },
      dossierLifecycleV1Dlq: {
        address: DLQ_TOPICS.DossierLifecycleV1,
        title: 'Dossier lifecycle v1, dead letters',
        description:
          'Messages of the lifecycle topic that a consumer rejected. Contains personal data.',
        messages: { DeadLetter: { $ref: '#/components/messages/DeadLetter' } },
      },
      dossierPublicV1: {
        address: TOPICS.DossierPublicV1,
        title: 'Dossier public projection v1',
        description:
          'The same events without personal data (toPublicEvent), same event ids. Read by the statistics service and the National Portal gateway. Kafka key = dossierId.',
        messages: channelMessages(EventVariant.Public),
      },
      dossierPublicV1Dlq: {
        address: DLQ_TOPICS.DossierPublicV1,
        title: 'Dossier public projection v1, dead letters',
        description: 'Messages of the public topic that a consumer rejected.',
        messages: { DeadLetter: { $ref: '#/components/messages/DeadLetter' } },
      },
    },
    operations: {
      publishLifecycleV1: {
        action: 'send',
        title: 'Publish lifecycle events',
        summary:
          'Lifecycle services publish through their transactional outbox relay (idempotent producer, acks=-1).',
        channel: { $ref: '#/channels/dossierLifecycleV1' },
        messages: channelRefs('dossierLifecycleV1', EVENT_TYPES_V1),
      },
      receiveLifecycleV1: {
        action: 'receive',
        title: 'Consume lifecycle events',
        summary:
          'Lifecycle services and the public projector consume and validate every message (parseEvent).',
        channel: { $ref: '#/channels/dossierLifecycleV1' },
        messages: channelRefs('dossierLifecycleV1', EVENT_TYPES_V1),
      },
      publishPublicV1: {
        action: 'send',
        title: 'Publish the public projection',
        summary: 'The projector publishes toPublicEvent(event) for every lifecycle event.',
        channel: { $ref: '#/channels/dossierPublicV1' },
        messages: channelRefs('dossierPublicV1', EVENT_TYPES_V1),
      },
      receivePublicV1: {
        action: 'receive',
        title: 'Consume the public projection',
        summary:
          'The statistics service and the National Portal gateway validate with parsePublicEvent.',
        channel: { $ref: '#/channels/dossierPublicV1' },
        messages: channelRefs('dossierPublicV1', EVENT_TYPES_V1),
      },
      deadLetterLifecycleV1: {
        action: 'send',
        title: 'Dead-letter a lifecycle message',
        channel: { $ref: '#/channels/dossierLifecycleV1Dlq' },
        messages: channelRefs('dossierLifecycleV1Dlq', ['DeadLetter']),
      },
      deadLetterPublicV1: {
        action: 'send',
        title: 'Dead-letter a public message',
        channel: { $ref: '#/channels/dossierPublicV1Dlq' },
        messages: channelRefs('dossierPublicV1Dlq', ['DeadLetter']),
      },
    },
    components: {
      schemas,
      messages,
      correlationIds: {
        correlationId: {
          description: 'Request or flow id, also in the envelope.',
          location: `$message.header#/${HEADERS.CorrelationId}`,
        },
      },
    },
  };
}

/**
 * Every generated contract file: one JSON Schema per event type and variant, and the AsyncAPI document.
 * Deterministic: the same code always yields byte-identical files (checked by the `generated` spec).
 */
export function generateContractArtifacts(): ContractArtifact[] {
  const artifacts: ContractArtifact[] = [];
  for (const variant of [EventVariant.Internal, EventVariant.Public] as const) {
    for (const type of EVENT_TYPES_V1) {
      artifacts.push({
        path: schemaFilePath(type, variant),
        content: json(eventSchemaV1(type, variant)),
      });
    }
  }
  artifacts.push({
    path: ASYNCAPI_PATH,
    content: `# GENERATED: ${REGENERATE_COMMAND}\n${toYaml(asyncApiDocumentV1())}`,
  });
  return artifacts;
}
