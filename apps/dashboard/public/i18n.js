// Labels of the dashboard: Vietnamese by default, English on request (?lang=en or the language switch).
export const LANGS = ['vi', 'en'];
export const DEFAULT_LANG = 'vi';
export const LOCALES = { vi: 'vi-VN', en: 'en-GB' };
export const STORAGE_KEY = 'onestop.pulse.lang';

export const MESSAGES = {
  vi: {
    'doc.title': 'OneStop Pulse — Thống kê một cửa trực tuyến',
    'app.title': 'OneStop Pulse',
    'app.subtitle': 'Bảng điều khiển thống kê giải quyết thủ tục hành chính (Quyết định 766/QĐ-TTg)',
    'skip': 'Bỏ qua đến nội dung chính',
    'lang.label': 'Ngôn ngữ',
    'controls.label': 'Chọn đơn vị và kỳ báo cáo',
    'unit.label': 'Đơn vị',
    'unit.nation': 'Toàn quốc',
    'breadcrumb.label': 'Đường dẫn đơn vị',
    'period.kind': 'Loại kỳ',
    'period.day': 'Ngày',
    'period.month': 'Tháng',
    'period.quarter': 'Quý',
    'period.year': 'Năm',
    'period.dayInput': 'Chọn ngày',
    'period.monthInput': 'Chọn tháng',
    'period.quarterInput': 'Chọn quý',
    'period.yearInput': 'Chọn năm',
    'period.quarterN': 'Quý {n}',
    'period.show.D': 'ngày {d}',
    'period.show.M': 'tháng {m}/{y}',
    'period.show.Q': 'quý {q}/{y}',
    'period.show.Y': 'năm {y}',
    'heading.unit': '{unit} — {period}',
    'fresh.loading': 'Đang tải số liệu…',
    'fresh.none': 'Không có số liệu để hiển thị.',
    'fresh.text': 'Cập nhật lúc {asOf}, độ trễ {lag}',
    'fresh.lag': '{n} sự kiện chờ xử lý',
    'fresh.lagUnknown': 'không xác định',
    'fresh.last': 'sự kiện mới nhất lúc {at}',
    'fresh.noEvent': 'chưa có sự kiện nào',
    'fresh.source': 'nguồn: {source}',
    'live.connecting': 'Trực tiếp: đang kết nối…',
    'live.open': 'Trực tiếp: đang nhận cập nhật',
    'live.closed': 'Trực tiếp: mất kết nối, đang thử lại…',
    'live.stale': 'Trực tiếp: không nhận được tín hiệu, đang kết nối lại…',
    'live.announce': 'Số liệu đã được cập nhật lúc {at}',
    'download.label': 'Tải báo cáo',
    'download.csv': 'Báo cáo CSV',
    'download.xlsx': 'Báo cáo Excel (XLSX)',
    'section.receipt': 'Tiếp nhận hồ sơ',
    'section.resolution': 'Kết quả giải quyết',
    'section.progress': 'Đang giải quyết',
    'gauges.end': 'Tại thời điểm kết thúc kỳ ({at})',
    'gauges.live': 'Hiện tại (lúc {at})',
    'section.digital': 'Chuyển đổi số',
    'section.satisfaction': 'Mức độ hài lòng',
    'm.received': 'Tổng số hồ sơ tiếp nhận',
    'm.receivedOnline': 'Tiếp nhận trực tuyến',
    'm.receivedDirect': 'Tiếp nhận trực tiếp',
    'm.receivedPostal': 'Tiếp nhận qua bưu chính',
    'm.onlineRate': 'Tỷ lệ hồ sơ trực tuyến',
    'm.resolved': 'Đã giải quyết',
    'm.resolvedEarly': 'Giải quyết trước hạn',
    'm.resolvedOnTime': 'Giải quyết đúng hạn',
    'm.resolvedLate': 'Giải quyết quá hạn',
    'm.onTimeRate': 'Tỷ lệ giải quyết đúng hạn',
    'm.inProgress': 'Đang giải quyết',
    'm.inProgressInTime': 'Đang giải quyết trong hạn',
    'm.inProgressOverdue': 'Đang giải quyết quá hạn',
    'm.dueSoon': 'Sắp đến hạn',
    'm.paused': 'Tạm dừng (chờ bổ sung, nghĩa vụ tài chính)',
    'm.digitisedRate': 'Tỷ lệ số hóa hồ sơ',
    'm.eResultRate': 'Tỷ lệ cấp kết quả điện tử',
    'm.onlinePaymentRate': 'Tỷ lệ thanh toán trực tuyến',
    'm.ratingVerySatisfied': 'Rất hài lòng',
    'm.ratingSatisfied': 'Hài lòng',
    'm.ratingDissatisfied': 'Không hài lòng',
    'm.satisfaction': 'Chỉ số hài lòng',
    'm.ratings': 'Tổng số đánh giá',
    'value.none': '—',
    'value.noneTitle': 'Chưa có dữ liệu',
    'children.caption': 'Đơn vị trực thuộc — xếp hạng theo số hồ sơ đang giải quyết quá hạn (nhiều nhất trước)',
    'children.empty': 'Không có đơn vị trực thuộc có số liệu trong kỳ này.',
    'col.rank': 'Hạng',
    'col.unit': 'Đơn vị',
    'col.received': 'Tiếp nhận',
    'col.onlineRate': 'Tỷ lệ trực tuyến',
    'col.resolved': 'Đã giải quyết',
    'col.onTimeRate': 'Tỷ lệ đúng hạn',
    'col.inProgressInTime': 'Đang giải quyết trong hạn',
    'col.inProgressOverdue': 'Đang giải quyết quá hạn',
    'drill.title': 'Xem chi tiết {unit}',
    'live.off': 'Trực tiếp: không áp dụng',
    'error.title': 'Không tải được số liệu',
    'error.unavailable': 'Dịch vụ thống kê tạm thời không phản hồi; vui lòng thử lại sau.',
    'error.unknownUnit': 'Không tìm thấy đơn vị “{unit}”.',
    'error.badPeriod': 'Kỳ báo cáo không hợp lệ.',
    'error.badRequest': 'Yêu cầu không hợp lệ.',
    'error.notFound': 'Không tìm thấy số liệu được yêu cầu.',
    'error.unexpected': 'Lỗi không mong muốn (mã {status}).',
    'error.detail': 'Chi tiết từ máy chủ (HTTP {status}): {detail}',
    'error.detailNetwork': 'Chi tiết: không kết nối được máy chủ.',
    'notice.period': 'Kỳ báo cáo “{period}” trong đường dẫn không hợp lệ; đang hiển thị {fallback}.',
    'notice.pre2025':
      '{unit} là đơn vị hành chính trước sắp xếp năm 2025: số liệu thống kê không theo dõi theo đơn vị này (hồ sơ được tính cho các đơn vị hiện hành sau sắp xếp).',
    'notice.countedUnder': 'Hồ sơ của đơn vị này được tính cho {name} ({code}).',
    'onestop.commune': 'Bộ phận Một cửa {name}',
    'footer': 'Nguồn: dịch vụ thống kê OneStop (sự kiện công khai). Tỷ lệ tính theo Quyết định 766/QĐ-TTg.',
  },
  en: {
    'doc.title': 'OneStop Pulse — live one-stop statistics',
    'app.title': 'OneStop Pulse',
    'app.subtitle': 'Administrative procedure statistics dashboard (Decision 766/QD-TTg)',
    'skip': 'Skip to main content',
    'lang.label': 'Language',
    'controls.label': 'Choose a unit and a reporting period',
    'unit.label': 'Unit',
    'unit.nation': 'Whole country',
    'breadcrumb.label': 'Unit path',
    'period.kind': 'Period type',
    'period.day': 'Day',
    'period.month': 'Month',
    'period.quarter': 'Quarter',
    'period.year': 'Year',
    'period.dayInput': 'Day',
    'period.monthInput': 'Month',
    'period.quarterInput': 'Quarter',
    'period.yearInput': 'Year',
    'period.quarterN': 'Q{n}',
    'period.show.D': '{d}',
    'period.show.M': '{m}/{y}',
    'period.show.Q': 'Q{q} {y}',
    'period.show.Y': '{y}',
    'heading.unit': '{unit} — {period}',
    'fresh.loading': 'Loading figures…',
    'fresh.none': 'No figures to show.',
    'fresh.text': 'Updated at {asOf}, lag {lag}',
    'fresh.lag': '{n} events waiting',
    'fresh.lagUnknown': 'unknown',
    'fresh.last': 'latest event at {at}',
    'fresh.noEvent': 'no event yet',
    'fresh.source': 'source: {source}',
    'live.connecting': 'Live: connecting…',
    'live.open': 'Live: receiving updates',
    'live.closed': 'Live: disconnected, retrying…',
    'live.stale': 'Live: no signal, reconnecting…',
    'live.announce': 'Figures updated at {at}',
    'download.label': 'Download report',
    'download.csv': 'CSV report',
    'download.xlsx': 'Excel report (XLSX)',
    'section.receipt': 'Dossiers received',
    'section.resolution': 'Resolution',
    'section.progress': 'In progress',
    'gauges.end': 'As of the end of the period ({at})',
    'gauges.live': 'Live (as of {at})',
    'section.digital': 'Digital transformation',
    'section.satisfaction': 'Satisfaction',
    'm.received': 'Total received',
    'm.receivedOnline': 'Received online',
    'm.receivedDirect': 'Received in person',
    'm.receivedPostal': 'Received by post',
    'm.onlineRate': 'Online rate',
    'm.resolved': 'Resolved',
    'm.resolvedEarly': 'Resolved early',
    'm.resolvedOnTime': 'Resolved on time',
    'm.resolvedLate': 'Resolved late',
    'm.onTimeRate': 'On-time rate',
    'm.inProgress': 'In progress',
    'm.inProgressInTime': 'In progress, within deadline',
    'm.inProgressOverdue': 'In progress, overdue',
    'm.dueSoon': 'Due soon',
    'm.paused': 'Paused (supplement, fees)',
    'm.digitisedRate': 'Digitised dossiers rate',
    'm.eResultRate': 'Electronic result rate',
    'm.onlinePaymentRate': 'Online payment rate',
    'm.ratingVerySatisfied': 'Very satisfied',
    'm.ratingSatisfied': 'Satisfied',
    'm.ratingDissatisfied': 'Dissatisfied',
    'm.satisfaction': 'Satisfaction index',
    'm.ratings': 'Ratings',
    'value.none': '—',
    'value.noneTitle': 'No data yet',
    'children.caption': 'Child units — ranked by overdue dossiers in progress (most first)',
    'children.empty': 'No child unit has figures for this period.',
    'col.rank': 'Rank',
    'col.unit': 'Unit',
    'col.received': 'Received',
    'col.onlineRate': 'Online rate',
    'col.resolved': 'Resolved',
    'col.onTimeRate': 'On-time rate',
    'col.inProgressInTime': 'In progress, within deadline',
    'col.inProgressOverdue': 'In progress, overdue',
    'drill.title': 'Open {unit}',
    'live.off': 'Live: not available',
    'error.title': 'Could not load the figures',
    'error.unavailable': 'The statistics service is not answering at the moment; please try again later.',
    'error.unknownUnit': 'Unit “{unit}” was not found.',
    'error.badPeriod': 'The period is not valid.',
    'error.badRequest': 'The request is not valid.',
    'error.notFound': 'The requested figures were not found.',
    'error.unexpected': 'Unexpected error (code {status}).',
    'error.detail': 'Server detail (HTTP {status}): {detail}',
    'error.detailNetwork': 'Detail: the server could not be reached.',
    'notice.period': 'The period “{period}” in the link is not valid; showing {fallback} instead.',
    'notice.pre2025':
      '{unit} is an administrative unit from before the 2025 reorganisation: statistics are not tracked for it (dossiers are counted under the units in force since the reorganisation).',
    'notice.countedUnder': 'Its dossiers are counted under {name} ({code}).',
    'onestop.commune': 'One-stop unit of {name}',
    'footer': 'Source: OneStop statistics service (public events). Rates as defined by Decision 766/QD-TTg.',
  },
};

/** The language to use: ?lang= first (then remembered), else the remembered choice, else Vietnamese. */
export function initialLang(search, storage) {
  const fromUrl = new URLSearchParams(search).get('lang');
  if (fromUrl && LANGS.includes(fromUrl)) {
    try {
      storage?.setItem(STORAGE_KEY, fromUrl);
    } catch {
      // storage disabled: the URL still decides
    }
    return fromUrl;
  }
  let saved = null;
  try {
    saved = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    saved = null;
  }
  return saved && LANGS.includes(saved) ? saved : DEFAULT_LANG;
}

export function translator(lang) {
  const dict = MESSAGES[lang] ?? MESSAGES[DEFAULT_LANG];
  return (key, params = {}) => {
    const text = dict[key] ?? MESSAGES[DEFAULT_LANG][key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, k) => (params[k] === undefined ? `{${k}}` : String(params[k])));
  };
}

export function formatters(lang) {
  const locale = LOCALES[lang] ?? LOCALES[DEFAULT_LANG];
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat(locale, {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
  const date = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
  return {
    locale,
    int: (n) => int.format(n),
    pct: (r) => pct.format(r),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    /** A YYYY-MM-DD calendar date. */
    day: (ymd) => date.format(new Date(`${ymd}T00:00:00Z`)),
  };
}
