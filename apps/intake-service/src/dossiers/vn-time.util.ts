/** Vietnam has used UTC+07:00 all year since 1975 (no DST), so fixed-offset arithmetic is exact. */
const OFFSET_MS = 7 * 3600_000;

/** `2025-11-23T09:30:00.000+07:00`: the event contract wants an explicit offset; local time reads better. */
export function toVnIso(d: Date): string {
  const local = new Date(d.getTime() + OFFSET_MS).toISOString();
  return local.replace('Z', '+07:00');
}

/** Local calendar day `yyMMdd` (dossier code) and `YYYY-MM-DD` (sequence row) of an instant. */
export function vnDay(d: Date): { yymmdd: string; isoDate: string } {
  const iso = new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10);
  return { yymmdd: iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10), isoDate: iso };
}

/** `dd/MM/yyyy HH:mm` local, as printed on the receipt. */
export function vnDisplay(d: Date): string {
  const iso = new Date(d.getTime() + OFFSET_MS).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
}
