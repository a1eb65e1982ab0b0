import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface InterAgencyStepCompletedPayloadV1 extends DossierPayloadBaseV1 {
  /** Step id within the dossier's inter-agency workflow. */
  readonly stepId: string;
  readonly agencyCode: string;
  /** Due date of the step (NgayKetThucTheoQuyDinh); null when the step has none. */
  readonly stepDueAt: IsoDateTime | null;
  readonly at: IsoDateTime;
}

/** An agency completed its step of an inter-agency procedure (stays IN_PROCESS). */
export type InterAgencyStepCompletedV1 = EventEnvelope<
  'InterAgencyStepCompleted',
  InterAgencyStepCompletedPayloadV1
>;
export type PublicInterAgencyStepCompletedV1 = InterAgencyStepCompletedV1;

export const InterAgencyStepCompletedV1 = defineEventV1<InterAgencyStepCompletedPayloadV1>()({
  type: 'InterAgencyStepCompleted',
  summary: 'An agency completed its step of an inter-agency procedure (stays IN_PROCESS).',
  producedBy: 'processing-service',
  properties: {
    stepId: ref('Code', 'Step id within the inter-agency workflow.'),
    agencyCode: ref('UnitCode', 'Agency in charge of the step.'),
    stepDueAt: ref('NullableTimestamp', 'Due date of the step (NgayKetThucTheoQuyDinh).'),
    at: ref('Timestamp', 'When the step was completed.'),
  },
  optional: [],
  classification: {
    stepId: FieldClass.Public,
    agencyCode: FieldClass.Public,
    stepDueAt: FieldClass.Public,
    at: FieldClass.Public,
  },
});
