import { Controller, Get, Module, NotFoundException, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ObservabilityModule } from './observability.module';

@Controller('v1/units')
class UnitsController {
  @Get(':unitId')
  get(@Param('unitId') unitId: string): { unitId: string } {
    if (unitId === 'nowhere') throw new NotFoundException();
    return { unitId };
  }
}

async function appWith(options?: { httpMetrics?: boolean }): Promise<NestFastifyApplication> {
  @Module({ imports: [ObservabilityModule.forService('test-service', options)], controllers: [UnitsController] })
  class TestModule {}
  const app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('HttpMetricsInterceptor', () => {
  it('should time every answer by route template and status, errors included', async () => {
    const app = await appWith();
    try {
      const fastify = app.getHttpAdapter().getInstance();
      for (const unit of ['01', '79', 'VN']) expect((await fastify.inject({ method: 'GET', url: `/v1/units/${unit}` })).statusCode).toBe(200);
      expect((await fastify.inject({ method: 'GET', url: '/v1/units/nowhere' })).statusCode).toBe(404);
      const text = (await fastify.inject({ method: 'GET', url: '/metrics' })).body;
      // one series per template, never per URL
      expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/v1\/units\/:unitId"[^}]*status="200"[^}]*\} 3/);
      expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/v1\/units\/:unitId"[^}]*status="404"[^}]*\} 1/);
      expect(text).not.toContain('/v1/units/01');
      expect(text).toMatch(/http_server_request_duration_seconds_bucket\{le="0.001",[^}]*service="test-service"/);
    } finally {
      await app.close();
    }
  });

  it('should be left out for a service that times its answers itself', async () => {
    const app = await appWith({ httpMetrics: false });
    try {
      const fastify = app.getHttpAdapter().getInstance();
      await fastify.inject({ method: 'GET', url: '/v1/units/01' });
      expect((await fastify.inject({ method: 'GET', url: '/metrics' })).body).not.toContain('http_server_request_duration_seconds');
    } finally {
      await app.close();
    }
  });
});
