import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface InterAgencyStepStartedPayloadV1 extends DossierPayloadBaseV1 {
  /** Step id within the dossier's inter-agency workflow. */
  readonly stepId: string;
  readonly agencyCode: string;
  /** Due date of the step (NgayKetThucTheoQuyDinh); null when the step has none. */
  readonly stepDueAt: IsoDateTime | null;
  readonly at: IsoDateTime;
}

/** An agency started its step of an inter-agency procedure (→ IN_PROCESS). */
export type InterAgencyStepStartedV1 = EventEnvelope<
  'InterAgencyStepStarted',
  InterAgencyStepStartedPayloadV1
>;
export type PublicInterAgencyStepStartedV1 = InterAgencyStepStartedV1;

export const InterAgencyStepStartedV1 = defineEventV1<InterAgencyStepStartedPayloadV1>()({
  type: 'InterAgencyStepStarted',
  summary: 'An agency started its step of an inter-agency procedure (→ IN_PROCESS).',
  producedBy: 'processing-service',
  properties: {
    stepId: ref('Code', 'Step id within the inter-agency workflow.'),
    agencyCode: ref('UnitCode', 'Agency in charge of the step.'),
    stepDueAt: ref('NullableTimestamp', 'Due date of the step (NgayKetThucTheoQuyDinh).'),
    at: ref('Timestamp', 'When the step was started.'),
  },
  optional: [],
  classification: {
    stepId: FieldClass.Public,
    agencyCode: FieldClass.Public,
    stepDueAt: FieldClass.Public,
    at: FieldClass.Public,
  },
});
