/**
 * Recognisers for personal data in a single value, and header hints for name columns.
 */

/** Kinds of personal data that lepton recognises. */
export type PiiKind = "email" | "phone" | "nationalId" | "cardNumber" | "name";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const SSN = /^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/;
const NINO = /^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]$/i;
const PHONE = /^\+?[\d\s().-]{7,24}$/;

/** The Luhn checksum used by payment card numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

/** China's resident identity number (18 characters, ISO 7064 MOD 11-2 check digit). */
export function chineseIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * (id.charCodeAt(i) - 48), 0);
  return "10X98765432"[sum % 11] === id[17].toUpperCase();
}

/** Which kind of personal data one value looks like, if any (names are found by header only). */
export function classifyValue(value: string): PiiKind | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  if (EMAIL.test(v)) return "email";
  if (SSN.test(v) || NINO.test(v) || chineseIdValid(v)) return "nationalId";
  const digits = v.replace(/[\s-]/g, "");
  if (/^\d{13,19}$/.test(digits) && /^[\d\s-]+$/.test(v) && luhnValid(digits)) return "cardNumber";
  if (PHONE.test(v)) {
    const n = v.replace(/\D/g, "").length;
    if (n >= 7 && n <= 15 && (/[\s().+-]/.test(v) || n >= 10)) return "phone";
  }
  return undefined;
}

const NAME_HEADER = /(^|[_\s.-])((first|last|full|given|family|middle|sur|user|customer|patient|contact)[_\s.-]?)?name($|[_\s.-])|姓名|名字|^姓$|^名$|nom|nombre|vorname|nachname/i;
const HINTS: [PiiKind, RegExp][] = [
  ["email", /e-?mail|邮箱|电子邮件/i],
  ["phone", /phone|mobile|tel(ephone)?\b|cell|电话|手机/i],
  ["nationalId", /ssn|social.?security|national.?id|passport|身份证|nino/i],
  ["cardNumber", /card.?(number|no)|credit.?card|pan\b|信用卡|银行卡/i],
];

/** A kind suggested by the column header, if any. */
export function headerHint(header: string): PiiKind | undefined {
  if (NAME_HEADER.test(header) && !/file|host|user_?name_?id/i.test(header)) return "name";
  for (const [kind, re] of HINTS) if (re.test(header)) return kind;
  return undefined;
}
