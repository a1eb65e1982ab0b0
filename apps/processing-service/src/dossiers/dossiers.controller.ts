import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOfficer, JwtAuthGuard, requestHash, requireIdempotencyKey, validateBody, type Officer } from '@onestop/http';
import { currentCorrelationId } from '@onestop/observability';
import { DossiersService, type CommandContext, type CommandResult } from './dossiers.service';
import * as dto from './dto/commands.dto';
import { CommandResponses, DossierViewResponses } from './dto/responses';

interface RequestLike {
  ip?: string;
  method: string;
  url: string;
}

// the name @Headers('idempotency-key') documents too: one parameter in the OpenAPI document, not two
const IDEMPOTENCY = { name: 'idempotency-key', required: true, description: 'Unique key per intended command; retries replay the first answer.' };

/** HTTP adapter of the processing commands: validate, delegate, present. Every POST needs an Idempotency-Key. */
@ApiTags('dossiers')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('dossiers')
export class DossiersController {
  constructor(private readonly service: DossiersService) {}

  @Get(':id')
  @ApiOperation({ summary: 'Processing state of a dossier: status, agency, clock, steps, pauses, due-date history, allowed actions' })
  @DossierViewResponses()
  get(@Param('id') id: string, @CurrentOfficer() officer: Officer) {
    return this.service.get(id, officer);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the dossier to the competent agency (DossierTransferred)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.TRANSFER_SCHEMA })
  transfer(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'transfer', dto.TRANSFER_SCHEMA, (ctx, b: dto.TransferDto) => this.service.transfer(ctx, id, b));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign the dossier to an officer of the agency (internal, no event)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.ASSIGN_SCHEMA })
  assign(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'assign', dto.ASSIGN_SCHEMA, (ctx, b: dto.AssignDto) => this.service.assign(ctx, id, b));
  }

  @Post(':id/inter-agency-steps')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start an inter-agency step with its own due date (InterAgencyStepStarted)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.START_STEP_SCHEMA })
  startStep(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'start-step', dto.START_STEP_SCHEMA, (ctx, b: dto.StartStepDto) => this.service.startStep(ctx, id, b));
  }

  @Post(':id/inter-agency-steps/:stepId/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete an inter-agency step (InterAgencyStepCompleted)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.COMPLETE_STEP_SCHEMA })
  completeStep(
    @Param('id') id: string,
    @Param('stepId') stepId: string,
    @Body() body: unknown,
    @CurrentOfficer() o: Officer,
    @Req() req: RequestLike,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.run(req, key, o, body ?? {}, 'complete-step', dto.COMPLETE_STEP_SCHEMA, (ctx, b: dto.CompleteStepDto) =>
      this.service.completeStep(ctx, id, stepId, b),
    );
  }

  @Post(':id/supplement-requests')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask the applicant to supplement the dossier; the clock pauses (SupplementRequested)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.SUPPLEMENT_REQUEST_SCHEMA })
  requestSupplement(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'supplement-request', dto.SUPPLEMENT_REQUEST_SCHEMA, (ctx, b: dto.SupplementRequestDto) =>
      this.service.requestSupplement(ctx, id, b),
    );
  }

  @Post(':id/supplement-receipts')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the supplement; the due date restarts or resumes per procedure policy (SupplementReceived)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.SUPPLEMENT_RECEIPT_SCHEMA })
  receiveSupplement(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body ?? {}, 'supplement-receipt', dto.SUPPLEMENT_RECEIPT_SCHEMA, (ctx, b: dto.SupplementReceiptDto) =>
      this.service.receiveSupplement(ctx, id, b),
    );
  }

  @Post(':id/financial-obligations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask for fees/taxes; the clock pauses until result-service records the payment (FinancialObligationRequested)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.FINANCIAL_OBLIGATION_SCHEMA })
  requestPayment(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'financial-obligation', dto.FINANCIAL_OBLIGATION_SCHEMA, (ctx, b: dto.FinancialObligationDto) =>
      this.service.requestFinancialObligation(ctx, id, b),
    );
  }

  @Post(':id/suspensions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend processing (ProcessingSuspended); the clock pauses' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.SUSPENSION_SCHEMA })
  suspend(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'suspend', dto.SUSPENSION_SCHEMA, (ctx, b: dto.SuspensionDto) => this.service.suspend(ctx, id, b));
  }

  @Post(':id/resumptions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume processing (ProcessingResumed); the due date shifts by the pause' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.RESUMPTION_SCHEMA })
  resume(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body ?? {}, 'resume', dto.RESUMPTION_SCHEMA, (ctx, b: dto.ResumptionDto) => this.service.resumeProcessing(ctx, id, b));
  }

  @Post(':id/apologies')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apologise and set a new appointment (ApologyIssued, Mẫu 04)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.APOLOGY_SCHEMA })
  apologise(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'apology', dto.APOLOGY_SCHEMA, (ctx, b: dto.ApologyDto) => this.service.apologise(ctx, id, b));
  }

  @Post(':id/refusals')
  @HttpCode(200)
  @ApiOperation({ summary: 'Refuse / stop processing with a reason (DossierRefused, Mẫu 05)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.REFUSAL_SCHEMA })
  refuse(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'refuse', dto.REFUSAL_SCHEMA, (ctx, b: dto.RefusalDto) => this.service.refuse(ctx, id, b));
  }

  @Post(':id/withdrawals')
  @HttpCode(200)
  @ApiOperation({ summary: "Withdraw the dossier at the applicant's request (DossierWithdrawn)" })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.WITHDRAWAL_SCHEMA })
  withdraw(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'withdraw', dto.WITHDRAWAL_SCHEMA, (ctx, b: dto.WithdrawalDto) => this.service.withdraw(ctx, id, b));
  }

  private async run<B>(
    req: RequestLike,
    key: string | undefined,
    officer: Officer,
    rawBody: unknown,
    schemaId: string,
    schema: object,
    exec: (ctx: CommandContext, body: B) => Promise<CommandResult>,
  ): Promise<CommandResult> {
    const idempotencyKey = requireIdempotencyKey(key);
    const body = validateBody<B>(`processing.${schemaId}`, schema, rawBody ?? {});
    const ctx: CommandContext = {
      officer,
      ip: req.ip,
      correlationId: currentCorrelationId() ?? 'none',
      idempotencyKey,
      requestHash: requestHash(req.method, req.url, body),
    };
    return exec(ctx, body);
  }
}
