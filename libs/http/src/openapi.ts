/**
 * OpenAPI documentation of the problem+json answers every service gives (RFC 9457, `toProblem`): one schema, and an
 * `ApiResponse` decorator per status, for the controllers of every service.
 */
import { ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';

const str = (description: string, extra: object = {}) => ({ type: 'string', description, ...extra });

export const PROBLEM_OPENAPI_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  required: ['type', 'title', 'status'],
  properties: {
    type: str('Problem type URI', { example: 'https://onestop-pulse.example/problems/invalid-transition' }),
    title: str('Short summary'),
    status: { type: 'integer', description: 'HTTP status' },
    detail: str('What went wrong'),
    instance: str('Request path'),
    correlationId: str('X-Correlation-Id of the request'),
    errors: {
      type: 'array',
      description: 'The fields at fault (request fields, path parameters, or the dossier field that explains a 409)',
      items: { type: 'object', required: ['field', 'message'], properties: { field: str('e.g. agencyId, feeLines[1].code, status, path'), message: str('Why') } },
    },
    code: str('409: InvalidTransitionException code, e.g. ACTION_NOT_ALLOWED'),
    currentStatus: str('409: the dossier status'),
    action: str('409: the refused domain action'),
    allowedActions: { type: 'array', items: { type: 'string' }, description: '409: the actions the dossier accepts now' },
  },
} as SchemaObject;

/** `@ApiResponse` of an error status answered as problem+json. */
export const problemResponse = (status: number, description: string): MethodDecorator & ClassDecorator =>
  ApiResponse({ status, description, content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_OPENAPI_SCHEMA } } });
