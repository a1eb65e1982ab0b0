/**
 * Vietnamese names (tên thành phần hồ sơ) of the components of @onestop/domain's sample procedures, as printed on
 * the receipt (Mẫu 01) and sent with `DossierReceived`. The domain catalogue lists component codes only
 * (`requiredComponentCodes`); until it carries the names, intake keeps them here. A code missing here is printed
 * as its code.
 */
export const COMPONENT_NAMES: Readonly<Record<string, string>> = {
  // 1.001193 Đăng ký khai sinh
  TK_KHAI_SINH: 'Tờ khai đăng ký khai sinh',
  GIAY_CHUNG_SINH: 'Giấy chứng sinh',
  // 1.000894 Đăng ký kết hôn
  TK_KET_HON: 'Tờ khai đăng ký kết hôn',
  GIAY_XN_TINH_TRANG_HON_NHAN: 'Giấy xác nhận tình trạng hôn nhân',
  // 1.000656 Đăng ký khai tử
  TK_KHAI_TU: 'Tờ khai đăng ký khai tử',
  GIAY_BAO_TU: 'Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử',
  // 2.000815 Chứng thực bản sao từ bản chính
  BAN_CHINH: 'Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao',
  BAN_SAO: 'Bản sao cần chứng thực',
  // 2.000488 Cấp Phiếu lý lịch tư pháp
  TK_LLTP: 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp',
  CCCD: 'Bản chụp Thẻ căn cước hoặc Căn cước công dân',
  // 2.000575 Đăng ký thành lập hộ kinh doanh
  GIAY_DE_NGHI_DK_HKD: 'Giấy đề nghị đăng ký hộ kinh doanh',
  CCCD_CHU_HKD: 'Bản sao giấy tờ pháp lý của cá nhân chủ hộ kinh doanh',
  // 1.012755 Đăng ký đất đai lần đầu
  DON_DANG_KY_DAT_DAI: 'Đơn đăng ký đất đai, tài sản gắn liền với đất',
  GIAY_TO_NGUON_GOC_DAT: 'Giấy tờ về nguồn gốc sử dụng đất',
  SO_DO_THUA_DAT: 'Mảnh trích đo bản đồ địa chính thửa đất',
  // 1.009994 Cấp giấy phép xây dựng nhà ở riêng lẻ
  DON_DE_NGHI_GPXD: 'Đơn đề nghị cấp giấy phép xây dựng',
  GIAY_TO_QSD_DAT: 'Giấy tờ chứng minh quyền sử dụng đất',
  BAN_VE_THIET_KE: 'Bản vẽ thiết kế xây dựng',
  // 1.005095 Chuyển trường học sinh trung học phổ thông
  DON_XIN_CHUYEN_TRUONG: 'Đơn xin chuyển trường',
  HOC_BA: 'Học bạ',
  // 2.000591 Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm
  DON_DE_NGHI_ATTP: 'Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
  BAN_THUYET_MINH_CO_SO: 'Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ',
  GIAY_XN_TAP_HUAN_ATTP: 'Giấy xác nhận đã được tập huấn kiến thức an toàn thực phẩm',
};

/** The printed name of a component: its Vietnamese name when known, else its code. */
export function componentName(code: string): string {
  return Object.prototype.hasOwnProperty.call(COMPONENT_NAMES, code) ? (COMPONENT_NAMES[code] as string) : code;
}
