import type { ProvincialDepartment } from './one-stop-unit.type';

/**
 * Provincial departments (Sở) given a one-stop unit in every province, after the 2025 government
 * restructuring (e.g. Nông nghiệp và Môi trường merges the former agriculture and natural-resources
 * departments). Not exhaustive: provinces also have e.g. Sở Dân tộc và Tôn giáo; add entries here.
 */
export const PROVINCIAL_DEPARTMENTS: readonly ProvincialDepartment[] = [
  { code: 'SNV', name: 'Sở Nội vụ', nameEn: 'Department of Home Affairs' },
  { code: 'STP', name: 'Sở Tư pháp', nameEn: 'Department of Justice' },
  { code: 'STC', name: 'Sở Tài chính', nameEn: 'Department of Finance' },
  { code: 'SXD', name: 'Sở Xây dựng', nameEn: 'Department of Construction' },
  {
    code: 'SNNMT',
    name: 'Sở Nông nghiệp và Môi trường',
    nameEn: 'Department of Agriculture and Environment',
  },
  { code: 'SCT', name: 'Sở Công Thương', nameEn: 'Department of Industry and Trade' },
  { code: 'SYT', name: 'Sở Y tế', nameEn: 'Department of Health' },
  { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', nameEn: 'Department of Education and Training' },
  {
    code: 'SKHCN',
    name: 'Sở Khoa học và Công nghệ',
    nameEn: 'Department of Science and Technology',
  },
  {
    code: 'SVHTTDL',
    name: 'Sở Văn hóa, Thể thao và Du lịch',
    nameEn: 'Department of Culture, Sports and Tourism',
  },
];
