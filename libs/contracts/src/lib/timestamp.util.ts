/** Vietnam (Asia/Ho_Chi_Minh) is UTC+07:00 all year: no daylight-saving time. */
export const VN_UTC_OFFSET_MINUTES = 7 * 60;
const VN_OFFSET_MS = VN_UTC_OFFSET_MINUTES * 60_000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** `2025-11-23T09:30:00.000+07:00`: an instant written in Vietnam local time, the form events use. */
export function toVnIsoString(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('toVnIsoString: invalid date');
  const local = new Date(ms + VN_OFFSET_MS);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}+07:00`
  );
}
