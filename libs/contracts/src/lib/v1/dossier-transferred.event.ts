import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref } from '../json-schema.util';

export interface DossierTransferredPayloadV1 extends DossierPayloadBaseV1 {
  /** Agency the dossier was handed to. */
  readonly agencyCode: string;
  readonly transferredAt: IsoDateTime;
  /** Due date of this agency's step (NgayKetThucTheoQuyDinh), when set. */
  readonly stepDueAt?: IsoDateTime;
}

/** The dossier was handed to the competent agency (RECEIVED/IN_PROCESS → IN_PROCESS, status 4). */
export type DossierTransferredV1 = EventEnvelope<'DossierTransferred', DossierTransferredPayloadV1>;
export type PublicDossierTransferredV1 = DossierTransferredV1;

export const DossierTransferredV1 = defineEventV1<DossierTransferredPayloadV1>()({
  type: 'DossierTransferred',
  summary: 'The dossier was handed to the competent agency (RECEIVED/IN_PROCESS → IN_PROCESS).',
  producedBy: 'processing-service',
  properties: {
    agencyCode: ref('UnitCode', 'Agency the dossier was handed to.'),
    transferredAt: ref('Timestamp', 'Hand-over time.'),
    stepDueAt: ref('Timestamp', 'Due date of this step (NgayKetThucTheoQuyDinh).'),
  },
  optional: ['stepDueAt'],
  classification: {
    agencyCode: FieldClass.Public,
    transferredAt: FieldClass.Public,
    stepDueAt: FieldClass.Public,
  },
});
