import { FieldClass } from '../field-classification.util';
import {
  defineEventV1,
  type DossierPayloadBaseV1,
  type EventEnvelope,
  type IsoDateTime,
} from '../event-envelope.event';
import { ref, stringEnum } from '../json-schema.util';
import { DataReuseSource } from '../vocabulary';

export interface DataReusedPayloadV1 extends DossierPayloadBaseV1 {
  readonly componentCode: string;
  readonly at: IsoDateTime;
  /** Where the data came from; POPULATION_DATABASE also counts for indicator 4.5. */
  readonly source: DataReuseSource;
}

/** Data for a component was reused from a database or repository (status unchanged). */
export type DataReusedV1 = EventEnvelope<'DataReused', DataReusedPayloadV1>;
export type PublicDataReusedV1 = DataReusedV1;

export const DataReusedV1 = defineEventV1<DataReusedPayloadV1>()({
  type: 'DataReused',
  summary: 'Data for a component was reused from a database or repository (status unchanged).',
  producedBy: 'intake-service',
  properties: {
    componentCode: ref('Code', 'Component code (MaThanhPhanHoSo).'),
    at: ref('Timestamp', 'Reuse time.'),
    source: stringEnum(Object.values(DataReuseSource), 'Where the data came from.'),
  },
  optional: [],
  classification: {
    componentCode: FieldClass.Public,
    at: FieldClass.Public,
    source: FieldClass.Public,
  },
});
