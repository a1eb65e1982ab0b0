import { FieldClass, type ClassificationOf } from './field-classification.util';
import { object, ref, type JsonSchemaObject } from './json-schema.util';

/** ISO-8601 date-time string with an explicit offset, e.g. `2025-11-23T09:30:00+07:00`. */
export type IsoDateTime = string;

/**
 * The envelope every event travels in (docs/event-contract.md). The Kafka message value is this object as
 * JSON; the Kafka key is `key` (= `payload.dossierId`, so one dossier's events stay in one partition).
 */
export interface EventEnvelope<
  TType extends string = string,
  TPayload = unknown,
  TVersion extends number = 1,
> {
  /** Unique event id (UUID); consumers deduplicate on it. */
  readonly id: string;
  /** Event type, e.g. `DossierReceived`. */
  readonly type: TType;
  /** Major version of the contract of this type. */
  readonly version: TVersion;
  /** When the fact happened (business time), with offset. */
  readonly occurredAt: IsoDateTime;
  /** Name of the producing service, e.g. `intake-service`. */
  readonly producer: string;
  /** Id of the request or flow this event belongs to. */
  readonly correlationId: string;
  /** Id of the event or command that caused this one. */
  readonly causationId?: string;
  /** Partition key = `payload.dossierId`. */
  readonly key: string;
  /** True for events produced by a historical import rather than live operation. */
  readonly imported?: boolean;
  readonly payload: TPayload;
}

/** Fields every v1 payload carries. */
export interface DossierPayloadBaseV1 {
  /** Dossier code (mã hồ sơ) `{unitCode}-{yyMMdd}-{NNNN}`. */
  readonly dossierId: string;
  /** Code of the one-stop unit (bộ phận một cửa) that received the dossier. */
  readonly receivingUnitId: string;
  /** Procedure code (mã TTHC). */
  readonly procedureCode: string;
}

const BASE_PAYLOAD_PROPERTIES_V1 = {
  dossierId: ref('DossierId'),
  receivingUnitId: ref('UnitCode', 'Code of the receiving one-stop unit (bộ phận một cửa).'),
  procedureCode: ref('ProcedureCode'),
} as const;

const BASE_PAYLOAD_CLASSIFICATION_V1: ClassificationOf<DossierPayloadBaseV1> = {
  dossierId: FieldClass.Public,
  receivingUnitId: FieldClass.Public,
  procedureCode: FieldClass.Public,
};

type OwnKeys<T> = Exclude<keyof T, keyof DossierPayloadBaseV1>;
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/**
 * The definition of one event type at major version 1: its JSON Schema, its personal-data classification and
 * documentation. `TPayload` is what the internal topic carries; `TPublicPayload` what the public one carries.
 */
export interface EventDefinitionV1<TType extends string, TPayload, TPublicPayload> {
  readonly type: TType;
  readonly version: 1;
  /** One line for the docs and the AsyncAPI message summary. */
  readonly summary: string;
  /** The service that normally produces it. */
  readonly producedBy: string;
  /** JSON Schema of the payload (base fields included). */
  readonly payloadSchema: JsonSchemaObject;
  /** Personal-data classification of every payload field. */
  readonly classification: ClassificationOf<TPayload>;
  /** Type guard on an envelope's `type`. */
  readonly is: (event: { readonly type: string }) => event is EventEnvelope<TType, TPayload>;
  /** Phantom field carrying the payload types; always undefined at runtime. */
  readonly types?: { readonly payload: TPayload; readonly publicPayload: TPublicPayload };
}

/**
 * Declares a v1 event type. The compiler checks that every own payload field has a schema and a
 * classification; `optional` names the fields that may be absent (all others are required, possibly null).
 */
export function defineEventV1<TPayload extends DossierPayloadBaseV1, TPublicPayload = TPayload>() {
  return <TType extends string>(spec: {
    readonly type: TType;
    readonly summary: string;
    readonly producedBy: string;
    readonly properties: { readonly [K in OwnKeys<TPayload>]-?: JsonSchemaObject };
    readonly optional: readonly OptionalKeys<TPayload>[];
    readonly classification: Omit<ClassificationOf<TPayload>, keyof DossierPayloadBaseV1>;
  }): EventDefinitionV1<TType, TPayload, TPublicPayload> => {
    const properties: Record<string, JsonSchemaObject> = {
      ...BASE_PAYLOAD_PROPERTIES_V1,
      ...(spec.properties as Record<string, JsonSchemaObject>),
    };
    const optional = new Set<string>(spec.optional as readonly string[]);
    const required = Object.keys(properties).filter((key) => !optional.has(key));
    return {
      type: spec.type,
      version: 1,
      summary: spec.summary,
      producedBy: spec.producedBy,
      payloadSchema: object(properties, required, spec.summary),
      classification: {
        ...BASE_PAYLOAD_CLASSIFICATION_V1,
        ...spec.classification,
      } as ClassificationOf<TPayload>,
      is: (event: { readonly type: string }): event is EventEnvelope<TType, TPayload> =>
        event.type === spec.type,
    };
  };
}
