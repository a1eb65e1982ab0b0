import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger } from '@onestop/observability';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

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
