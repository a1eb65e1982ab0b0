import ExcelJS from 'exceljs';
import { toVnIso } from '@onestop/domain';
import { type ReportRow } from './indicators.service';

export const REPORT_COLUMNS: { key: keyof ReportRow; title: string }[] = [
  { key: 'unitId', title: 'Unit (mã đơn vị)' },
  { key: 'unitName', title: 'Unit name (tên đơn vị)' },
  { key: 'carriedOver', title: 'Carried over (kỳ trước chuyển qua)' },
  { key: 'receivedOnline', title: 'Received online (trực tuyến)' },
  { key: 'receivedDirectOrPostal', title: 'Received direct + postal (trực tiếp, bưu chính)' },
  { key: 'received', title: 'Received total (tổng tiếp nhận)' },
  { key: 'resolvedEarly', title: 'Resolved early (trước hạn)' },
  { key: 'resolvedOnTime', title: 'Resolved on time (đúng hạn)' },
  { key: 'resolvedLate', title: 'Resolved late (quá hạn)' },
  { key: 'resolved', title: 'Resolved total (tổng đã giải quyết)' },
  { key: 'endedRefused', title: 'Ended without result, refused / stopped (từ chối, dừng xử lý)' },
  { key: 'endedWithdrawn', title: 'Ended without result, withdrawn (công dân rút hồ sơ)' },
  { key: 'endedWithoutResult', title: 'Ended without result total (tổng kết thúc không có kết quả)' },
  { key: 'inProgressInTime', title: 'In progress, in time (đang xử lý trong hạn)' },
  { key: 'inProgressOverdue', title: 'In progress, overdue (đang xử lý quá hạn)' },
];

/**
 * One CSV field. Text that a spreadsheet would read as a formula (leading `=`, `+`, `-`, `@`, tab or CR) gets a
 * leading apostrophe (OWASP's advice against CSV injection); quoting alone does not stop Excel or LibreOffice from
 * evaluating it. Numbers are written as they are, negative ones included.
 */
export const csvCell = (v: unknown): string => {
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * When a report's figures were taken, carried INSIDE a downloaded file (a saved CSV or XLSX has no HTTP headers): the
 * instant its in-progress columns were evaluated at, the newest event applied, and the consumer lag.
 */
export interface ReportAsOf {
  cutoff: string;
  lastEventAt: string | null;
  consumerLag: number | null;
  /** The report's unit is no longer in force: where its dossiers are counted (ADR 0410 amendment, round 8). */
  countedUnder?: { unitId: string; name: string } | null;
}

/** An instant of the file in Vietnam time (`…+07:00`): a reader takes a bare `Z` time for local time. */
const vnTime = (iso: string | null): string => (iso === null ? '' : toVnIso(iso));
/**
 * The in-progress columns' instant as a reader names it: the last millisecond before the (exclusive) cut-off, as the
 * dashboard says "23:59:59 31/10/2026" — not "as of 01/11 00:00" for October's report (black-box round 8).
 */
const asOfTime = (cutoff: string): string => toVnIso(Date.parse(cutoff) - 1);
const COUNTED_UNDER_TITLE = 'Counted under: unit no longer in force (đơn vị không còn hiệu lực, số liệu tính vào)';
const countedUnderText = (c: { unitId: string; name: string }): string => `${c.unitId} ${c.name}`;

/** The CSV's last columns: the same on every row, so the table stays rectangular for any CSV reader. */
const AS_OF_COLUMNS: { key: keyof ReportAsOf; title: string }[] = [
  { key: 'cutoff', title: 'In progress as of (đang xử lý tính đến)' },
  { key: 'lastEventAt', title: 'Last event applied (sự kiện mới nhất đã tính)' },
  { key: 'consumerLag', title: 'Events not yet applied (sự kiện chưa tính)' },
];

/**
 * The CSV: the report's columns, then (given `asOf`) the cut-off, the last event applied (both in Vietnam time) and the
 * lag on every row, and for a unit no longer in force one more column naming the unit its dossiers are counted under.
 */
export function reportCsv(rows: ReportRow[], asOf?: ReportAsOf): string {
  const extra = asOf ? AS_OF_COLUMNS : [];
  const under = asOf?.countedUnder ?? null;
  const lines = [[...REPORT_COLUMNS, ...extra, ...(under ? [{ title: COUNTED_UNDER_TITLE }] : [])].map((c) => csvCell(c.title)).join(',')];
  const asOfCells = asOf ? [asOfTime(asOf.cutoff), vnTime(asOf.lastEventAt), asOf.consumerLag ?? ''].map(csvCell) : [];
  if (under) asOfCells.push(csvCell(countedUnderText(under)));
  for (const r of rows) lines.push([...REPORT_COLUMNS.map((c) => csvCell(r[c.key] ?? '')), ...asOfCells].join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

export async function reportXlsx(unitId: string, period: string, rows: ReportRow[], dimension = '*', asOf?: ReportAsOf): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OneStop Pulse statistics-service';
  const ws = wb.addWorksheet(`Report ${period}`);
  ws.columns = REPORT_COLUMNS.map((c) => ({ header: c.title, key: c.key, width: c.key === 'unitName' ? 36 : c.key === 'unitId' ? 18 : 14 }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.addRow([]);
  ws.addRow([`Unit (đơn vị) ${unitId}, period (kỳ) ${period}${dimension === '*' ? '' : `, ${dimension}`}`]);
  if (asOf) {
    ws.addRow([AS_OF_COLUMNS[0]!.title, asOfTime(asOf.cutoff)]);
    ws.addRow([AS_OF_COLUMNS[1]!.title, asOf.lastEventAt === null ? '—' : vnTime(asOf.lastEventAt)]);
    ws.addRow([AS_OF_COLUMNS[2]!.title, asOf.consumerLag ?? 'unknown (không rõ)']);
    if (asOf.countedUnder) ws.addRow([COUNTED_UNDER_TITLE, countedUnderText(asOf.countedUnder)]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
