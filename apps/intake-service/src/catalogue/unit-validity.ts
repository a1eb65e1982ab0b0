import type { UnitValidity } from './intake-catalogue';

/** Old units named in a message at most (a 2025 commune was formed from up to a dozen). */
const MAX_NAMED = 12;

/**
 * Why a one-stop unit the catalogue knows is refused on `day` (Vietnam date, `YYYY-MM-DD`), or undefined when it is
 * in force that day. Before it took effect the message names the pre-2025 units it was formed from (ADR 0103):
 * their GSO codes are what a historical import's `legacyUnit.communeCode` takes (ADR 0206).
 */
export function unitNotInForceMessage(v: UnitValidity, day: string): string | undefined {
  const unit = `one-stop unit ${v.code} (${v.name})`;
  if (day < v.validFrom) {
    const named = v.predecessors.slice(0, MAX_NAMED).map((p) => `${p.code} ${p.name}${p.whole ? '' : ' (part)'}`);
    const more = v.predecessors.length > MAX_NAMED ? `, and ${v.predecessors.length - MAX_NAMED} more` : '';
    const before =
      named.length > 0
        ? `; on ${day} its area was under the pre-2025 unit${named.length > 1 ? 's' : ''} ${named.join(', ')}${more} (a dossier of that time comes in by historical import, legacyUnit.communeCode)`
        : '';
    return `${unit} is in force from ${v.validFrom}, not on ${day}${before}`;
  }
  if (v.validTo !== null && day > v.validTo) return `${unit} was in force until ${v.validTo}, not on ${day}`;
  return undefined;
}
