import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface ProcessingResumedPublicPayloadV1 extends DossierPayloadBaseV1 {
  /** resumedAt. */
  readonly at: IsoDateTime;
  /**
   * The legal due date from now on, shifted by the pause (absent in events written before it was added, and when
   * the dossier has no due date): views that keep the due date (statistics, intake) follow it.
   */
  readonly newDueAt?: IsoDateTime | null;
}
export interface ProcessingResumedPayloadV1 extends ProcessingResumedPublicPayloadV1 {
  /** Free text about the case: personal. */
  readonly reason: string;
}

/** Processing resumed after a pause (SUSPENDED → IN_PROCESS). */
export type ProcessingResumedV1 = EventEnvelope<'ProcessingResumed', ProcessingResumedPayloadV1>;
export type PublicProcessingResumedV1 = EventEnvelope<
  'ProcessingResumed',
  ProcessingResumedPublicPayloadV1
>;

export const ProcessingResumedV1 = defineEventV1<
  ProcessingResumedPayloadV1,
  ProcessingResumedPublicPayloadV1
>()({
  type: 'ProcessingResumed',
  summary: 'Processing resumed after a pause (SUSPENDED → IN_PROCESS).',
  producedBy: 'processing-service',
  properties: {
    at: ref('Timestamp', 'When processing was resumed.'),
    newDueAt: ref('NullableTimestamp', 'The legal due date after the pause (NgayHenTraMoi).'),
    reason: ref('Text', 'Reason.'),
  },
  optional: ['newDueAt'],
  classification: { at: FieldClass.Public, newDueAt: FieldClass.Public, reason: FieldClass.Personal },
});
