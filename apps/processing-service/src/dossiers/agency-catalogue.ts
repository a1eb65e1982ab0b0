import { Injectable } from '@nestjs/common';
import { AdminUnitRegistry, OneStopUnitCatalogue, readAdminUnitDataFiles, toVnDate } from '@onestop/domain';

/**
 * The units a dossier may be transferred to or consulted in an inter-agency step: the effective-dated one-stop
 * unit catalogue of @onestop/domain (2025 two-level hierarchy: provincial centres, departments, communes), as
 * intake uses it for receiving units. Built once at boot (~3.4k units, read synchronously).
 */
@Injectable()
export class AgencyCatalogue {
  private readonly units: OneStopUnitCatalogue;

  constructor() {
    const files = readAdminUnitDataFiles();
    this.units = OneStopUnitCatalogue.fromRegistry(AdminUnitRegistry.fromRaw(files.merges, files.provinceCodes));
  }

  /** True when `code` is a one-stop unit in force on the Vietnam local day of `at`. */
  isKnown(code: string, at: Date): boolean {
    const u = this.units.get(code);
    if (!u) return false;
    const day = toVnDate(at.getTime());
    return day >= u.validFrom && (u.validTo === null || day <= u.validTo);
  }
}
