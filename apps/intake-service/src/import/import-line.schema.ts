import { APPLICANT_SCHEMA, COMPONENT_SCHEMA } from '../dossiers/dto/dossier-request.schemas';

/**
 * One NDJSON line of a historical import: a dossier as it was received, with its original timestamps and
 * its whole lifecycle history. Intake events (DossierSubmitted / DossierReceived / DossierIntakeRejected)
 * are rebuilt from the dossier fields; later events (transfer, supplement, resolve, return, ...) carry their
 * own payload (without the base fields dossierId / receivingUnitId / procedureCode, which are added) and are
 * validated against the event contract.
 */
export const IMPORT_LINE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  // unitCode or legacyUnit (or both): checked by the service, which names the missing field
  required: ['code', 'procedureCode', 'channel', 'applicant', 'components', 'history'],
  properties: {
    code: { type: 'string', pattern: '^[A-Za-z0-9]+([.\\-][A-Za-z0-9]+)*-\\d{6}-\\d{4,}$', maxLength: 64 },
    unitCode: { type: 'string', minLength: 1, maxLength: 35 },
    /**
     * ADR 0206: a dossier received before 2025-07-01 may name its receiving unit the legacy way: the old
     * system's agency code (opaque, e.g. `000.00.15.H56`) and the GSO code of the old commune (or old island
     * district) in force at the receipt date. The dossier is recorded under the 2025 one-stop unit of the old
     * commune's primary successor; both legacy values are kept with the dossier.
     */
    legacyUnit: {
      type: 'object',
      additionalProperties: false,
      required: ['agencyCode', 'communeCode'],
      properties: {
        agencyCode: { type: 'string', minLength: 1, maxLength: 64 },
        communeCode: { type: 'string', pattern: '^(\\d{3}|\\d{5})$' },
      },
    },
    procedureCode: { type: 'string', minLength: 1, maxLength: 64 },
    channel: { type: 'string', enum: ['DIRECT', 'ONLINE', 'POSTAL'] },
    applicant: APPLICANT_SCHEMA,
    components: { type: 'array', maxItems: 100, items: COMPONENT_SCHEMA },
    externalRef: { type: 'string', minLength: 1, maxLength: 100 },
    /** The appointment printed on the original receipt; computed with the legal calendar when absent. */
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    history: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'occurredAt'],
        properties: {
          type: { type: 'string', minLength: 1, maxLength: 64 },
          occurredAt: { type: 'string', format: 'date-time' },
          actor: { type: 'string', maxLength: 100 },
          reason: { type: 'string', minLength: 1, maxLength: 2000 },
          payload: { type: 'object' },
        },
      },
    },
  },
} as const;

export interface LegacyUnitRef {
  agencyCode: string;
  communeCode: string;
}

export interface ImportLine {
  code: string;
  /** Required unless `legacyUnit` is given. */
  unitCode?: string;
  legacyUnit?: LegacyUnitRef;
  procedureCode: string;
  channel: 'DIRECT' | 'ONLINE' | 'POSTAL';
  applicant: import('../dossiers/dossier.model').Applicant;
  components: import('../dossiers/dossier.model').ComponentInput[];
  externalRef?: string;
  dueAt?: string | null;
  history: { type: string; occurredAt: string; actor?: string; reason?: string; payload?: Record<string, unknown> }[];
}
