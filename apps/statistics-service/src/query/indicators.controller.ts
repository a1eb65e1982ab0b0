import { Controller, Get, Inject, Param, Query, Res, Sse, UseGuards, applyDecorators, type MessageEvent } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ProblemException } from '@onestop/http';
import { type Observable } from 'rxjs';
import { IndicatorsService } from './indicators.service';
import { LiveFeed } from './live-feed';
import { LiveUnitGuard } from './live-unit.guard';
import { DOCUMENTED_RANKING_METRICS } from './ranking-metrics';
import { reportCsv, reportXlsx } from './report-export';

interface ReplyLike {
  header(name: string, value: string): ReplyLike;
}

const DIMENSION_DOC = '* (or all) | P:<procedure> (or procedure:<code>) | S:<sector> (or sector:<code>); not with a day period';
const PERIOD_DOC = 'D2025-11-03 | M2025-11 | Q2025-4 | Y2025 (Asia/Ho_Chi_Minh)';
const GAUGES_DOC =
  'gauges: { inProgress, inProgressInTime, inProgressOverdue, dueSoon, paused } are evaluated at gaugesAsOf (domain §2.5: in progress ' +
  'in time / overdue at the END of the period): for a period that has ended, as of its end (the same numbers as the report for the ' +
  'period; paused is null there, pauses are not kept per instant); for the current period, the live values as of gaugesAsOf ≈ now ' +
  '(cached ≤ 1–4 s, served up to 5 s old while refreshing). Overdue = legal due DATE (Vietnam) before the date evaluated (the ' +
  "period's last day, or today) and not paused; in time = the rest (due that day or later, no due date, or paused); dueSoon = in " +
  'time, not paused, due within STATS_DUE_SOON_HOURS (ADR 0412)';
const FRESHNESS_DOC =
  'freshness: { lastEventAt, consumerLag, consumerLagAsOf, source: redis|postgres, asOf }. consumerLag is the last known lag as of ' +
  'consumerLagAsOf (normally within ~2 s of asOf; older when the Kafka broker is not answering: an answer never waits more than ' +
  '0.5 s for it); both are null when the lag is unknown (no answer from the broker for 30 s, or none since boot)';

/** The `unitId` path parameter and the answers shared by every /v1/units/{unitId}/… route. */
function UnitRoute(): MethodDecorator {
  return applyDecorators(
    ApiParam({
      name: 'unitId',
      example: '01',
      description:
        'A unit of the domain unit directory: VN, a province (01), a commune (00004), a one-stop unit (01.00004, 01.TTPV), a pre-2025 ' +
        'unit code or id (00004@pre2025), or a unit this service has counted (listed by /v1/units/VN/children)',
    }),
    ApiBadRequestResponse({ description: 'application/problem+json: a malformed query; errors[].field names the parameter' }),
    ApiNotFoundResponse({
      description:
        'application/problem+json: unknown unit (errors[0].field = unitId), or a procedure / sector dimension that is neither in the ' +
        'procedure catalogue nor counted by this service (errors[0].field = dimension)',
    }),
  );
}

@ApiTags('indicators')
@Controller('v1/units')
export class IndicatorsController {
  constructor(
    @Inject(IndicatorsService) private readonly service: IndicatorsService,
    @Inject(LiveFeed) private readonly live: LiveFeed,
  ) {}

  @Get(':unitId/indicators')
  @ApiOperation({ summary: "A unit's indicators for a period (counters rolled up its subtree, Decision 766 rates, in-progress gauges at the end of the period or live, freshness)" })
  @UnitRoute()
  @ApiQuery({ name: 'period', example: 'M2025-11', description: PERIOD_DOC })
  @ApiQuery({ name: 'dimension', required: false, example: '*', description: DIMENSION_DOC })
  @ApiOkResponse({
    description:
      `{ data: { unitId, period, dimension, counts, rates, gauges, gaugesAsOf, countedUnder? }, freshness }; countedUnder: { unitId, name } only for a unit no longer in force (a pre-2025 commune or province): nothing is counted under its own id, its dossiers are counted under that unit of the map in force; ` +
      `${GAUGES_DOC}; ${FRESHNESS_DOC}`,
  })
  indicators(@Param('unitId') unitId: string, @Query('period') period: string, @Query('dimension') dimension?: string) {
    return this.service.indicators(unitId, requirePeriod(period), dimension ?? '*');
  }

  @Get(':unitId/children')
  @ApiOperation({ summary: "Breakdown of a unit's indicators by its child units" })
  @UnitRoute()
  @ApiOkResponse({ description: `{ data: [{ unitId, period, dimension, counts, rates, gauges, gaugesAsOf }], freshness }; ${GAUGES_DOC}; ${FRESHNESS_DOC}` })
  @ApiQuery({ name: 'period', example: 'M2025-11', description: PERIOD_DOC })
  @ApiQuery({ name: 'dimension', required: false, description: DIMENSION_DOC })
  children(@Param('unitId') unitId: string, @Query('period') period: string, @Query('dimension') dimension?: string) {
    return this.service.children(unitId, requirePeriod(period), dimension ?? '*');
  }

  @Get(':unitId/rankings')
  @ApiOperation({ summary: "Ranks a unit's children by a metric (e.g. inProgressOverdue, onTimeRate, received)" })
  @UnitRoute()
  @ApiQuery({ name: 'period', example: 'M2025-11', description: PERIOD_DOC })
  @ApiQuery({
    name: 'metric',
    example: 'inProgressOverdue',
    enum: DOCUMENTED_RANKING_METRICS,
    description:
      'A counter, a Decision 766 rate (0..1) or a gauge (as of data.gaugesAsOf: the end of an ended period, else now); any other name is a 400 whose errors[0].field is metric and whose ' +
      'allowedMetrics lists the names. A child whose rate is undefined (no denominator in the period, e.g. onTimeRate with nothing ' +
      'resolved) is not ranked: it is listed in data.unranked instead',
  })
  @ApiQuery({ name: 'order', required: false, enum: ['desc', 'asc'] })
  @ApiQuery({ name: 'dimension', required: false, example: '*', description: `${DIMENSION_DOC}: ranks the children by that procedure's / sector's figures` })
  @ApiQuery({ name: 'limit', required: false, example: 10, description: 'ranked children to return, 1..1000 (default 10)' })
  @ApiOkResponse({
    description:
      '{ data: { unitId, period, dimension, metric, order, gaugesAsOf, ranking: [{ rank, unitId, value }], unranked: [unitId] }, freshness }: ranking holds ' +
      'the children with a value (rank 1 = first in the order, ties by unitId); unranked the children without one (undefined rate, or ' +
      'paused for an ended period)',
  })
  ranking(
    @Param('unitId') unitId: string,
    @Query('period') period: string,
    @Query('metric') metric: string,
    @Query('order') order?: string,
    @Query('limit') limit?: string,
    @Query('dimension') dimension?: string,
  ) {
    this.service.rankingMetric(metric);
    if (order !== undefined && order !== 'asc' && order !== 'desc') throw ProblemException.validation([{ field: 'order', message: 'asc or desc' }], 'Invalid query');
    // digits only: Number() would also take ' 10', '1e1', '0x0a' or '10.0'
    const n = limit === undefined ? 10 : /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw ProblemException.validation([{ field: 'limit', message: 'integer 1..1000' }], 'Invalid query');
    return this.service.ranking(unitId, requirePeriod(period), metric, order ?? 'desc', n, dimension ?? '*');
  }

  @Get(':unitId/timeseries')
  @ApiOperation({ summary: 'Per-day counters over a date range (≤ 400 days)' })
  @UnitRoute()
  @ApiQuery({ name: 'from', example: '2025-11-01', description: 'first day, a calendar date YYYY-MM-DD (Asia/Ho_Chi_Minh); 2026-02-30 is a 400 naming from' })
  @ApiQuery({ name: 'to', example: '2025-11-30', description: 'last day (inclusive), a calendar date YYYY-MM-DD, from ≤ to, at most 400 days' })
  @ApiQuery({ name: 'dimension', required: false, description: 'only * (all): daily counters are kept for the whole unit' })
  @ApiOkResponse({
    description: `{ data: { unitId, dimension, points: [{ day, counts }] }, freshness }: one point per day from..to (Asia/Ho_Chi_Minh), counters only (no gauges); ${FRESHNESS_DOC}`,
  })
  timeseries(@Param('unitId') unitId: string, @Query('from') from: string, @Query('to') to: string, @Query('dimension') dimension?: string) {
    return this.service.timeseries(unitId, String(from ?? ''), String(to ?? ''), dimension ?? '*');
  }

  @Get(':unitId/report')
  @ApiOperation({ summary: 'Standard periodic report (carried over, received online / direct+postal, resolved early/on time/late, ended without result (refused / withdrawn after receipt), in progress in time/overdue; carried over + received = resolved + ended without result + in progress)' })
  @UnitRoute()
  @ApiQuery({ name: 'period', example: 'M2025-11', description: PERIOD_DOC })
  @ApiQuery({
    name: 'dimension',
    required: false,
    example: '*',
    description: `${DIMENSION_DOC}. Counters from the period's cells of that procedure / sector; carried over and in progress from the dossiers of that procedure / sector`,
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiOkResponse({
    description:
      '{ data: { unitId, period, dimension, cutoff, rows, countedUnder? }, freshness }: countedUnder { unitId, name } for a unit no longer in force (its dossiers are counted under that unit; CSV: one more last column, XLSX: a line under the table); carried over = received before the period and not finished at its start; ' +
      'in progress in time / overdue as of cutoff = min(end of the period, now). CSV/XLSX carry headers x-last-event-at, x-consumer-lag, ' +
      `x-consumer-lag-as-of, x-report-cutoff, and the same inside the file in Vietnam time (+07:00) (CSV: last three columns; XLSX: lines under the table). ${FRESHNESS_DOC}`,
  })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async report(
    @Param('unitId') unitId: string,
    @Query('period') period: string,
    @Res({ passthrough: true }) reply: ReplyLike,
    @Query('format') format?: string,
    @Query('dimension') dimension?: string,
  ) {
    const fmt = format ?? 'json';
    if (!['json', 'csv', 'xlsx'].includes(fmt)) throw ProblemException.validation([{ field: 'format', message: 'json, csv or xlsx' }], 'Invalid query');
    const result = await this.service.report(unitId, requirePeriod(period), dimension ?? '*');
    reply.header('x-last-event-at', result.freshness.lastEventAt ?? '');
    reply.header('x-consumer-lag', String(result.freshness.consumerLag ?? ''));
    reply.header('x-consumer-lag-as-of', result.freshness.consumerLagAsOf ?? '');
    reply.header('x-report-cutoff', result.data.cutoff);
    if (fmt === 'json') return result;
    const dim = result.data.dimension;
    const asOf = { cutoff: result.data.cutoff, lastEventAt: result.freshness.lastEventAt, consumerLag: result.freshness.consumerLag, countedUnder: result.data.countedUnder ?? null };
    const name = `report-${unitId}-${period}${dim === '*' ? '' : `-${dim.replace(':', '_')}`}`;
    if (fmt === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
      return reportCsv(result.data.rows, asOf);
    }
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}.xlsx"`);
    return reportXlsx(unitId, period, result.data.rows, dim, asOf);
  }

  @Sse(':unitId/live')
  @UseGuards(LiveUnitGuard) // unit and period checked before the event stream starts: a 404 / 400 is problem+json
  @ApiOperation({ summary: "Server-Sent Events: counter changes of the unit's subtree (dimension all) as they commit" })
  @UnitRoute()
  @ApiQuery({ name: 'period', required: false, description: PERIOD_DOC })
  @ApiQuery({ name: 'dimension', required: false, description: 'only * (all): the feed carries whole-unit counters; P:/S: is a 400 naming dimension' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'text/event-stream: events of type indicators, data { changes: [{ unitId, period, metric, value, lastEventAt, committedAt }] }: ' +
      'absolute counter values of the subtree (stored day / month cells of dimension *; for a quarter or year, its months) as they ' +
      'commit; no gauges. Every STATS_SSE_HEARTBEAT_SECONDS (default 15; 0 = none) and first on connect, an event of type ' +
      'heartbeat, data { at, intervalSeconds }: a stream with neither for ~2 intervals is dead (reconnect). The first event ' +
      'carries a retry: hint (ms) for the reconnection',
    content: {
      'text/event-stream': {
        schema: { type: 'string', example: 'event: heartbeat\nid: 1\nretry: 3000\ndata: {"at":"…","intervalSeconds":15}\n\nevent: indicators\nid: 2\ndata: {"changes":[…]}\n\n' },
      },
    },
  })
  liveFeed(@Param('unitId') unitId: string, @Query('period') period?: string): Observable<MessageEvent> {
    return this.live.events(unitId, period);
  }
}

function requirePeriod(period: string | undefined): string {
  if (!period) throw ProblemException.validation([{ field: 'period', message: 'required, e.g. M2025-11' }], 'Invalid query');
  return period;
}
