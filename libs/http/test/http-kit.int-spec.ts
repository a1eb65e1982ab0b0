import { Body, Controller, Headers, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@onestop/testing';
import {
  AuthModule,
  CurrentOfficer,
  ProblemDetailsFilter,
  assertUnitScope,
  enforceContentTypes,
  idempotencyTableDdl,
  issueToken,
  requestHash,
  requireIdempotencyKey,
  validateBody,
  withIdempotency,
  type Officer,
} from '../src';

const AUTH = { secret: 'test-secret', issuer: 'onestop-test' };
const SCHEMA = 'kit';
let pool: Pool;

const bodySchema = {
  type: 'object',
  required: ['unitId', 'applicant'],
  additionalProperties: false,
  properties: {
    unitId: { type: 'string', minLength: 1 },
    applicant: { type: 'object', required: ['fullName'], properties: { fullName: { type: 'string', minLength: 1 } } },
  },
};

@Controller('things')
class ThingsController {
  @Post()
  async create(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentOfficer() officer: Officer) {
    const idem = requireIdempotencyKey(key);
    const dto = validateBody<{ unitId: string }>('thing', bodySchema, body);
    assertUnitScope(officer, dto.unitId);
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      const r = await withIdempotency(c, SCHEMA, officer.unitId, idem, requestHash('POST', '/things', body), async () => {
        const ins = await c.query(`INSERT INTO kit.thing(unit_id) VALUES ($1) RETURNING id`, [dto.unitId]);
        return { status: 201, body: { id: Number(ins.rows[0].id) } };
      });
      await c.query('COMMIT');
      return r.body;
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  }
}

@Module({ imports: [AuthModule.forRoot(AUTH)], controllers: [ThingsController] })
class KitModule {}

describe('HTTP kit (problem+json, auth, idempotency) on Fastify + real Postgres', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;
  const token = issueToken(AUTH, { officerId: 'o1', name: 'Cán bộ 1', unitId: 'U1', roles: [] });
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': 'k-1', ...headers },
      body,
    });
  const count = async () => Number((await pool.query('SELECT count(*) FROM kit.thing')).rows[0].count);

  beforeAll(async () => {
    db = await createTestDatabase('http_kit');
    pool = new Pool({ connectionString: db.url });
    await pool.query(`CREATE SCHEMA kit`);
    await pool.query(`CREATE TABLE kit.thing (id bigserial PRIMARY KEY, unit_id text NOT NULL)`);
    for (const ddl of idempotencyTableDdl(SCHEMA)) await pool.query(ddl);
    app = await NestFactory.create<NestFastifyApplication>(KitModule, new FastifyAdapter({ bodyLimit: 1024 }), { logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    enforceContentTypes(app);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  it('should create once and replay the first answer when the same key and body are retried', async () => {
    const body = JSON.stringify({ unitId: 'U1', applicant: { fullName: 'Trần Thị B' } });
    const first = await post(body);
    const again = await post(body);
    expect(first.status).toBe(201);
    expect((await again.json()) as unknown).toEqual((await first.json()) as unknown);
    expect(await count()).toBe(1);
  });

  it('should answer 422 problem+json when a key is reused with a different body', async () => {
    const res = await post(JSON.stringify({ unitId: 'U1', applicant: { fullName: 'Lê Văn C' } }));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { detail: string; errors: { field: string; message: string }[] };
    expect(problem.errors[0]?.field).toBe('Idempotency-Key');
    // the stored hash covers method, path and body: the answer says so (black-box round 10: "different body" was
    // the answer to the same body sent for another dossier)
    expect(problem.detail).toMatch(/different request \(another method, path .* or body\)/);
    expect(await count()).toBe(1);
  });

  it.each([
    ['malformed JSON', '{"unitId":', {}, 400, 'body'],
    ['a missing field', JSON.stringify({ unitId: 'U1', applicant: {} }), { 'idempotency-key': 'k-2' }, 400, 'applicant.fullName'],
    ['an unknown field', JSON.stringify({ unitId: 'U1', applicant: { fullName: 'A' }, x: 1 }), { 'idempotency-key': 'k-3' }, 400, 'x'],
    ['another unit', JSON.stringify({ unitId: 'U2', applicant: { fullName: 'A' } }), { 'idempotency-key': 'k-4' }, 403, 'unitId'],
    ['no token', JSON.stringify({ unitId: 'U1', applicant: { fullName: 'A' } }), { authorization: '' }, 401, 'authorization'],
    ['no idempotency key', JSON.stringify({ unitId: 'U1', applicant: { fullName: 'A' } }), { 'idempotency-key': '' }, 400, 'Idempotency-Key'],
    ['an oversize body', JSON.stringify({ unitId: 'U1', applicant: { fullName: 'A'.repeat(5000) } }), {}, 413, 'body'],
    ['a wrong content type', 'unitId=U1', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'content-type'],
  ])('should answer problem+json naming the field and change nothing when given %s', async (_, body, headers, status, field) => {
    const res = await post(body, headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { status: number; errors: { field: string }[] };
    expect(problem.status).toBe(status);
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(await count()).toBe(1);
  });
  it.each([
    ['a lowercase scheme', (t: string) => `bearer ${t}`, 'k-auth-1'],
    ['an uppercase scheme', (t: string) => `BEARER ${t}`, 'k-auth-2'],
    ['spaces and a tab between scheme and token', (t: string) => `Bearer  \t ${t}`, 'k-auth-3'],
  ])('should accept a Bearer token with %s (RFC 9110: the scheme is case-insensitive)', async (_, header, key) => {
    const before = await count();
    const res = await post(JSON.stringify({ unitId: 'U1', applicant: { fullName: 'Phạm Thị D' } }), { authorization: header(token), 'idempotency-key': key });
    expect(res.status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it.each([
    ['the Basic scheme', `Basic ${Buffer.from('o1:pw').toString('base64')}`],
    ['a scheme glued to the token', `Bearer${token}`],
    ['a bare token', token],
  ])('should refuse %s with 401 problem+json naming authorization', async (_, header) => {
    const before = await count();
    const res = await post(JSON.stringify({ unitId: 'U1', applicant: { fullName: 'A' } }), { authorization: header, 'idempotency-key': 'k-auth-x' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['authorization']);
    expect(await count()).toBe(before);
  });
});
