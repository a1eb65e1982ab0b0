/**
 * Which pre-2025 province (63) an old commune belonged to. `merges.json` lists old communes under the NEW
 * province only, and 20 new provinces merged several old ones, so the old parent is derived from the GSO
 * commune code: codes were allocated in blocks by province (in province-code order), with three Hà Nội
 * blocks inside other provinces' ranges (communes moved to Hà Nội in 2008) and Trường Sa's Sinh Tồn inside
 * Ninh Thuận's range. Each entry is the first code of a block and the old province owning codes from it
 * up to the next entry. Block starts were checked against the commune names (e.g. 08707 Phường Tích Sơn,
 * Vĩnh Yên = first commune of Vĩnh Phúc) and the dvhcvn/20250701 `output/{province}/{district}/` tree;
 * the loader verifies that every old commune's old province merged into the new province listing it
 * (ADR 0103). Data version: `old-province-ranges.v1`.
 */
export const OLD_PROVINCE_RANGES_VERSION = 'old-province-ranges.v1';

export const OLD_COMMUNE_CODE_BLOCKS: readonly (readonly [
  firstCode: string,
  oldProvinceCode: string,
])[] = [
  ['00001', '01'], // Hà Nội
  ['00688', '02'], // Hà Giang
  ['01267', '04'], // Cao Bằng
  ['01834', '06'], // Bắc Kạn
  ['02200', '08'], // Tuyên Quang
  ['02635', '10'], // Lào Cai
  ['03124', '11'], // Điện Biên
  ['03386', '12'], // Lai Châu
  ['03646', '14'], // Sơn La
  ['04249', '15'], // Yên Bái
  ['04789', '17'], // Hòa Bình
  ['04927', '01'], // Hà Nội (4 communes of Lương Sơn moved in 2008)
  ['04942', '17'], // Hòa Bình
  ['05431', '19'], // Thái Nguyên
  ['05971', '20'], // Lạng Sơn
  ['06649', '22'], // Quảng Ninh
  ['07201', '24'], // Bắc Giang
  ['07888', '25'], // Phú Thọ
  ['08707', '26'], // Vĩnh Phúc (Phường Tích Sơn)
  ['08973', '01'], // Hà Nội (Mê Linh, moved in 2008)
  ['09025', '26'], // Vĩnh Phúc
  ['09163', '27'], // Bắc Ninh
  ['09538', '01'], // Hà Nội (former Hà Tây)
  ['10507', '30'], // Hải Dương
  ['11296', '31'], // Hải Phòng (Phường Quán Toan)
  ['11950', '33'], // Hưng Yên
  ['12433', '34'], // Thái Bình (Phường Lê Hồng Phong)
  ['13285', '35'], // Hà Nam
  ['13633', '36'], // Nam Định
  ['14320', '37'], // Ninh Bình (Phường Đông Thành)
  ['14755', '38'], // Thanh Hóa
  ['16663', '40'], // Nghệ An
  ['18073', '42'], // Hà Tĩnh
  ['18853', '44'], // Quảng Bình (Phường Hải Thành)
  ['19330', '45'], // Quảng Trị (Phường Đông Giang)
  ['19750', '46'], // Huế
  ['20194', '48'], // Đà Nẵng
  ['20335', '49'], // Quảng Nam (Phường Tân Thạnh)
  ['21010', '51'], // Quảng Ngãi
  ['21550', '52'], // Bình Định
  ['22015', '54'], // Phú Yên
  ['22327', '56'], // Khánh Hòa
  ['22738', '58'], // Ninh Thuận (Phường Đô Vinh)
  ['22739', '56'], // Khánh Hòa (Xã Sinh Tồn, Trường Sa)
  ['22740', '58'], // Ninh Thuận
  ['22915', '60'], // Bình Thuận
  ['23281', '62'], // Kon Tum
  ['23557', '64'], // Gia Lai
  ['24118', '66'], // Đắk Lắk
  ['24611', '67'], // Đắk Nông
  ['24769', '68'], // Lâm Đồng (Đà Lạt)
  ['25195', '70'], // Bình Phước
  ['25456', '72'], // Tây Ninh
  ['25741', '74'], // Bình Dương
  ['25993', '75'], // Đồng Nai
  ['26506', '77'], // Bà Rịa - Vũng Tàu
  ['26734', '79'], // Hồ Chí Minh (Phường Tân Định)
  ['27685', '80'], // Long An
  ['28249', '82'], // Tiền Giang
  ['28756', '83'], // Bến Tre
  ['29236', '84'], // Trà Vinh
  ['29542', '86'], // Vĩnh Long
  ['29869', '87'], // Đồng Tháp
  ['30280', '89'], // An Giang
  ['30733', '91'], // Kiên Giang (Phường Vĩnh Thanh, Rạch Giá)
  ['31117', '92'], // Cần Thơ
  ['31318', '93'], // Hậu Giang (Phường I, Vị Thanh)
  ['31498', '94'], // Sóc Trăng
  ['31813', '95'], // Bạc Liêu
  ['31999', '96'], // Cà Mau
];

/** The five pre-2025 island districts without communes, which became special zones (đặc khu). */
export const OLD_DISTRICT_PROVINCE: Readonly<Record<string, string>> = {
  '318': '31', // Huyện Bạch Long Vĩ, Hải Phòng
  '471': '45', // Huyện Cồn Cỏ, Quảng Trị
  '498': '48', // Huyện Hoàng Sa, Đà Nẵng
  '536': '51', // Huyện Lý Sơn, Quảng Ngãi
  '755': '77', // Huyện Côn Đảo, Bà Rịa - Vũng Tàu
};

/**
 * Old communes mapped by the source data into a new province that their old province did not merge into.
 * 30622 Xã Tân Phú (An Giang block) → Xã Tân Phú Trung (30259, Đồng Tháp): kept as the data says.
 */
export const KNOWN_CROSS_PROVINCE_MAPPINGS: readonly string[] = ['30622'];

/** The old province owning an old commune code (binary search over the blocks). */
export function oldProvinceOfCommune(code: string): string | undefined {
  let lo = 0;
  let hi = OLD_COMMUNE_CODE_BLOCKS.length - 1;
  let found: string | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, province] = OLD_COMMUNE_CODE_BLOCKS[mid];
    if (first <= code) {
      found = province;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
