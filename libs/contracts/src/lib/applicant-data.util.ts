import { createHmac } from 'node:crypto';

/**
 * Finding the applicant's own data in a field published on the public topic (Decree 13/2023): intake holds the
 * applicant and compares directly; processing and result keep only keyed marks of it (`applicantMarks`), never the
 * values, and compare a field's text against them (`holdsMarkedData`).
 */

/**
 * Text folded for comparison: Unicode NFKC, lower case, letters and digits only — white space, punctuation and
 * symbols are the separators people put between the parts of a name or number (`. _ / - , ( ) +`, and the en / em
 * dashes and middle dots word processors and phone keyboards put in: black-box round 9), and invisible format
 * characters. `Hoàng-Văn-Nam`, `HOÀNG VĂN NAM`, `Hoàng·Văn·Nam` and its NFD form fold alike.
 */
export function foldText(s: string): string {
  // NFKC: compatibility forms fold too (full-width digits, letters and ＠), for comparison only
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}\p{Z}\p{Cf}]+/gu, '');
}

/** `foldText` without diacritics (đ → d): `Hoang Van Nam` matches `Hoàng Văn Nam`. */
export function foldAscii(s: string): string {
  return foldText(s).normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd');
}

/** Shorter folded values would match ordinary words by chance. */
const MIN_FOLDED_LENGTH = 5;

/** What of the applicant is looked for. */
export interface ApplicantIdentity {
  readonly fullName: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly email?: string | null;
  readonly address?: string | null;
}

/** A phone number's digits in both national forms: `0977111222` and `84977111222`. */
function phoneForms(phone: string): string[] {
  const d = phone.replace(/\D/g, '');
  if (d.startsWith('84') && d.length === 11) return [d, `0${d.slice(2)}`];
  if (d.startsWith('0') && d.length === 10) return [d, `84${d.slice(1)}`];
  return [d];
}

/**
 * The applicant's values that must never appear in a field of the public topic — name (in every word order), ID
 * number, phone (both national forms), e-mail and its local part (`binh.tran(at)gmail.com`), address — folded
 * (`foldAscii`), for `holdsApplicantData`.
 */
export function applicantFingerprints(a: ApplicantIdentity): string[] {
  const local = typeof a.email === 'string' && a.email.includes('@') ? a.email.slice(0, a.email.indexOf('@')) : undefined;
  const values = [a.fullName, a.idNumber, a.email, a.address, local, ...addressParts(a.address)].filter((v): v is string => typeof v === 'string').map(foldAscii);
  return [...new Set([...values, ...nameOrders(a.fullName), ...phoneForms(a.phone ?? '')])].filter((v) => v.length >= MIN_FOLDED_LENGTH);
}

/**
 * The parts of an address that locate a home on their own: each comma-separated part holding a digit — the house
 * number with its street or lane (`12 Phố Quán Thánh`, `Ngõ 5 Láng Hạ`), not the ward or province names (black-box
 * round 9: `Phí gửi 12 Phố Quán Thánh` passed, only the whole address was looked for).
 */
function addressParts(address: string | null | undefined): string[] {
  if (typeof address !== 'string') return [];
  // at least 8 letters and digits folded: `Tổ 3`, `Xóm 10` alone would match ordinary text by chance
  return address.split(/[,;\n]/u).filter((p) => /\p{N}/u.test(p) && /\p{L}/u.test(p) && foldAscii(p).length >= 8);
}

/**
 * The name's words in every other order, folded (`Trần Văn Bình` → `binhtranvan`, `vanbinhtran`…): the given name
 * first is a common way to write a Vietnamese name. Names of 2 to 4 words (at most 24 orders).
 */
function nameOrders(fullName: string): string[] {
  const words = fullName.trim().split(/\s+/u).filter((w) => w.length > 0);
  if (words.length < 2 || words.length > 4) return [];
  const orders: string[][] = [];
  const permute = (rest: string[], taken: string[]): void => {
    if (rest.length === 0) orders.push(taken);
    rest.forEach((w, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...taken, w]));
  };
  permute(words, []);
  return orders.map((o) => foldAscii(o.join('')));
}

/**
 * Whether `value` holds one of the applicant's values, however it is written: any case, NFC or NFD, with or without
 * diacritics, spaces or separators (`Hoàng-Văn-Nam`, `001.155.009.999`, `0977 111 222`, `KQ/0977/111/222`).
 */
export function holdsApplicantData(value: string, fingerprints: readonly string[]): boolean {
  const v = foldAscii(value);
  return fingerprints.some((f) => v.includes(f));
}

/**
 * Keyed marks of the applicant's fingerprints: HMAC-SHA256 (first 16 bytes) of each, and their lengths. A service that
 * must keep personal data off the public topic but has no need of the data itself stores these (ADR 0309 amendment):
 * without the key a mark does not give back a phone or ID number.
 */
export interface ApplicantMarks {
  readonly v: 1;
  readonly lengths: readonly number[];
  readonly marks: readonly string[];
}

/** The key of the marks, derived from a service secret (processing and result: their JWT secret). */
export function applicantMarksKey(secret: string): string {
  return createHmac('sha256', secret).update('onestop/applicant-marks/v1').digest('hex');
}

const mark = (key: string, folded: string): string => createHmac('sha256', key).update(folded).digest('hex').slice(0, 32);

export function applicantMarks(a: ApplicantIdentity, key: string): ApplicantMarks {
  const prints = applicantFingerprints(a);
  return { v: 1, lengths: [...new Set(prints.map((p) => p.length))].sort((x, y) => x - y), marks: prints.map((p) => mark(key, p)) };
}

/** The longest folded text compared (a published field is short: a fee name, a reference). */
const MAX_COMPARED = 1000;

/** `holdsApplicantData` against keyed marks: every stretch of the folded text as long as a fingerprint is marked. */
export function holdsMarkedData(value: string, m: ApplicantMarks | null | undefined, key: string): boolean {
  if (!m || m.marks.length === 0) return false;
  const v = foldAscii(value).slice(0, MAX_COMPARED);
  const marks = new Set(m.marks);
  for (const len of m.lengths) {
    for (let i = 0; i + len <= v.length; i++) if (marks.has(mark(key, v.slice(i, i + len)))) return true;
  }
  return false;
}
