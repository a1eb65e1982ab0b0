import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger } from '@onestop/observability';
import { PROBLEM_CONTENT_TYPE, toProblem, type ProblemDetails } from './problem';

const TYPE_BASE = 'https://onestop-pulse.example/problems/';

/** The problem for a request Node's HTTP parser refused before any route saw it (header overflow, bad request line). */
export function clientErrorProblem(err: { code?: string }): ProblemDetails {
  const code = err.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { type: TYPE_BASE + 'header-fields-too-large', title: 'Request header fields too large', status: 431, detail: 'the request headers exceed the size limit', errors: [{ field: 'headers', message: 'request headers too large' }] };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { type: TYPE_BASE + 'request-timeout', title: 'Request timeout', status: 408, detail: 'the request was not received in time', errors: [{ field: 'request', message: 'not received in time' }] };
  }
  // Node's parser codes name the part at fault: the request line (method, URL, version) or a header.
  const field = /METHOD|URL|VERSION|CONSTANT/.test(code) ? 'request-line' : /HEADER|CONTENT_LENGTH|TRANSFER_ENCODING|CHUNK/.test(code) ? 'headers' : 'request';
  return { type: TYPE_BASE + 'malformed-request', title: 'Malformed request', status: 400, detail: `the request could not be parsed (${code || 'client error'})`, errors: [{ field, message: 'malformed' }] };
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refuses (a 20 KB cookie, a broken request line)
 * leaves as application/problem+json instead of a bare 431/400, then the connection is closed (the parser cannot
 * go on after such an error). A handler added later with `server.on('clientError')` would run after Fastify's own
 * default, which already answered and destroyed the socket: it has to be this option. Valid requests never get
 * here, so keep-alive is untouched.
 */
export function problemClientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node does: answer only when no response has started on this socket (pipelining), else just close it.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const problem = clientErrorProblem(err);
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Bad Request'}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export interface ServiceAppOptions {
  service: string;
  bodyLimitBytes: number;
  /** OpenAPI title and description, served at /docs. */
  title: string;
  description: string;
  /** false: no logs (tests); default: JSON lines named after the service. */
  logger?: boolean;
}

/**
 * A lifecycle service's Nest app on Fastify (behind a proxy: trustProxy), with shutdown hooks and its OpenAPI
 * document at /docs (bearer auth). Used by processing- and result-service (main.ts and the integration tests).
 */
export async function createServiceApp(module: DynamicModule | Type<unknown>, o: ServiceAppOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({
      bodyLimit: o.bodyLimitBytes,
      trustProxy: true,
      // Requests Node's parser refuses (431 header overflow, 400 malformed request line) as problem+json too.
      clientErrorHandler: problemClientErrorHandler,
      // Errors Fastify's router raises before Nest sees the request (a malformed %-escape, a path parameter over
      // maxParamLength) leave as problem+json naming the path too, like every other error.
      frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
        const problem = { ...toProblem(err, req.url), errors: [{ field: 'path', message: err.message }] };
        void reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
      },
    }),
    { logger: o.logger === false ? false : new JsonLogger(o.service), bufferLogs: true },
  );
  app.enableShutdownHooks();
  const doc = new DocumentBuilder().setTitle(o.title).setDescription(o.description).setVersion('1').addBearerAuth().build();
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, doc));
  return app;
}

export interface HttpSetupOptions {
  /** Content types accepted on requests with a body, besides application/json. */
  extraContentTypes?: string[];
}

/**
 * Rejects requests with a body whose content type is not JSON (415 problem+json) before any parsing,
 * so a form post never reaches a handler. Call once on every service's Fastify app before listen().
 */
export function enforceContentTypes(app: NestFastifyApplication, o: HttpSetupOptions = {}): void {
  const allowed = ['application/json', ...(o.extraContentTypes ?? [])];
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (req, reply, done) => {
    const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
    const ct = String(req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const length = Number(req.headers['content-length'] ?? (req.headers['transfer-encoding'] ? 1 : 0));
    if (hasBody && length > 0 && !allowed.includes(ct)) {
      const problem = toProblem(Object.assign(new Error(`content type "${ct || 'none'}" is not accepted; use ${allowed.join(' or ')}`), {
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        statusCode: 415,
      }), req.url);
      void reply.code(415).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
      return;
    }
    done();
  });
}
