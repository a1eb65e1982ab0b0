import type { Applicant } from './dossier.model';

/**
 * Text folded for comparison: Unicode NFKC, lower case, without white space and the separators people type between
 * the parts of a name or number (`. _ / - , ( ) +`). `Hoàng-Văn-Nam`, `HOÀNG VĂN NAM` and its NFD form fold alike.
 */
export function foldText(s: string): string {
  // NFKC: compatibility forms fold too (full-width digits and letters), for comparison only
  return s.normalize('NFKC').toLowerCase().replace(/[\s._/\-,()+\p{Cf}]+/gu, '');
}

/** `foldText` without diacritics (đ → d): `Hoang Van Nam` matches `Hoàng Văn Nam`. */
export function foldAscii(s: string): string {
  return foldText(s).normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd');
}

/** Shorter folded values would match ordinary words by chance. */
const MIN_FOLDED_LENGTH = 5;

/** A phone number's digits in both national forms: `0977111222` and `84977111222`. */
function phoneForms(phone: string): string[] {
  const d = phone.replace(/\D/g, '');
  if (d.startsWith('84') && d.length === 11) return [d, `0${d.slice(2)}`];
  if (d.startsWith('0') && d.length === 10) return [d, `84${d.slice(1)}`];
  return [d];
}

/**
 * The applicant's values that must never appear in a field of the public topic — name, ID number, phone (both
 * national forms), e-mail, address — folded (`foldAscii`), for `holdsApplicantData`.
 */
export function applicantFingerprints(a: Pick<Applicant, 'fullName' | 'idNumber' | 'phone'> & Partial<Pick<Applicant, 'email' | 'address'>>): string[] {
  const values = [a.fullName, a.idNumber, a.email, a.address].filter((v): v is string => typeof v === 'string').map(foldAscii);
  return [...new Set([...values, ...nameOrders(a.fullName), ...phoneForms(a.phone ?? '')])].filter((v) => v.length >= MIN_FOLDED_LENGTH);
}

/**
 * The name's words in every other order, folded (`Trần Văn Bình` → `binhtranvan`, `vanbinhtran`…): the given name
 * first is a common way to write a Vietnamese name. Names of 2 to 4 words (at most 24 orders: the import folds them per line).
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
 * diacritics, spaces or separators (`Hoàng-Văn-Nam`, `001.155.009.999`, `0977 111 222`).
 */
export function holdsApplicantData(value: string, fingerprints: readonly string[]): boolean {
  const v = foldAscii(value);
  return fingerprints.some((f) => v.includes(f));
}
