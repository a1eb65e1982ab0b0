import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DossierStatus, toVnIsoString } from '@onestop/contracts';
import { CurrentOfficer, JwtAuthGuard, ProblemException, assertUnitScope, type Officer } from '@onestop/http';
import { CLOCK, type Clock } from '../clock/clock';
import { PROCESSING_CONFIG, type ProcessingConfig } from '../config/processing.config';
import { DossierRepository } from '../dossiers/dossier.repository';
import { WorkQueueResponses } from '../dossiers/dto/responses';

const OPEN: string[] = [
  DossierStatus.Received,
  DossierStatus.InProcess,
  DossierStatus.SupplementRequested,
  DossierStatus.AwaitingPayment,
  DossierStatus.Suspended,
];

/** An agency code or officer id, as the commands take them. */
const ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The work queue of an agency (and optionally one officer): overdue first, then due soon, then by due date. */
@ApiTags('work-queue')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('work-queue')
export class WorkQueueController {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: DossierRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROCESSING_CONFIG) private readonly cfg: ProcessingConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Open dossiers of an agency/officer, most urgent first' })
  @WorkQueueResponses()
  @ApiQuery({ name: 'agencyId', required: false, description: "Defaults to the officer's unit" })
  @ApiQuery({ name: 'officerId', required: false, description: "'me' for the caller" })
  @ApiQuery({ name: 'limit', required: false })
  async list(
    @CurrentOfficer() officer: Officer,
    @Query('agencyId') agencyId?: string,
    @Query('officerId') officerId?: string,
    @Query('limit') limit?: string,
  ) {
    // Filters are ids (agency codes, officer ids: the code pattern of the commands). Anything else names nobody, and
    // a NUL reached Postgres: 500 (ADR 0309).
    for (const [field, value] of [['agencyId', agencyId], ['officerId', officerId === 'me' ? undefined : officerId]] as const) {
      if (value !== undefined && !ID.test(value)) {
        throw ProblemException.validation([{ field, message: 'must be an id: letters, digits and . _ - (1–64 characters), or "me" for officerId' }]);
      }
    }
    const agency = agencyId ?? officer.unitId;
    assertUnitScope(officer, agency, 'agencyId');
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 500) {
      throw ProblemException.validation([{ field: 'limit', message: 'must be an integer in [1, 500]' }]);
    }
    const now = this.clock.now();
    const rows = await this.repo.workQueue(this.ds.manager, {
      agencyId: agency,
      officerId: officerId === 'me' ? officer.officerId : officerId,
      now,
      dueSoonBefore: new Date(now.getTime() + this.cfg.deadlines.dueSoonWindowMinutes * 60_000),
      openStatuses: OPEN,
      limit: n,
    });
    return { agencyId: agency, asOf: toVnIsoString(now), items: rows.map((r) => ({ ...this.repo.toView(r), urgency: r.urgency })) };
  }
}
