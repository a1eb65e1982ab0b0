import type { ClockStartRoll, DueDateFacts, ProcedureInfo, UnitInfo } from '../catalogue/intake-catalogue';
import type { DossierView } from './dossier.model';
import { addDays, toVnDate } from '@onestop/domain';
import { vnDayLabel, vnDisplay, vnInstantLabel } from './vn-time.util';

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt and appointment), as data. */
export interface Receipt {
  form: string;
  title: string;
  unit: { code: string; name: string; provinceName: string | null };
  dossierCode: string;
  procedure: { code: string; name: string };
  applicant: { fullName: string; idNumber: string; phone: string; email: string | null; address: string | null };
  channel: string;
  receivedAt: string;
  receivedBy: string | null;
  components: { code: string; name: string; copies: number; digitised: boolean; reused: boolean; fromRepository: boolean }[];
  dueAt: string | null;
  /** Imported dossier (ADR 0206): its number in the legacy system and the old receiving unit, when known; else null. */
  legacy: { code: string | null; agencyCode: string | null; communeCode: string | null } | null;
  /** The deadline calculator's steps, as stored with the dossier (English). */
  dueExplanation: string[];
  /** The same computation worded in Vietnamese for the printed page (receipt, clock start, limit, days off). */
  dueExplanationVi: string[];
  /** How the citizen chose to receive the result (HinhThucTra). */
  resultDeliveryMode: 'COUNTER' | 'POST' | 'ONLINE';
  /** Where / how, in Vietnamese, as item 4 of the form says it. */
  resultDelivery: string;
  /** The receiving officer's name for the signature block (the id when the name is not known). */
  receivedByName: string | null;
  note: string;
}

/**
 * The explanation stored with an imported dossier whose appointment (`dueAt`) came with the file: the date of the
 * original receipt, not one computed from today's catalogue limit.
 */
export const ORIGINAL_RECEIPT_DUE_NOTE = 'Ngày hẹn trả theo giấy tiếp nhận gốc (dữ liệu nhập lịch sử)';
/** The same note in English: what the import stores as the (English) `dueExplanation`. */
export const ORIGINAL_RECEIPT_DUE_NOTE_EN = 'Appointment as on the original receipt (historical import)';

/** Whether the dossier's appointment came with an import file (either wording: older imports stored the Vietnamese). */
function originalReceiptDue(d: DossierView): boolean {
  const e = d.dueExplanation;
  return d.imported && e?.length === 1 && (e[0] === ORIGINAL_RECEIPT_DUE_NOTE || e[0] === ORIGINAL_RECEIPT_DUE_NOTE_EN);
}

/**
 * Item 4 of the form by the citizen's choice (black-box round 10: a postal or online dossier was told to come to the
 * counter): the unit's desk, the public postal service to the applicant's address, or the electronic result online.
 */
function deliveryVi(d: DossierView, unitName: string): string {
  switch (d.resultDelivery) {
    case 'POST':
      return `Qua dịch vụ bưu chính công ích, gửi đến địa chỉ: ${d.applicant.address ?? ''}`;
    case 'ONLINE':
      return 'Trực tuyến: kết quả điện tử trên Cổng Dịch vụ công, tài khoản của người nộp hồ sơ';
    default:
      return `Bộ phận Tiếp nhận và Trả kết quả — ${unitName}`;
  }
}

const DELIVERY_NOTE_VI: Record<DossierView['resultDelivery'], string> = {
  COUNTER: 'Khi đến nhận kết quả, đề nghị mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả này.',
  POST: 'Kết quả được gửi qua dịch vụ bưu chính công ích; người nộp hồ sơ thanh toán cước theo quy định (nếu có).',
  ONLINE: 'Kết quả điện tử được gửi vào tài khoản của người nộp hồ sơ trên Cổng Dịch vụ công; có thể tra cứu bằng mã hồ sơ.',
};

const CHANNEL_VI: Record<string, string> = { DIRECT: 'Trực tiếp', POSTAL: 'Qua dịch vụ bưu chính công ích', ONLINE: 'Trực tuyến' };

const UNIT_VI: Record<string, string> = { WORKING_HOURS: 'giờ làm việc', WORKING_DAYS: 'ngày làm việc', CALENDAR_DAYS: 'ngày', MONTHS: 'tháng' };
const rollVi = (roll: ClockStartRoll, f: DueDateFacts): string => {
  switch (roll) {
    case 'BEFORE_OPENING':
      return `trước giờ làm việc (${f.openingTime})`;
    case 'MIDDAY_BREAK':
      return 'trong giờ nghỉ trưa';
    case 'AFTER_CLOSING':
      return `sau giờ làm việc (${f.closingTime})`;
    case 'DAY_OFF':
      return 'vào ngày nghỉ';
  }
};
const number = (n: number): string => String(n).replace('.', ',');
/** A day off as the receipt names it: `Thứ Bảy, 07/03/2026 (nghỉ hằng tuần)`. */
const dayOffLabel = (x: DueDateFacts['daysOff'][number]): string =>
  `${vnDayLabel(x.date)} (${x.nameVi ?? (x.weeklyRest ? 'nghỉ hằng tuần' : 'ngày nghỉ')}${x.provisional ? ' – dự kiến' : ''})`;

/**
 * How the appointment was computed, in Vietnamese, from the dossier (receipt, limit) and the calendar facts
 * (clock start, days off). Empty when there is no appointment (the page then says "Không hẹn").
 */
export function vietnameseDueExplanation(d: DossierView, facts?: DueDateFacts): string[] {
  if (d.receiptDueAt == null || d.receivedAt == null) return [];
  const lines = [`Hồ sơ được tiếp nhận lúc ${vnInstantLabel(new Date(d.receivedAt))}.`];
  // An imported appointment is the original receipt's: the catalogue's limit and clock start did not make it (the
  // limit may have changed since), so printing them would contradict the date on the page.
  if (originalReceiptDue(d)) return [...lines, `${ORIGINAL_RECEIPT_DUE_NOTE}.`];
  if (facts) {
    lines.push(
      facts.clockStartRoll === null
        ? 'Thời hạn được tính từ thời điểm tiếp nhận (trong giờ làm việc).'
        : `Hồ sơ tiếp nhận ${rollVi(facts.clockStartRoll, facts)} nên thời hạn được tính từ ${vnInstantLabel(facts.clockStartAt)}.`,
    );
  }
  const limit = d.timeLimit;
  if (limit) {
    const perDay = limit.unit === 'WORKING_DAYS' && facts ? ` (1 ngày làm việc = ${number(facts.workingHoursPerDay)} giờ làm việc)` : '';
    lines.push(`Thời hạn giải quyết: ${number(limit.value)} ${UNIT_VI[limit.unit] ?? limit.unit}${perDay}.`);
  }
  const workingTime = limit?.unit === 'WORKING_HOURS' || limit?.unit === 'WORKING_DAYS';
  if (facts && workingTime && facts.daysOff.length > 0) {
    const days = facts.daysOff.map(dayOffLabel);
    lines.push(`Không tính các ngày nghỉ: ${days.join('; ')}.`);
  }
  // a Saturday worked in exchange for a weekday off (làm bù) counts as a working day: an appointment on a Saturday
  // needs its reason on the page (black-box round 9)
  const dueDay = d.receiptDueAt ? toVnDate(new Date(d.receiptDueAt).getTime()) : null;
  const worked = (facts?.workedRestDays ?? []).filter((x) => workingTime || x.date === dueDay);
  if (worked.length > 0) {
    const days = worked.map((x) => `${vnDayLabel(x.date)}${x.swappedFor ? ` (làm bù cho ${vnDayLabel(x.swappedFor)})` : ''}${x.provisional ? ' – dự kiến' : ''}`);
    const onDueDay = worked.some((x) => x.date === dueDay);
    lines.push(`Ngày làm việc bù được tính là ngày làm việc: ${days.join('; ')}${onDueDay ? '; bộ phận tiếp nhận và trả kết quả làm việc vào ngày hẹn trả này' : ''}.`);
  }
  // a limit in calendar days never ends on a day off (domain.md §2.3): say why the appointment is after the last day
  // (black-box round 8: 18/8 + 15 days = 2/9, Quốc khánh, printed 3/9 with no word in Vietnamese)
  if (facts && limit?.unit === 'CALENDAR_DAYS') {
    const lastDay = addDays(toVnDate(facts.clockStartAt.getTime()), limit.value);
    const moved = facts.daysOff.filter((x) => x.date >= lastDay);
    if (moved.length > 0) {
      const days = moved.map(dayOffLabel);
      lines.push(`Ngày cuối của thời hạn rơi vào ngày nghỉ: ${days.join('; ')}, nên ngày hẹn trả là ngày làm việc tiếp theo.`);
    }
  }
  if (facts?.provisionalYears?.length && workingTime) {
    const years = facts.provisionalYears.join(', ');
    lines.push(`Lịch nghỉ năm ${years} là dự kiến theo Bộ luật Lao động, chưa có thông báo chính thức; ngày hẹn có thể được điều chỉnh khi có thông báo.`);
  }
  return lines;
}

export function buildReceipt(d: DossierView, unit: UnitInfo | undefined, procedure: ProcedureInfo | undefined, facts?: DueDateFacts): Receipt {
  // Printed names come from the catalogue when it has them; otherwise the recorded name (the code).
  const nameOf = (code: string, recorded: string): string => {
    const name = procedure?.components.find((x) => x.code === code)?.name;
    return name && name !== code ? name : recorded;
  };
  // Printed in the procedure's order (the catalogue's component list, as on the procedure's form); the dossier's
  // components come from the database sorted by code. A component the catalogue does not list goes last.
  const rank = new Map((procedure?.components ?? []).map((x, i) => [x.code, i]));
  const ordered = [...d.components].sort((a, b) => (rank.get(a.code) ?? rank.size) - (rank.get(b.code) ?? rank.size));
  return {
    form: 'Mẫu số 01',
    title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
    unit: { code: d.unitCode, name: unit?.name ?? d.unitCode, provinceName: unit?.provinceName ?? null },
    dossierCode: d.code,
    procedure: { code: d.procedureCode, name: procedure?.name ?? d.procedureCode },
    applicant: {
      fullName: d.applicant.fullName,
      idNumber: d.applicant.idNumber,
      phone: d.applicant.phone,
      email: d.applicant.email ?? null,
      address: d.applicant.address ?? null,
    },
    channel: d.channel,
    receivedAt: d.receivedAt as string,
    receivedBy: d.receivedBy,
    components: ordered.map((x) => ({ code: x.code, name: nameOf(x.code, x.name), copies: x.copies, digitised: x.digitised, reused: x.reused, fromRepository: x.fromRepository })),
    // the receipt's appointment, not the one in force after a supplement, a pause or an apology
    dueAt: d.receiptDueAt,
    legacy: d.legacyCode != null || d.legacyUnit != null ? { code: d.legacyCode, agencyCode: d.legacyUnit?.agencyCode ?? null, communeCode: d.legacyUnit?.communeCode ?? null } : null,
    dueExplanation: originalReceiptDue(d) ? [ORIGINAL_RECEIPT_DUE_NOTE_EN] : (d.dueExplanation ?? []),
    dueExplanationVi: vietnameseDueExplanation(d, facts),
    resultDeliveryMode: d.resultDelivery,
    resultDelivery: deliveryVi(d, unit?.name ?? d.unitCode),
    receivedByName: d.receivedByName,
    note: DELIVERY_NOTE_VI[d.resultDelivery],
  };
}

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const display = (iso: string | null): string => (iso ? vnDisplay(new Date(iso)) : 'Không hẹn (giải quyết ngay)');

/** The legacy number and old receiving unit of an imported dossier, as known. */
function legacyHtml(l: Receipt['legacy']): string {
  if (!l) return '';
  const unit = [l.agencyCode ? `mã cơ quan ${esc(l.agencyCode)}` : '', l.communeCode ? `mã xã/phường cũ ${esc(l.communeCode)}` : ''].filter(Boolean).join(', ');
  return [
    l.code ? `<p class="sub">Số hồ sơ trên hệ thống cũ: <b>${esc(l.code)}</b></p>` : '',
    unit ? `<p class="sub">Đơn vị tiếp nhận trên hệ thống cũ: ${unit}</p>` : '',
  ].join('\n');
}

/** A printable A4 page (inline CSS, no scripts, every value escaped). */
export function renderReceiptHtml(r: Receipt): string {
  const rows = r.components
    .map(
      (c, i) =>
        `<tr><td>${i + 1}</td><td>${esc(c.name)}</td><td class="c">${c.copies}</td><td class="c">${c.digitised ? '✔' : ''}</td><td class="c">${c.reused || c.fromRepository ? '✔' : ''}</td></tr>`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>${esc(r.title)} ${esc(r.dossierCode)}</title>
<style>
@page{size:A4;margin:20mm}body{font-family:"Times New Roman",serif;font-size:13pt;line-height:1.4;max-width:180mm;margin:auto}
.hdr{display:flex;justify-content:space-between;text-align:center}.hdr div{width:48%}.form{text-align:right;font-style:italic}
h1{text-align:center;font-size:14pt;margin:16px 0 4px}.sub{text-align:center;margin:0 0 12px}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;padding:3px 6px}.c{text-align:center}
.sign{display:flex;justify-content:space-between;text-align:center;margin-top:24px}.sign div{width:45%}
</style></head><body>
<p class="form">${esc(r.form)}</p>
<div class="hdr"><div>${esc(r.unit.provinceName ?? '')}<br><b>${esc(r.unit.name)}</b></div>
<div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></div></div>
<h1>${esc(r.title)}</h1>
<p class="sub">Mã hồ sơ: <b>${esc(r.dossierCode)}</b></p>
${legacyHtml(r.legacy)}<p>${esc(r.unit.name)} đã tiếp nhận hồ sơ của: <b>${esc(r.applicant.fullName)}</b></p>
<p>Số định danh: ${esc(r.applicant.idNumber)} &nbsp; Điện thoại: ${esc(r.applicant.phone)}${r.applicant.email ? ` &nbsp; Email: ${esc(r.applicant.email)}` : ''}</p>
${r.applicant.address ? `<p>Địa chỉ: ${esc(r.applicant.address)}</p>` : ''}
<p>Nội dung yêu cầu giải quyết: ${esc(r.procedure.name)} (mã thủ tục ${esc(r.procedure.code)})</p>
<p>Hình thức nộp: ${esc(CHANNEL_VI[r.channel] ?? r.channel)}</p>
<p>1. Thành phần hồ sơ nộp gồm:</p>
<table><thead><tr><th>TT</th><th>Tên giấy tờ</th><th>Số lượng</th><th>Số hóa</th><th>Tái sử dụng / Kho dữ liệu</th></tr></thead><tbody>${rows}</tbody></table>
<p>2. Thời gian nhận hồ sơ: <b>${esc(display(r.receivedAt))}</b></p>
<p>3. Thời gian trả kết quả giải quyết hồ sơ: <b>${esc(display(r.dueAt))}</b></p>
${r.dueExplanationVi.length > 0 ? `<p><i>Cách tính: ${r.dueExplanationVi.map(esc).join(' ')}</i></p>` : ''}
<p>4. ${r.resultDeliveryMode === 'COUNTER' ? 'Nhận kết quả tại' : 'Hình thức nhận kết quả'}: ${esc(r.resultDelivery)}</p>
<p><i>${esc(r.note)}</i></p>
<div class="sign"><div><b>NGƯỜI NỘP HỒ SƠ</b><br><i>(Ký và ghi rõ họ tên)</i></div>
<div><b>NGƯỜI TIẾP NHẬN HỒ SƠ</b><br><i>(Ký và ghi rõ họ tên)</i><br><br><br>${esc(r.receivedByName ?? r.receivedBy ?? '')}</div></div>
</body></html>`;
}
