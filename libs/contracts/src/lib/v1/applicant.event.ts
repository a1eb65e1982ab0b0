import { FieldClass, type ClassificationOf } from '../field-classification.util';
import { object, ref, stringEnum, type JsonSchemaObject } from '../json-schema.util';
import { ApplicantType } from '../vocabulary';

/** The applicant (chủ hồ sơ). PERSONAL DATA: travels on the internal topic only. */
export interface ApplicantV1 {
  /** Full name (họ và tên) or organisation name. */
  readonly fullName: string;
  /** Personal id number (12-digit số định danh cá nhân) or enterprise/organisation code. */
  readonly idNumber: string;
  readonly phone: string;
  readonly email?: string;
  readonly address?: string;
}

export const APPLICANT_SCHEMA_V1: JsonSchemaObject = object(
  {
    fullName: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'Họ và tên / tên tổ chức.',
    },
    idNumber: {
      type: 'string',
      pattern: '^[A-Za-z0-9./-]{6,32}$',
      description: 'Số định danh cá nhân (12 digits) or enterprise/organisation code.',
    },
    phone: { type: 'string', pattern: '^\\+?[0-9 .-]{8,20}$', description: 'Phone number.' },
    email: { type: 'string', format: 'email', maxLength: 254, description: 'E-mail address.' },
    address: ref('Text', 'Contact address.'),
  },
  ['fullName', 'idNumber', 'phone'],
  'The applicant (chủ hồ sơ). Personal data: internal topic only.',
);

/** The whole applicant object is personal; kept for reference by tests and docs. */
export const APPLICANT_CLASSIFICATION_V1: ClassificationOf<ApplicantV1> = {
  fullName: FieldClass.Personal,
  idNumber: FieldClass.Personal,
  phone: FieldClass.Personal,
  email: FieldClass.Personal,
  address: FieldClass.Personal,
};

export const APPLICANT_TYPE_SCHEMA: JsonSchemaObject = stringEnum(
  Object.values(ApplicantType),
  'Applicant type (LoaiDoiTuong): citizen, enterprise, state body, organisation.',
);
