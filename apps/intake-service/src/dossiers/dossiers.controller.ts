import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentOfficer, ProblemException, type Officer, type StoredResponse } from '@onestop/http';
import type { PoolClient } from 'pg';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INTAKE_CATALOGUE, type IntakeCatalogue } from '../catalogue/intake-catalogue';
import { WritePipeline, type WriteOutcome, type WriteRequest } from '../security/write-pipeline.service';
import type { Actor } from './dossier.model';
import { DossierIntakeService, type ReceiveInput, type SubmitOnlineInput } from './dossier-intake.service';
import type { ComponentInput, DossierView, HistoryEntry } from './dossier.model';
import {
  ACCEPT_SCHEMA,
  RECEIVE_DOSSIER_SCHEMA,
  RECORD_COMPONENTS_SCHEMA,
  REJECT_SCHEMA,
  SUBMIT_ONLINE_SCHEMA,
  WITHDRAW_SCHEMA,
} from './dto/dossier-request.schemas';
import { validateRequest } from './dto/storable-text.util';
import { buildReceipt, renderReceiptHtml, type Receipt } from './receipt.renderer';

const IDEMPOTENCY = ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per intended write; a retry with the same key and body gets the first answer.' });
const UNAUTHORIZED = ApiResponse({ status: 401, description: 'No, expired or invalid bearer token (field `authorization`)' });
const NOT_FOUND = ApiResponse({ status: 404, description: 'No dossier with this code (field `code`)' });
const READ_PROBLEMS = [UNAUTHORIZED, ApiResponse({ status: 403, description: 'Officer of another unit' }), NOT_FOUND];
const PROBLEMS = [
  ApiResponse({ status: 400, description: 'Invalid body or missing Idempotency-Key (application/problem+json naming the fields)' }),
  UNAUTHORIZED,
  ApiResponse({ status: 403, description: 'Officer of another unit' }),
  ApiResponse({ status: 413, description: 'Body too large' }),
  ApiResponse({ status: 415, description: 'Not application/json' }),
  ApiResponse({ status: 422, description: 'Unknown unit/procedure, components not matching the procedure, or Idempotency-Key reused with another body' }),
];
const apply = (...ds: (MethodDecorator & ClassDecorator)[]): MethodDecorator => (t, k, d) => ds.forEach((x) => x(t, k, d));

@ApiTags('dossiers')
@ApiBearerAuth()
@Controller()
export class DossiersController {
  constructor(
    @Inject(DossierIntakeService) private readonly intake: DossierIntakeService,
    @Inject(WritePipeline) private readonly writes: WritePipeline,
    @Inject(INTAKE_CATALOGUE) private readonly catalogue: IntakeCatalogue,
  ) {}

  @Post('dossiers')
  @ApiOperation({ summary: 'Receive a complete dossier at the counter (DIRECT) or by post (POSTAL): code, appointment, receipt' })
  @ApiBody({ schema: RECEIVE_DOSSIER_SCHEMA as object })
  @ApiResponse({ status: 201, description: 'Received; the body is the dossier with its code and dueAt' })
  @apply(IDEMPOTENCY, ...PROBLEMS)
  async receive(@Body() body: unknown, @CurrentOfficer() officer: Officer, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<DossierView> {
    const input = validateRequest<ReceiveInput>('intake.receive-dossier', RECEIVE_DOSSIER_SCHEMA, body);
    const audit = (d: DossierView) => ({ action: 'dossier.receive', target: d.code, unitId: d.unitCode, details: { channel: d.channel } });
    const out = await this.writes.runReceipt(this.writeRequest(req, officer, body), input, audit, async (c, actor) => {
      const d = await this.intake.receive(c, input, actor);
      return { status: 201, body: d, audit: audit(d) };
    });
    return this.answer(res, out);
  }

  @Post('online-submissions')
  @ApiOperation({ summary: 'Register an online submission from the portal (SUBMITTED); an officer then accepts or rejects it' })
  @ApiBody({ schema: SUBMIT_ONLINE_SCHEMA as object })
  @ApiResponse({ status: 201, description: 'Submitted; the body is the dossier with its code' })
  @ApiResponse({ status: 409, description: 'externalRef already registered for this unit' })
  @apply(IDEMPOTENCY, ...PROBLEMS)
  async submitOnline(@Body() body: unknown, @CurrentOfficer() officer: Officer, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<DossierView> {
    const input = validateRequest<SubmitOnlineInput>('intake.submit-online', SUBMIT_ONLINE_SCHEMA, body);
    return this.write(req, res, officer, body, async (c, actor) => {
      const d = await this.intake.submitOnline(c, input, actor);
      return { status: 201, body: d, audit: { action: 'dossier.submit-online', target: d.code, unitId: d.unitCode } };
    });
  }

  @Post('dossiers/:code/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept a SUBMITTED online dossier (→ RECEIVED): the clock starts, appointment computed' })
  @ApiParam({ name: 'code', example: '000.00.15.H56-251124-0001' })
  @ApiBody({ schema: ACCEPT_SCHEMA as object, required: false })
  @ApiResponse({ status: 200, description: 'Accepted; the body is the dossier with its appointment' })
  @apply(NOT_FOUND)
  @ApiResponse({ status: 409, description: 'Not in SUBMITTED' })
  @apply(IDEMPOTENCY, ...PROBLEMS)
  async accept(@Param('code') code: string, @Body() body: unknown, @CurrentOfficer() officer: Officer, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<DossierView> {
    const input = validateRequest<{ receivedAt?: string }>('intake.accept', ACCEPT_SCHEMA, body ?? {});
    return this.write(req, res, officer, body ?? {}, async (c, actor) => {
      const d = await this.intake.accept(c, code, input, actor);
      return { status: 200, body: d, audit: { action: 'dossier.accept', target: d.code, unitId: d.unitCode } };
    });
  }

  @Post('dossiers/:code/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Refuse a SUBMITTED online dossier at intake (→ INTAKE_REJECTED) with the reason (Mẫu 03)' })
  @ApiParam({ name: 'code' })
  @ApiBody({ schema: REJECT_SCHEMA as object })
  @ApiResponse({ status: 200, description: 'Rejected; the body is the dossier' })
  @apply(NOT_FOUND)
  @ApiResponse({ status: 409, description: 'Not in SUBMITTED' })
  @apply(IDEMPOTENCY, ...PROBLEMS)
  async reject(@Param('code') code: string, @Body() body: unknown, @CurrentOfficer() officer: Officer, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<DossierView> {
    const input = validateRequest<{ reason: string; rejectedAt?: string }>('intake.reject', REJECT_SCHEMA, body);
    return this.write(req, res, officer, body, async (c, actor) => {
      const d = await this.intake.reject(c, code, input, actor);
      return { status: 200, body: d, audit: { action: 'dossier.reject', target: d.code, unitId: d.unitCode, details: { reason: input.reason } } };
    });
  }

  @Post('dossiers/:code/withdrawals')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Withdraw a SUBMITTED online dossier at the applicant request (→ WITHDRAWN, DossierWithdrawn); a received dossier is withdrawn in processing-service',
  })
  @ApiParam({ name: 'code' })
  @ApiBody({ schema: WITHDRAW_SCHEMA as object })
  @ApiResponse({ status: 200, description: 'Withdrawn; the body is the dossier' })
  @apply(NOT_FOUND)
  @ApiResponse({ status: 409, description: 'Not in SUBMITTED (once received, withdraw in processing-service)' })
  @apply(IDEMPOTENCY, ...PROBLEMS)
  async withdraw(@Param('code') code: string, @Body() body: unknown, @CurrentOfficer() officer: Officer, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<DossierView> {
    const input = validateRequest<{ requestRef: string; reason?: string }>('intake.withdraw', WITHDRAW_SCHEMA, body);
    return this.write(req, res, officer, body, async (c, actor) => {
      const d = await this.intake.withdraw(c, code, input, actor);
      return {
        status: 200,
        body: d,
        audit: { action: 'dossier.withdraw', target: d.code, unitId: d.unitCode, details: { requestRef: input.requestRef, ...(input.reason ? { reason: input.reason } : {}) } },
      };
    });
  }

  @Post('dossiers/:code/components')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record components digitised at intake, reused, or taken from the citizen repository' })
  @ApiParam({ name: 'code' })
  @ApiBody({ schema: RECORD_COMPONENTS_SCHEMA as object })
  @ApiResponse({ status: 200, description: 'Recorded; the body is the dossier with its components' })
  @apply(NOT_FOUND)
  @apply(IDEMPOTENCY, ...PROBLEMS)
  async recordComponents(@Param('code') code: string, @Body() body: unknown, @CurrentOfficer() officer: Officer, @Req() req: FastifyRequest, @Res({ passthrough: true }) res: FastifyReply): Promise<DossierView> {
    const input = validateRequest<{ components: ComponentInput[] }>('intake.record-components', RECORD_COMPONENTS_SCHEMA, body);
    return this.write(req, res, officer, body, async (c, actor) => {
      const d = await this.intake.recordComponents(c, code, input.components, actor);
      return { status: 200, body: d, audit: { action: 'dossier.components', target: d.code, unitId: d.unitCode, details: { components: input.components.map((x) => x.code) } } };
    });
  }

  @Get('dossiers/:code')
  @ApiOperation({ summary: 'Look up a dossier (its current status, also after processing/result acted on it)' })
  @ApiResponse({
    status: 200,
    description:
      'The dossier with its components. `status` is the current status: the status after the last event consumed from processing-service / result-service (topic `onestop.dossier.lifecycle.v1`) when newer than intake\'s own, else intake\'s; `intakeStatus` is the status intake itself set; `statusUpdatedAt` when `status` was reached.',
  })
  @apply(...READ_PROBLEMS)
  @ApiParam({ name: 'code' })
  async get(@Param('code') code: string, @CurrentOfficer() officer: Officer): Promise<DossierView> {
    return this.intake.get(code, officer);
  }

  @Get('dossiers/:code/history')
  @ApiOperation({ summary: 'The dossier history (its events, oldest first, from every service)' })
  @ApiResponse({
    status: 200,
    description:
      'Its events, oldest first: intake\'s own merged in time order with those consumed from processing-service / result-service. Each item names its `producer`; `seq` is the position among intake\'s own events (null for a consumed one); a consumed event\'s `payload` holds its public fields only.',
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['eventId', 'seq', 'type', 'occurredAt', 'producer', 'actor', 'imported', 'payload'],
        properties: {
          eventId: { type: 'string', format: 'uuid' },
          seq: { type: 'integer', nullable: true },
          type: { type: 'string', example: 'DossierTransferred' },
          occurredAt: { type: 'string', format: 'date-time' },
          producer: { type: 'string', example: 'processing-service' },
          actor: { type: 'string', nullable: true },
          imported: { type: 'boolean' },
          payload: { type: 'object' },
        },
      },
    },
  })
  @apply(...READ_PROBLEMS)
  @ApiParam({ name: 'code' })
  async history(@Param('code') code: string, @CurrentOfficer() officer: Officer): Promise<HistoryEntry[]> {
    return this.intake.history(code, officer);
  }

  @Get('dossiers/:code/receipt')
  @ApiOperation({ summary: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01) as JSON' })
  @ApiResponse({ status: 200, description: 'The receipt' })
  @ApiResponse({ status: 409, description: 'The dossier is not received yet (field `status`): no receipt' })
  @apply(...READ_PROBLEMS)
  @ApiParam({ name: 'code' })
  async receipt(@Param('code') code: string, @CurrentOfficer() officer: Officer): Promise<Receipt> {
    return this.buildReceipt(code, officer);
  }

  @Get('dossiers/:code/receipt.html')
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The receipt as a printable Vietnamese HTML page' })
  @ApiResponse({ status: 200, description: 'The receipt page (text/html)' })
  @ApiResponse({ status: 409, description: 'The dossier is not received yet (field `status`): no receipt' })
  @apply(...READ_PROBLEMS)
  @ApiParam({ name: 'code' })
  async receiptHtml(@Param('code') code: string, @CurrentOfficer() officer: Officer): Promise<string> {
    return renderReceiptHtml(await this.buildReceipt(code, officer));
  }

  private async buildReceipt(code: string, officer: Officer): Promise<Receipt> {
    const d = await this.intake.get(code, officer);
    if (d.receivedAt == null) {
      throw ProblemException.conflict(`dossier ${code} is ${d.status}: a receipt exists only once it is received`, { dossierStatus: d.status }, [
        { field: 'status', message: `dossier is ${d.status}; a receipt exists only once it is received` },
      ]);
    }
    const at = new Date(d.receivedAt);
    // the facts of the appointment the receipt prints (the receipt's), not of one moved since by a pause or an apology
    const facts = d.receiptDueAt ? this.catalogue.dueDateFacts(at, new Date(d.receiptDueAt), d.timeLimit ?? undefined) : undefined;
    // A dossier received before its 2025 unit existed (imported history, ADR 0206) is recorded under that unit:
    // its reprinted receipt names the unit as the import resolved it, not by its bare code.
    const unit = this.catalogue.unit(d.unitCode, at) ?? this.catalogue.importUnit(d.unitCode, at);
    return buildReceipt(d, unit, this.catalogue.procedure(d.procedureCode, at, d.unitCode), facts);
  }

  private async write<T>(
    req: FastifyRequest,
    res: FastifyReply,
    officer: Officer,
    body: unknown,
    work: (c: PoolClient, actor: Actor) => Promise<WriteOutcome<T>>,
  ): Promise<T> {
    return this.answer(res, await this.writes.run<T>(this.writeRequest(req, officer, body), work));
  }

  private writeRequest(req: FastifyRequest, officer: Officer, body: unknown): WriteRequest {
    return { officer, idempotencyKey: req.headers['idempotency-key'], method: req.method, path: req.url.split('?')[0] as string, body, ip: req.ip };
  }

  private answer<T>(res: FastifyReply, out: StoredResponse<T>): T {
    res.status(out.status);
    if (out.replayed) res.header('idempotent-replayed', 'true');
    return out.body;
  }
}
