import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref, stringEnum } from '../json-schema.util';
import { SupplementPolicy } from '../vocabulary';

export interface SupplementReceivedPayloadV1 extends DossierPayloadBaseV1 {
  /** NgayTiepNhanBoSung. */
  readonly receivedAt: IsoDateTime;
  /** NgayHenTraTruoc: the appointment before the supplement. */
  readonly previousDueAt: IsoDateTime | null;
  /** NgayHenTraMoi: the new legal due date (restarted or shifted by the pause). */
  readonly newDueAt: IsoDateTime | null;
  readonly policy: SupplementPolicy;
}

/** The supplement was received; the clock restarts or resumes (SUPPLEMENT_REQUESTED → IN_PROCESS). */
export type SupplementReceivedV1 = EventEnvelope<'SupplementReceived', SupplementReceivedPayloadV1>;
export type PublicSupplementReceivedV1 = SupplementReceivedV1;

export const SupplementReceivedV1 = defineEventV1<SupplementReceivedPayloadV1>()({
  type: 'SupplementReceived',
  summary:
    'The supplement was received; the due date is recomputed (SUPPLEMENT_REQUESTED → IN_PROCESS).',
  producedBy: 'processing-service',
  properties: {
    receivedAt: ref('Timestamp', 'Time the supplement was received (NgayTiepNhanBoSung).'),
    previousDueAt: ref('NullableTimestamp', 'Appointment before the supplement (NgayHenTraTruoc).'),
    newDueAt: ref('NullableTimestamp', 'New legal due date (NgayHenTraMoi).'),
    policy: stringEnum(Object.values(SupplementPolicy), 'Clock rule applied.'),
  },
  optional: [],
  classification: {
    receivedAt: FieldClass.Public,
    previousDueAt: FieldClass.Public,
    newDueAt: FieldClass.Public,
    policy: FieldClass.Public,
  },
});
