import { createHash } from 'node:crypto';
import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentOfficer, ProblemException, recordAudit, requestHash, requireIdempotencyKey, withIdempotency, type Officer } from '@onestop/http';
import { currentCorrelationId } from '@onestop/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INTAKE_SCHEMA } from '../config/intake.config';
import { SqlExecutor } from '../dossiers/sql-executor';
import { isStorableText } from '../dossiers/dto/storable-text.util';
import { ImportService, type ImportRejection, type ImportReport } from './import.service';
import { importJobId, importScopeOf } from './import-scope.util';
import { splitNdjsonLines } from './ndjson-lines.util';

/** Largest page of `GET /imports/{id}/rejections` (also the default: a client that does not page gets what it got before). */
export const MAX_REJECTIONS_PAGE = 10_000;
const MAX_REJECTION_OFFSET = 2_147_483_647;

/** A job id that is not a UUID: 400 problem+json naming the path parameter, like every other field error. */
const JOB_ID = new ParseUUIDPipe({ exceptionFactory: () => ProblemException.validation([{ field: 'id', message: 'must be an import job id (UUID)' }], 'The import job id is invalid') });

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportController {
  constructor(
    @Inject(ImportService) private readonly imports: ImportService,
    @Inject(SqlExecutor) private readonly sql: SqlExecutor,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Import historical dossiers (NDJSON, one dossier with its full history per line); resumable, idempotent per file' })
  @ApiConsumes('application/x-ndjson')
  @ApiBody({ schema: { type: 'string', description: 'NDJSON: one import line per row (see README)' } })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiQuery({ name: 'fileName', required: false, description: 'The file name for the report (at most 255 characters)' })
  @ApiResponse({ status: 200, description: 'The import report (counts and the first rejected lines)' })
  @ApiResponse({ status: 400, description: 'Empty file (field `body`), invalid `fileName`' })
  @ApiResponse({ status: 401, description: 'No, expired or invalid bearer token (field `authorization`)' })
  @ApiResponse({ status: 415, description: 'Not application/x-ndjson' })
  @ApiResponse({ status: 422, description: 'Idempotency-Key already used with another file' })
  async import(
    @Body() body: unknown,
    @Query('fileName') fileName: string | undefined,
    @CurrentOfficer() officer: Officer,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ImportReport> {
    if (typeof body !== 'string') {
      throw new ProblemException(415, 'unsupported-media-type', 'Unsupported media type', 'send the file as application/x-ndjson', [
        { field: 'content-type', message: 'expected application/x-ndjson' },
      ]);
    }
    // Stored with the job and in the audit log: one name, of a sane length, of text Postgres can store (else a 500).
    if (fileName !== undefined && (typeof fileName !== 'string' || fileName.length > 255 || !isStorableText(fileName))) {
      throw ProblemException.validation([{ field: 'fileName', message: 'must be one file name of at most 255 characters, without U+0000' }], 'The file name is invalid');
    }
    // Counted as the CLI counts a file: a final line ending does not make a line, an empty file has none.
    const lines = splitNdjsonLines(body);
    if (lines.length === 0) {
      throw ProblemException.validation([{ field: 'body', message: 'the file is empty: expected one NDJSON line per dossier' }], 'The import file is empty');
    }
    const key = requireIdempotencyKey(req.headers['idempotency-key']);
    const sha = createHash('sha256').update(body).digest('hex');
    const hash = requestHash('POST', '/imports', { sha256: sha });
    const scope = `officer:${officer.officerId}`;
    // Same key + another file → 422 before any work; same key + same file → the job's report (no new work).
    const prior = await this.sql.query<{ request_hash: string }>(`SELECT request_hash FROM ${INTAKE_SCHEMA}.idempotency_key WHERE scope = $1 AND key = $2`, [scope, key]);
    if (prior[0] && prior[0].request_hash !== hash) {
      throw ProblemException.idempotencyKeyReused();
    }
    // The job this file already has for this scope (ADR 0205): a finished one is returned as it is (nothing imported
    // now), a running one resumes. The audit row says what THIS request did, not the job's totals.
    const jobId = importJobId(sha, importScopeOf(officer));
    const before = (
      await this.sql.query<{ status: string; imported: number; duplicates: number; rejected: number }>(
        `SELECT status, imported, duplicates, rejected FROM ${INTAKE_SCHEMA}.import_job WHERE id = $1`,
        [jobId],
      )
    )[0];
    const report = await this.imports.run(lines, { fileSha256: sha, fileName, officer });
    const audited =
      before?.status === 'COMPLETED'
        ? { action: 'dossier.import.reused', details: { fileName, sha256: sha, jobId: report.jobId, reused: true } }
        : {
            action: 'dossier.import',
            details: {
              fileName,
              sha256: sha,
              jobId: report.jobId,
              ...(before ? { resumed: true } : {}),
              imported: report.imported - (before?.imported ?? 0),
              duplicates: report.duplicates - (before?.duplicates ?? 0),
              rejected: report.rejected - (before?.rejected ?? 0),
            },
          };
    const stored = await this.sql.tx(async (c) => {
      const tx = { query: async (q: string, p?: unknown[]) => (await c.query(q, p)).rows };
      return withIdempotency(tx, INTAKE_SCHEMA, scope, key, hash, async () => {
        await recordAudit(tx, INTAKE_SCHEMA, {
          actor: officer.officerId,
          unitId: officer.unitId,
          action: audited.action,
          target: `import:${report.jobId}`,
          ip: req.ip,
          correlationId: currentCorrelationId(),
          details: audited.details,
        });
        return { status: 200, body: report };
      });
    });
    if (stored.replayed) res.header('idempotent-replayed', 'true');
    res.status(stored.status);
    return stored.body;
  }

  // Another unit's job answers exactly as an unknown one (404), so job ids do not leak across units.
  @Get(':id')
  @ApiOperation({ summary: 'Progress / report of an import job (its own unit or admin)' })
  @ApiResponse({ status: 200, description: 'The import report' })
  @ApiResponse({ status: 400, description: 'The id is not a UUID (field `id`)' })
  @ApiResponse({ status: 404, description: 'Unknown job, or a job of another unit' })
  async get(@Param('id', JOB_ID) id: string, @CurrentOfficer() officer: Officer): Promise<ImportReport> {
    const r = await this.imports.reportFor(id, officer);
    if (!r) throw ProblemException.notFound(`import ${id}`, 'id');
    return r;
  }

  @Get(':id/rejections')
  @ApiOperation({ summary: 'The rejected lines of an import with the fields at fault, a page at a time (its own unit or admin)' })
  @ApiQuery({ name: 'offset', required: false, description: `Rejected lines to pass over (0–${MAX_REJECTION_OFFSET}, default 0)` })
  @ApiQuery({ name: 'limit', required: false, description: `Page size (1–${MAX_REJECTIONS_PAGE}, default ${MAX_REJECTIONS_PAGE})` })
  @ApiResponse({
    status: 200,
    description: 'The page of rejected lines, by line number; header `X-Total-Count` = all rejected lines of the job, `Link: <…>; rel="next"` while there are more',
  })
  @ApiResponse({ status: 400, description: 'The id is not a UUID (field `id`), or a bad `offset` / `limit`' })
  @ApiResponse({ status: 404, description: 'Unknown job, or a job of another unit' })
  async rejections(
    @Param('id', JOB_ID) id: string,
    @Query('offset') offset: unknown,
    @Query('limit') limit: unknown,
    @CurrentOfficer() officer: Officer,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ImportRejection[]> {
    const page = rejectionsPage(offset, limit);
    const r = await this.imports.rejectionsPageFor(id, officer, page);
    if (!r) throw ProblemException.notFound(`import ${id}`, 'id');
    res.header('x-total-count', String(r.total));
    const next = page.offset + r.rejections.length;
    if (r.rejections.length > 0 && next < r.total) res.header('link', `</imports/${id}/rejections?offset=${next}&limit=${page.limit}>; rel="next"`);
    return r.rejections;
  }
}

/** `offset` / `limit` of the rejections listing: whole decimal numbers in range, given once; else 400 naming the parameter. */
function rejectionsPage(offset: unknown, limit: unknown): { offset: number; limit: number } {
  const errors: { field: string; message: string }[] = [];
  const parse = (field: string, v: unknown, min: number, max: number, dflt: number): number => {
    if (v === undefined) return dflt;
    const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : NaN;
    if (!(n >= min && n <= max)) {
      errors.push({ field, message: `must be a whole number from ${min} to ${max}, given once` });
      return dflt;
    }
    return n;
  };
  const page = { offset: parse('offset', offset, 0, MAX_REJECTION_OFFSET, 0), limit: parse('limit', limit, 1, MAX_REJECTIONS_PAGE, MAX_REJECTIONS_PAGE) };
  if (errors.length > 0) throw ProblemException.validation(errors, 'The paging parameters are invalid');
  return page;
}
