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

const WEEKDAYS_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

/** `Thứ Sáu, 24/04/2026` for a local date `2026-04-24`. */
export function vnDayLabel(isoDate: string): string {
  const weekday = WEEKDAYS_VI[new Date(`${isoDate}T00:00:00Z`).getUTCDay()] as string;
  return `${weekday}, ${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`;
}

/** `21:19 Thứ Sáu, 24/04/2026`: an instant as the receipt words it. */
export function vnInstantLabel(d: Date): string {
  const iso = new Date(d.getTime() + OFFSET_MS).toISOString();
  return `${iso.slice(11, 16)} ${vnDayLabel(iso.slice(0, 10))}`;
}
