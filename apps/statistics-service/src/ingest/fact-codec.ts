import { type Facts } from '../indicators/indicator-engine';

/**
 * Compact fact-sheet encoding (ADR 0403): a JSON array of the values in a fixed field order instead of an object
 * with its key names, the dossier id left out (it is the row key) and the fact stamps' event ids written once:
 *   [1, unitId, procedureCode, …, eResultLegallyValid, [ids…], group, rank, at, idIndex, group, …]
 * ~45 % of the object form, so a row stays under Postgres's 2 KB TOAST threshold (no compression, no TOAST
 * table write). Rows written before (the object form) are still read as they are (`decodeFacts` accepts both)
 * and rewritten compactly when their dossier next changes.
 *
 * LAYOUTS never change: a change of the domain's DossierFacts fields adds a new layout number (the unit test
 * compares LAYOUTS[CURRENT] with `emptyFacts`). A fact sheet whose keys do not match the current layout is stored
 * in the object form.
 */
export const LAYOUTS: Readonly<Record<number, readonly string[]>> = {
  1: [
    'unitId', 'procedureCode', 'sectorCode', 'channel', 'applicantType', 'submittedAt', 'receivedAt', 'resolvingUnitId',
    'noAppointment', 'feeRequired', 'rejectedAt', 'originalDueAt', 'dueAt', 'paperResultRequired', 'status', 'statusAt',
    'outcome', 'finishedAt', 'returnedAt', 'rating', 'ratedAt', 'supplementRequests', 'digitised', 'reused',
    'fromRepository', 'vneidVerified', 'feeObligationSeen', 'feeCharged', 'paidOnline', 'eResultIssued', 'eResultLegallyValid',
  ],
};
export const CURRENT_LAYOUT = 1;

interface Stamp {
  rank: number;
  at: number;
  id: string;
}

/** The stored json text of a fact sheet. */
export function encodeFacts(f: Facts): string {
  const fields = LAYOUTS[CURRENT_LAYOUT]!;
  const keys = Object.keys(f);
  // dossierId + the layout's fields + stamps, nothing else
  if (keys.length !== fields.length + 2 || f['dossierId'] === undefined || typeof f['stamps'] !== 'object' || f['stamps'] === null) return JSON.stringify(f);
  const out: unknown[] = [CURRENT_LAYOUT];
  for (const k of fields) {
    const v = f[k];
    if (v === undefined) return JSON.stringify(f);
    out.push(v);
  }
  const ids: string[] = [];
  out.push(ids);
  for (const [group, s] of Object.entries(f['stamps'] as Record<string, Stamp>)) {
    if (Object.keys(s).length !== 3 || typeof s.id !== 'string') return JSON.stringify(f);
    let i = ids.indexOf(s.id);
    if (i < 0) i = ids.push(s.id) - 1;
    out.push(group, s.rank, s.at, i);
  }
  return JSON.stringify(out);
}

/** A stored fact sheet (compact array or the object form written before ADR 0403) back to the domain's object. */
export function decodeFacts(dossierId: string, stored: unknown): Facts {
  if (!Array.isArray(stored)) return stored as Facts;
  const fields = LAYOUTS[stored[0] as number];
  if (fields === undefined) throw new Error(`fact sheet of ${dossierId}: unknown layout ${String(stored[0])}`);
  const f: Facts = { dossierId };
  for (let i = 0; i < fields.length; i++) f[fields[i]!] = stored[i + 1];
  const ids = stored[fields.length + 1] as string[];
  const stamps: Record<string, Stamp> = {};
  for (let i = fields.length + 2; i < stored.length; i += 4) {
    stamps[stored[i] as string] = { rank: stored[i + 1] as number, at: stored[i + 2] as number, id: ids[stored[i + 3] as number]! };
  }
  f['stamps'] = stamps;
  return f;
}
