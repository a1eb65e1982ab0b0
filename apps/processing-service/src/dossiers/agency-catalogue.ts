import { Injectable } from '@nestjs/common';
import { getUnitDirectory, toVnDate, type OneStopUnitCatalogue } from '@onestop/domain';

/**
 * The units a dossier may be transferred to or consulted in an inter-agency step: the effective-dated one-stop
 * unit catalogue of @onestop/domain (2025 two-level hierarchy: provincial centres, departments, communes), the
 * same shared directory intake and statistics use.
 */
@Injectable()
export class AgencyCatalogue {
  private readonly units: OneStopUnitCatalogue = getUnitDirectory().oneStopUnits;

  /** The province (2-digit GSO code) of a catalogue unit, whether or not in force; undefined for other codes. */
  provinceOf(code: string): string | undefined {
    return this.units.get(code)?.provinceCode;
  }

  /** True when `code` is a one-stop unit in force on the Vietnam local day of `at`. */
  isKnown(code: string, at: Date): boolean {
    const u = this.units.get(code);
    if (!u) return false;
    const day = toVnDate(at.getTime());
    return day >= u.validFrom && (u.validTo === null || day <= u.validTo);
  }
}
