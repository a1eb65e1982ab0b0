import {
  Catch,
  HttpException,
  HttpStatus,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { currentCorrelationId } from '@onestop/observability';

/** One field at fault, as a JSON pointer-ish path ("applicant.idNumber", "components[2].code"). */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, plus the fields at fault and the correlation id. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  correlationId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://onestop-pulse.example/problems/';

/** Throw this from any layer to answer with a problem+json; `extensions` are added to the body. */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly problemType: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
    this.name = 'ProblemException';
  }

  /** 400 naming every field at fault; the default detail names them too (a query parameter is not the body). */
  static validation(errors: FieldError[], detail?: string): ProblemException {
    const fields = [...new Set(errors.map((e) => e.field))];
    return new ProblemException(400, 'validation-error', 'Invalid request', detail ?? `The request is invalid: ${fields.join(', ') || 'see errors'}`, errors);
  }
  static notFound(what: string, field?: string): ProblemException {
    return new ProblemException(404, 'not-found', 'Not found', `${what} not found`, field ? [{ field, message: `${what} not found` }] : undefined);
  }
  static forbidden(detail: string, field?: string): ProblemException {
    return new ProblemException(403, 'forbidden', 'Forbidden', detail, field ? [{ field, message: detail }] : undefined);
  }
  /** 409; `errors` names what is at fault (e.g. `status` of the dossier, a duplicate `externalRef`). */
  static conflict(detail: string, extensions: Record<string, unknown> = {}, errors?: FieldError[]): ProblemException {
    return new ProblemException(409, 'conflict', 'Conflict', detail, errors, extensions);
  }
  /**
   * 422: an Idempotency-Key already used for another request. The stored request hash covers the method, the path
   * (another dossier is another request) and the body, so the answer names all three, not only the body.
   */
  static idempotencyKeyReused(): ProblemException {
    const detail = 'this Idempotency-Key was already used for a different request (another method, path — such as another dossier — or body); use a new key for a new request';
    return new ProblemException(422, 'idempotency-key-reused', 'Unprocessable request', detail, [{ field: 'Idempotency-Key', message: 'reused for a different request (method, path or body)' }]);
  }
  static unprocessable(problemType: string, detail: string, errors?: FieldError[]): ProblemException {
    return new ProblemException(422, problemType, 'Unprocessable request', detail, errors);
  }
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  validation?: unknown;
}

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: string): void;
}

/** Builds the problem body for any thrown value (also used by non-Nest code paths). */
export function toProblem(err: unknown, instance?: string): ProblemDetails {
  const base = { instance, correlationId: currentCorrelationId() };
  if (err instanceof ProblemException) {
    return {
      type: TYPE_BASE + err.problemType,
      title: err.title,
      status: err.status,
      detail: err.detail,
      ...(err.errors ? { errors: err.errors } : {}),
      ...err.extensions,
      ...base,
    };
  }
  const fe = err as FastifyLikeError & { cause?: FastifyLikeError };
  // Fastify's own errors surface as plain errors with statusCode/code (sometimes wrapped by Nest).
  const code = fe?.code ?? fe?.cause?.code ?? (fe?.statusCode === 400 && /JSON/i.test(fe?.message ?? '') ? 'FST_ERR_CTP_INVALID_JSON_BODY' : undefined);
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { type: TYPE_BASE + 'malformed-json', title: 'Malformed JSON', status: 400, detail: fe.message, errors: [{ field: 'body', message: 'not valid JSON' }], ...base };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { type: TYPE_BASE + 'payload-too-large', title: 'Payload too large', status: 413, detail: fe.message, errors: [{ field: 'body', message: 'request body exceeds the size limit' }], ...base };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { type: TYPE_BASE + 'unsupported-media-type', title: 'Unsupported media type', status: 415, detail: fe.message, errors: [{ field: 'content-type', message: 'expected application/json' }], ...base };
    default:
      break;
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 400 && /JSON/i.test(err.message)) {
      return { type: TYPE_BASE + 'malformed-json', title: 'Malformed JSON', status: 400, detail: err.message, errors: [{ field: 'body', message: 'not valid JSON' }], ...base };
    }
    const resp = err.getResponse();
    const message = typeof resp === 'string' ? resp : ((resp as { message?: unknown }).message ?? err.message);
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return { type: TYPE_BASE + 'payload-too-large', title: 'Payload too large', status, detail: String(message), errors: [{ field: 'body', message: String(message) }], ...base };
    }
    if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
      return { type: TYPE_BASE + 'unsupported-media-type', title: 'Unsupported media type', status, detail: String(message), errors: [{ field: 'content-type', message: String(message) }], ...base };
    }
    return { type: TYPE_BASE + slug(HttpStatus[status] ?? 'error'), title: err.name.replace(/Exception$/, ''), status, detail: Array.isArray(message) ? message.join('; ') : String(message), ...base };
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { type: TYPE_BASE + 'bad-request', title: 'Bad request', status: fe.statusCode, detail: fe.message, ...base };
  }
  return { type: TYPE_BASE + 'internal-error', title: 'Internal server error', status: 500, detail: 'An unexpected error occurred; quote the correlation id when reporting it', ...base };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/_/g, '-');
}

/** Global filter: every error leaves as application/problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly onUnexpected?: (err: unknown) => void) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<ReplyLike>();
    const req = ctx.getRequest<{ url?: string }>();
    const problem = toProblem(exception, req?.url);
    if (problem.status >= 500) this.onUnexpected?.(exception);
    reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
