import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface ProcessingSuspendedPublicPayloadV1 extends DossierPayloadBaseV1 {
  /** pausedAt. */
  readonly at: IsoDateTime;
}
export interface ProcessingSuspendedPayloadV1 extends ProcessingSuspendedPublicPayloadV1 {
  /** Free text about the case: personal. */
  readonly reason: string;
}

/** Processing was paused, e.g. awaiting verification or a partner (IN_PROCESS → SUSPENDED). */
export type ProcessingSuspendedV1 = EventEnvelope<
  'ProcessingSuspended',
  ProcessingSuspendedPayloadV1
>;
export type PublicProcessingSuspendedV1 = EventEnvelope<
  'ProcessingSuspended',
  ProcessingSuspendedPublicPayloadV1
>;

export const ProcessingSuspendedV1 = defineEventV1<
  ProcessingSuspendedPayloadV1,
  ProcessingSuspendedPublicPayloadV1
>()({
  type: 'ProcessingSuspended',
  summary:
    'Processing was paused, e.g. awaiting verification or a partner (IN_PROCESS → SUSPENDED).',
  producedBy: 'processing-service',
  properties: {
    at: ref('Timestamp', 'When processing was suspended.'),
    reason: ref('Text', 'Reason.'),
  },
  optional: [],
  classification: { at: FieldClass.Public, reason: FieldClass.Personal },
});
