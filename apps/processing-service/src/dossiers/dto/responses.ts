/**
 * OpenAPI schemas of processing-service's answers (documentation only: the JSON the handlers return, as built by
 * `DossierRepository.toView/details`, and the problem+json of every error).
 */
import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { problemResponse } from '@onestop/http';

const str = (description: string, extra: object = {}) => ({ type: 'string', description, ...extra });
const instant = (description: string) => ({ type: 'string', format: 'date-time', nullable: true, description: `${description} (Asia/Ho_Chi_Minh, …+07:00)` });


const DOSSIER_PROPERTIES = {
  dossierId: str('Dossier code {unit}-{yyMMdd}-{NNNN}', { example: '01.00004-261125-0001' }),
  procedureCode: str('Procedure code (mã TTHC)', { example: '2.000815' }),
  receivingUnitId: str('Receiving one-stop unit', { example: '01.00004' }),
  agencyId: str('Competent agency now', { example: '01.STP' }),
  officerId: { type: 'string', nullable: true, description: 'Assigned officer' },
  status: str('Lifecycle status', { enum: ['RECEIVED', 'IN_PROCESS', 'SUPPLEMENT_REQUESTED', 'AWAITING_PAYMENT', 'SUSPENDED', 'REFUSED', 'WITHDRAWN', 'RESOLVED', 'RETURNED'] }),
  channel: { type: 'string', nullable: true, enum: ['DIRECT', 'ONLINE', 'POSTAL', null] },
  supplementPolicy: str('Clock after a supplement', { enum: ['RESTART', 'PAUSE'] }),
  timeLimit: {
    type: 'object',
    nullable: true,
    properties: { value: { type: 'number' }, unit: str('Unit of the limit', { example: 'WORKING_DAYS' }) },
  },
  receivedAt: instant('Receipt'),
  dueAt: instant('Appointment in force (moved by apologies)'),
  originalDueAt: instant('Legal due date (never moved by apologies)'),
  pausedAt: instant('Start of the open pause, if any'),
  pauseKind: { type: 'string', nullable: true, enum: ['SUPPLEMENT', 'PAYMENT', 'SUSPENSION', null] },
  supplementCount: { type: 'integer' },
  finishedAt: instant('End of processing'),
  version: { type: 'integer', description: 'Incremented by every command' },
};

export const COMMAND_RESULT_SCHEMA = {
  type: 'object',
  description: 'The dossier after the command, and the events it appended to the outbox (replayed as is on a retry)',
  properties: {
    ...DOSSIER_PROPERTIES,
    events: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, type: str('Event type', { example: 'DossierTransferred' }) } },
    },
  },
};

export const DOSSIER_VIEW_SCHEMA = {
  type: 'object',
  properties: {
    ...DOSSIER_PROPERTIES,
    allowedActions: { type: 'array', items: { type: 'string' }, description: 'Domain actions the status allows' },
    interAgencySteps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          stepId: { type: 'string', format: 'uuid' },
          agencyId: { type: 'string' },
          description: { type: 'string', nullable: true },
          startedAt: instant('Start'),
          dueAt: instant('Due date of the step'),
          completedAt: instant('Completion'),
          outcome: { type: 'string', nullable: true },
        },
      },
    },
    pauses: {
      type: 'array',
      items: {
        type: 'object',
        properties: { kind: { type: 'string', enum: ['SUPPLEMENT', 'PAYMENT', 'SUSPENSION'] }, reason: { type: 'string', nullable: true }, startedAt: instant('Start'), endedAt: instant('End') },
      },
    },
    dueDateHistory: {
      type: 'array',
      items: {
        type: 'object',
        properties: { changedAt: instant('Change'), previousDueAt: instant('Before'), newDueAt: instant('After'), cause: str('e.g. apology, supplement-restart, payment, resume') },
      },
    },
  },
};

export const WORK_QUEUE_SCHEMA = {
  type: 'object',
  properties: {
    agencyId: { type: 'string' },
    asOf: instant('Time of the answer'),
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...DOSSIER_PROPERTIES, urgency: { type: 'string', enum: ['OVERDUE', 'DUE_SOON', 'ON_TRACK', 'PAUSED', 'NO_DEADLINE'] } },
      },
    },
  },
};

const problem = problemResponse;

const COMMON_PROBLEMS = [
  problem(401, 'Missing or invalid bearer token'),
  problem(403, 'Officer of neither the receiving unit nor the competent agency'),
  problem(404, 'Unknown dossier (field dossierId) or step (stepId)'),
  problem(414, 'A path parameter longer than 100 characters (field path)'),
];

/** Responses of a command: the dossier after it, or problem+json naming the field at fault (nothing changed). */
export const CommandResponses = (): MethodDecorator =>
  applyDecorators(
    ApiResponse({ status: 200, description: 'Done; the dossier after the command and the events appended (a retry with the same Idempotency-Key and body replays it)', schema: COMMAND_RESULT_SCHEMA as SchemaObject }),
    problem(400, 'Invalid body or missing Idempotency-Key (errors name the fields) / malformed URL (path)'),
    ...COMMON_PROBLEMS,
    problem(409, 'The dossier does not accept the command now (code, currentStatus, action, allowedActions; errors name status or the guard field)'),
    problem(413, 'Body too large'),
    problem(415, 'Body is not application/json'),
    problem(422, 'Unknown/out-of-province agency, due date not acceptable, amount not the sum of the lines, or Idempotency-Key reused with another body'),
  );

/** Responses of GET /dossiers/{id}. */
export const DossierViewResponses = (): MethodDecorator =>
  applyDecorators(ApiResponse({ status: 200, description: 'The processing view of the dossier', schema: DOSSIER_VIEW_SCHEMA as SchemaObject }), problem(400, 'Malformed URL (path)'), ...COMMON_PROBLEMS);

/** Responses of GET /work-queue. */
export const WorkQueueResponses = (): MethodDecorator =>
  applyDecorators(
    ApiResponse({ status: 200, description: 'Open dossiers, most urgent first', schema: WORK_QUEUE_SCHEMA as SchemaObject }),
    problem(400, 'limit not an integer in [1, 500]'),
    problem(401, 'Missing or invalid bearer token'),
    problem(403, 'agencyId is not the officer’s unit'),
  );
