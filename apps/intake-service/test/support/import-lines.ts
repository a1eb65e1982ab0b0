import { FIX, applicant } from './fixtures';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A historical dossier (2026-03-02, unit FIX.unit) with a full lifecycle, as one NDJSON line. `kind` picks
 * the story: counter → transferred → resolved → returned; online submitted → received; online → rejected.
 */
export function importLine(i: number, kind: 'full' | 'online' | 'rejected' = 'full', day = '260302'): string {
  const start = Date.parse(`20${day.slice(0, 2)}-${day.slice(2, 4)}-${day.slice(4, 6)}T01:00:00Z`) + i * 60_000;
  const code = `${FIX.unit}-${day}-${String(i + 1).padStart(4, '0')}`;
  const base = {
    code,
    unitCode: FIX.unit,
    procedureCode: FIX.procedure,
    applicant: applicant(),
    components: FIX.requiredComponents.map((c, k) => ({ code: c, digitised: k === 0 })),
  };
  if (kind === 'online') {
    return JSON.stringify({
      ...base,
      channel: 'ONLINE',
      externalRef: `dvc-${code}`,
      history: [
        { type: 'DossierSubmitted', occurredAt: iso(start) },
        { type: 'DossierReceived', occurredAt: iso(start + 3600_000), actor: 'can-bo-cu' },
      ],
    });
  }
  if (kind === 'rejected') {
    return JSON.stringify({
      ...base,
      channel: 'ONLINE',
      history: [
        { type: 'DossierSubmitted', occurredAt: iso(start) },
        { type: 'DossierIntakeRejected', occurredAt: iso(start + 7200_000), reason: 'Hồ sơ thiếu chữ ký' },
      ],
    });
  }
  const due = start + 3 * 86_400_000;
  return JSON.stringify({
    ...base,
    channel: 'DIRECT',
    dueAt: iso(due),
    history: [
      { type: 'DossierReceived', occurredAt: iso(start), actor: 'can-bo-cu' },
      { type: 'DossierTransferred', occurredAt: iso(start + 600_000), payload: { agencyCode: '01.STP', transferredAt: iso(start + 600_000).replace('Z', '+00:00') } },
      {
        type: 'DossierResolved',
        occurredAt: iso(start + 86_400_000),
        payload: { finishedAt: iso(start + 86_400_000).replace('Z', '+00:00'), eResult: { issued: true, legallyValid: true }, dueAt: iso(due).replace('Z', '+00:00'), originalDueAt: iso(due).replace('Z', '+00:00'), paperResultRequired: true },
      },
      { type: 'ResultReturned', occurredAt: iso(start + 2 * 86_400_000), payload: { returnedAt: iso(start + 2 * 86_400_000).replace('Z', '+00:00'), deliveryMode: 'COUNTER' } },
    ],
  });
}

/** Invalid lines, each with the field the report must name. */
export function badLines(): { raw: string; field: string }[] {
  const ok = JSON.parse(importLine(9000, 'full', '260303'));
  const mutate = (f: (o: Record<string, unknown>) => void, i: number) => {
    const o = JSON.parse(importLine(9000 + i, 'full', '260303'));
    f(o);
    return JSON.stringify(o);
  };
  void ok;
  return [
    { raw: '{"code": "broken', field: 'line' },
    { raw: mutate((o) => (o['procedureCode'] = '9.999999'), 1), field: 'procedureCode' },
    { raw: mutate((o) => (o['unitCode'] = '79.TTPV'), 2), field: 'code' },
    { raw: mutate((o) => ((o['history'] as { occurredAt: string }[])[3]!.occurredAt = new Date(Date.now() + 86_400_000).toISOString()), 3), field: 'history[3].occurredAt' },
    { raw: mutate((o) => (o['history'] as unknown[]).splice(1, 1), 4), field: 'history[1].type' },
    { raw: mutate((o) => delete ((o['history'] as { payload: Record<string, unknown> }[])[2]!.payload['eResult']), 5), field: 'history[2].payload' },
    { raw: mutate((o) => delete o['applicant'], 6), field: 'applicant' },
  ];
}

/**
 * A dossier received before the 2025 reform (ADR 0206), received at the counter and resolved, with an explicit
 * appointment. `unit` names the receiving unit either the legacy way (old system's agency code + old GSO commune
 * code at the receipt date) or directly as a 2025 one-stop unit; `code` is the dossier code in our scheme.
 */
export function pre2025Line(
  code: string,
  unit: { legacyUnit: { agencyCode: string; communeCode: string }; unitCode?: string } | { unitCode: string },
  receivedAt = '2024-03-04T02:00:00Z',
): string {
  const start = Date.parse(receivedAt);
  const due = start + 5 * 86_400_000;
  const at = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
  return JSON.stringify({
    code,
    ...unit,
    procedureCode: FIX.procedure,
    channel: 'DIRECT',
    applicant: applicant(),
    components: FIX.requiredComponents.map((c) => ({ code: c })),
    externalRef: `legacy-${code}`,
    dueAt: iso(due),
    history: [
      { type: 'DossierReceived', occurredAt: iso(start), actor: 'can-bo-cu' },
      { type: 'DossierTransferred', occurredAt: iso(start + 600_000), payload: { agencyCode: '000.00.15.H26', transferredAt: at(start + 600_000) } },
      {
        type: 'DossierResolved',
        occurredAt: iso(start + 86_400_000),
        payload: { finishedAt: at(start + 86_400_000), eResult: { issued: false, legallyValid: false }, dueAt: at(due), originalDueAt: at(due), paperResultRequired: true },
      },
    ],
  });
}
