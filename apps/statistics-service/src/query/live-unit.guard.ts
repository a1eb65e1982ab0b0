import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ProblemException } from '@onestop/http';
import { ALL_DIMENSION } from '../indicators/indicator-engine';
import { IndicatorsService, dimensionKey } from './indicators.service';

/**
 * Checks the live feed's `unitId` and `period` BEFORE the Server-Sent Events response starts. In the handler the
 * check came too late whenever it had to ask Postgres (a unit the directory does not know, not cached yet): Nest
 * commits an SSE route's `200 text/event-stream` headers on the next macrotask once an interceptor (the global
 * HTTP metrics one) has handed back its Observable, so the 404 arrived as an `event: error` with "Internal server
 * error" in a 200 stream instead of the problem+json every other route answers. A guard runs before any of
 * that: its ProblemException goes through the exception filter like any route's.
 */
@Injectable()
export class LiveUnitGuard implements CanActivate {
  constructor(@Inject(IndicatorsService) private readonly service: IndicatorsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<{ params?: Record<string, unknown>; query?: Record<string, unknown> }>();
    const unitId = String(req.params?.['unitId'] ?? '');
    const period = req.query?.['period'];
    this.service.validate(unitId, period === undefined ? undefined : String(period));
    // the feed carries whole-unit counters only: a procedure / sector asked for would get the unit's changes instead
    const dimension = req.query?.['dimension'];
    if (dimension !== undefined && (typeof dimension !== 'string' || dimensionKey(dimension) !== ALL_DIMENSION)) {
      throw ProblemException.validation([{ field: 'dimension', message: 'the live feed carries whole-unit counters only: * (all), or leave it out' }], 'Invalid query');
    }
    await this.service.requireUnit(unitId);
    return true;
  }
}
