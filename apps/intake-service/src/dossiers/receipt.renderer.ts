import type { ProcedureInfo, UnitInfo } from '../catalogue/intake-catalogue';
import type { DossierView } from './dossier.model';
import { vnDisplay } from './vn-time.util';

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
  dueExplanation: string[];
  resultDelivery: string;
  note: string;
}

const CHANNEL_VI: Record<string, string> = { DIRECT: 'Trực tiếp', POSTAL: 'Qua dịch vụ bưu chính công ích', ONLINE: 'Trực tuyến' };

export function buildReceipt(d: DossierView, unit: UnitInfo | undefined, procedure: ProcedureInfo | undefined): Receipt {
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
    components: d.components.map((x) => ({ code: x.code, name: x.name, copies: x.copies, digitised: x.digitised, reused: x.reused, fromRepository: x.fromRepository })),
    dueAt: d.dueAt,
    dueExplanation: d.dueExplanation ?? [],
    resultDelivery: 'Tại Bộ phận Tiếp nhận và Trả kết quả',
    note: 'Khi đến nhận kết quả, đề nghị mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả này.',
  };
}

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const display = (iso: string | null): string => (iso ? vnDisplay(new Date(iso)) : 'Không hẹn (giải quyết ngay)');

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
<p>${esc(r.unit.name)} đã tiếp nhận hồ sơ của: <b>${esc(r.applicant.fullName)}</b></p>
<p>Số định danh: ${esc(r.applicant.idNumber)} &nbsp; Điện thoại: ${esc(r.applicant.phone)}${r.applicant.email ? ` &nbsp; Email: ${esc(r.applicant.email)}` : ''}</p>
${r.applicant.address ? `<p>Địa chỉ: ${esc(r.applicant.address)}</p>` : ''}
<p>Nội dung yêu cầu giải quyết: ${esc(r.procedure.name)} (mã thủ tục ${esc(r.procedure.code)})</p>
<p>Hình thức nộp: ${esc(CHANNEL_VI[r.channel] ?? r.channel)}</p>
<p>1. Thành phần hồ sơ nộp gồm:</p>
<table><thead><tr><th>TT</th><th>Tên giấy tờ</th><th>Số lượng</th><th>Số hóa</th><th>Tái sử dụng / Kho dữ liệu</th></tr></thead><tbody>${rows}</tbody></table>
<p>2. Thời gian nhận hồ sơ: <b>${esc(display(r.receivedAt))}</b></p>
<p>3. Thời gian trả kết quả giải quyết hồ sơ: <b>${esc(display(r.dueAt))}</b></p>
${r.dueExplanation.length > 0 ? `<p><i>Cách tính: ${r.dueExplanation.map(esc).join('; ')}</i></p>` : ''}
<p>4. Nhận kết quả tại: ${esc(r.resultDelivery)}</p>
<p><i>${esc(r.note)}</i></p>
<div class="sign"><div><b>NGƯỜI NỘP HỒ SƠ</b><br><i>(Ký và ghi rõ họ tên)</i></div>
<div><b>NGƯỜI TIẾP NHẬN HỒ SƠ</b><br><i>(Ký và ghi rõ họ tên)</i><br><br><br>${esc(r.receivedBy ?? '')}</div></div>
</body></html>`;
}
