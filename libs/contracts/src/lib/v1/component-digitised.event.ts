import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { bool, ref } from '../json-schema.util';

export interface ComponentDigitisedPayloadV1 extends DossierPayloadBaseV1 {
  /** MaThanhPhanHoSo. */
  readonly componentCode: string;
  readonly at: IsoDateTime;
  /** The digitised file reuses existing digitised data (DuocTaiSuDung). */
  readonly reused: boolean;
  /** The file comes from the citizen document repository (DuocLayTuKhoDMQG). */
  readonly fromCitizenRepository: boolean;
}

/** A component of the dossier was digitised after receipt (DuocSoHoa; status unchanged). */
export type ComponentDigitisedV1 = EventEnvelope<'ComponentDigitised', ComponentDigitisedPayloadV1>;
export type PublicComponentDigitisedV1 = ComponentDigitisedV1;

export const ComponentDigitisedV1 = defineEventV1<ComponentDigitisedPayloadV1>()({
  type: 'ComponentDigitised',
  summary: 'A dossier component was digitised (status unchanged).',
  producedBy: 'intake-service',
  properties: {
    componentCode: ref('Code', 'Component code (MaThanhPhanHoSo).'),
    at: ref('Timestamp', 'Digitisation time.'),
    reused: bool('Reuses existing digitised data (DuocTaiSuDung).'),
    fromCitizenRepository: bool('Taken from the citizen document repository (DuocLayTuKhoDMQG).'),
  },
  optional: [],
  classification: {
    componentCode: FieldClass.Public,
    at: FieldClass.Public,
    reused: FieldClass.Public,
    fromCitizenRepository: FieldClass.Public,
  },
});
