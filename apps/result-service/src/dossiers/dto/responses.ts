/**
 * OpenAPI schemas of result-service's answers (documentation only: the JSON built by `ResultDossierRepository.view`,
 * and the problem+json of every error).
 */
import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { problemResponse } from '@onestop/http';

const str = (description: string, extra: object = {}) => ({ type: 'string', description, ...extra });
const instant = (description: string) => ({ type: 'string', format: 'date-time', nullable: true, description: `${description} (Asia/Ho_Chi_Minh, …+07:00)` });


const VIEW_PROPERTIES = {
  dossierId: str('Dossier code {unit}-{yyMMdd}-{NNNN}', { example: '01.00004-261125-0001' }),
  procedureCode: str('Procedure code (mã TTHC)', { example: '2.000815' }),
  receivingUnitId: str('Receiving one-stop unit', { example: '01.00004' }),
  agencyId: str('Competent agency', { example: '01.STP' }),
  status: str('Lifecycle status as result-service sees it', {
    enum: ['RECEIVED', 'IN_PROCESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT', 'SUSPENDED', 'REFUSED', 'WITHDRAWN', 'RESOLVED', 'RETURNED'],
  }),
  receivedAt: instant('Receipt'),
  dueAt: instant('Appointment in force'),
  originalDueAt: instant('Legal due date'),
  paperResultRequired: { type: 'boolean' },
  result: {
    type: 'object',
    nullable: true,
    properties: {
      kind: { type: 'string', enum: ['PAPER', 'ELECTRONIC'] },
      legallyValid: { type: 'boolean' },
      fileUrl: { type: 'string', nullable: true, description: 'Link to the signed file (internal: never on the public topic)' },
      resultCode: { type: 'string', nullable: true },
      resolvedAt: instant('Resolution'),
      resolvedBy: { type: 'string' },
    },
  },
  feeLines: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        name: { type: 'string' },
        amount: { type: 'number', description: 'VND' },
        collectedAt: { type: 'string', enum: ['INTAKE', 'SUPPLEMENT', 'RESULT'] },
        exempt: { type: 'boolean' },
        paymentId: { type: 'string', format: 'uuid', nullable: true, description: 'The payment that settled the line; null while outstanding' },
      },
    },
  },
  payments: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        paymentId: { type: 'string', format: 'uuid' },
        method: { type: 'string', enum: ['ONLINE', 'CASH', 'TRANSFER'] },
        paidOnline: { type: 'boolean', description: 'Money paid through a gateway (false for a zero-amount settlement)' },
        gateway: { type: 'string', nullable: true, enum: ['NATIONAL_PORTAL', 'PROVINCIAL_GATEWAY', null] },
        amount: { type: 'number', description: 'VND' },
        reference: { type: 'string', nullable: true },
        paidAt: instant('Payment'),
      },
    },
  },
  return: {
    type: 'object',
    nullable: true,
    properties: { mode: { type: 'string', enum: ['COUNTER', 'POST', 'ONLINE'] }, address: { type: 'string', nullable: true }, trackingCode: { type: 'string', nullable: true }, returnedAt: instant('Hand-over') },
  },
  rating: {
    type: 'object',
    nullable: true,
    properties: { rating: { type: 'string', enum: ['VERY_SATISFIED', 'SATISFIED', 'DISSATISFIED'] }, comment: { type: 'string', nullable: true }, ratedAt: instant('Rating') },
  },
  interAgencySteps: {
    type: 'array',
    items: { type: 'object', properties: { stepId: { type: 'string' }, agencyCode: { type: 'string' }, startedAt: instant('Start'), completedAt: instant('Completion') } },
  },
};

export const DOSSIER_VIEW_SCHEMA = {
  type: 'object',
  properties: { ...VIEW_PROPERTIES, allowedActions: { type: 'array', items: { type: 'string', enum: ['resolve', 'completePayment', 'returnResult', 'rate'] } } },
};

export const COMMAND_RESULT_SCHEMA = {
  type: 'object',
  description: 'The dossier after the command, and the events it appended to the outbox (replayed as is on a retry)',
  properties: {
    ...VIEW_PROPERTIES,
    events: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, type: str('Event type', { example: 'DossierResolved' }) } } },
  },
};

const problem = problemResponse;

const COMMON_PROBLEMS = [
  problem(401, 'Missing or invalid bearer token'),
  problem(403, 'Officer of neither the receiving unit nor the competent agency'),
  problem(404, 'Unknown dossier (field dossierId)'),
  problem(414, 'A path parameter longer than 100 characters (field path)'),
];

/** Responses of a command: the dossier after it, or problem+json naming the field at fault (nothing changed). */
export const CommandResponses = (): MethodDecorator =>
  applyDecorators(
    ApiResponse({ status: 200, description: 'Done; the dossier after the command and the events appended (a retry with the same Idempotency-Key and body replays it)', schema: COMMAND_RESULT_SCHEMA as SchemaObject }),
    problem(400, 'Invalid body or missing Idempotency-Key (errors name the fields) / malformed URL (path)'),
    ...COMMON_PROBLEMS,
    problem(409, 'The dossier does not accept the command now (code, currentStatus, action, allowedActions; errors name status, rating or interAgencySteps)'),
    problem(413, 'Body too large'),
    problem(415, 'Body is not application/json'),
    problem(422, 'Idempotency-Key reused with another body'),
  );

/** Responses of GET /dossiers/{id}. */
export const DossierViewResponses = (): MethodDecorator =>
  applyDecorators(ApiResponse({ status: 200, description: 'The result-side view of the dossier', schema: DOSSIER_VIEW_SCHEMA as SchemaObject }), problem(400, 'Malformed URL (path)'), ...COMMON_PROBLEMS);
