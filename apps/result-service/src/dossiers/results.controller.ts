import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOfficer, JwtAuthGuard, requestHash, requireIdempotencyKey, validateBody, type Officer } from '@onestop/http';
import { currentCorrelationId } from '@onestop/observability';
import * as dto from './dto/commands.dto';
import { CommandResponses, DossierViewResponses } from './dto/responses';
import { ResultsService, type CommandContext, type CommandResult } from './results.service';

interface RequestLike {
  ip?: string;
  method: string;
  url: string;
}

// the name @Headers('idempotency-key') documents too: one parameter in the OpenAPI document, not two
const IDEMPOTENCY = { name: 'idempotency-key', required: true, description: 'Unique key per intended command; retries replay the first answer.' };

/** HTTP adapter of result-service. Every POST needs an Idempotency-Key. */
@ApiTags('results')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('dossiers')
export class ResultsController {
  constructor(private readonly service: ResultsService) {}

  @Get(':id')
  @ApiOperation({ summary: 'Result-side view of a dossier: status, due dates, result, fee lines, payments, return, rating, inter-agency steps, allowed actions' })
  @DossierViewResponses()
  get(@Param('id') id: string, @CurrentOfficer() officer: Officer) {
    return this.service.get(id, officer);
  }

  @Post(':id/result')
  @HttpCode(200)
  @ApiOperation({ summary: 'The result is ready: paper, or electronic with legal validity and a link to the signed file (DossierResolved)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.RESOLVE_SCHEMA })
  resolve(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'resolve', dto.RESOLVE_SCHEMA, (ctx, b: dto.ResolveDto) => this.service.resolve(ctx, id, b));
  }

  @Post(':id/payments')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the payment of the requested fees, online or at the counter, with exemptions (PaymentCompleted)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.PAYMENT_SCHEMA })
  pay(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'pay', dto.PAYMENT_SCHEMA, (ctx, b: dto.PaymentDto) => this.service.pay(ctx, id, b));
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the result to the applicant at the counter, by post or online (ResultReturned)' })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.RETURN_SCHEMA })
  returnResult(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'return', dto.RETURN_SCHEMA, (ctx, b: dto.ReturnDto) => this.service.returnResult(ctx, id, b));
  }

  @Post(':id/rating')
  @HttpCode(200)
  @ApiOperation({ summary: "Record the citizen's rating (DossierRated); once per dossier" })
  @ApiHeader(IDEMPOTENCY)
  @CommandResponses()
  @ApiBody({ schema: dto.RATING_SCHEMA })
  rate(@Param('id') id: string, @Body() body: unknown, @CurrentOfficer() o: Officer, @Req() req: RequestLike, @Headers('idempotency-key') key?: string) {
    return this.run(req, key, o, body, 'rate', dto.RATING_SCHEMA, (ctx, b: dto.RatingDto) => this.service.rate(ctx, id, b));
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
    const body = validateBody<B>(`result.${schemaId}`, schema, rawBody ?? {});
    return exec(
      { officer, ip: req.ip, correlationId: currentCorrelationId() ?? 'none', idempotencyKey, requestHash: requestHash(req.method, req.url, body) },
      body,
    );
  }
}
