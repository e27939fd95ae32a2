// 电子证照标识 (L-06; GB/T 36904 as implemented, STANDARDS.md):
//   1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version 3 digits>.<check>
// The check character is ISO/IEC 7064 MOD 37,36 (the hybrid system over the alphabet 0–9A–Z)
// computed over type code + issuer code + serial + version concatenated without dots.

/** The arc every licence identifier starts with (GB/T 36904). */
export const IDENTIFIER_PREFIX = "1.2.156.3005.2";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const M = 36;

export const SERIAL_PATTERN = /^[0-9A-Z]{1,20}$/;
const TYPE_CODE = /^[0-9A-Z]{21}$/;
/** An issuing authority's 18-character USCC, or (seen in real identifiers) a 6-digit area code. */
const ISSUER_CODE = /^(?:[0-9A-Z]{18}|\d{6})$/;

/** ISO/IEC 7064 MOD 37,36 check character of `data` (characters 0–9A–Z only). */
export function mod3736(data: string): string {
  let p = M;
  for (const ch of data) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`character ${JSON.stringify(ch)} is outside 0–9A–Z`);
    let s = (p + v) % M;
    if (s === 0) s = M;
    p = (s * 2) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M];
}

export function versionText(version: number): string {
  if (!Number.isInteger(version) || version < 1 || version > 999) throw new Error(`version ${version} is outside 1–999`);
  return String(version).padStart(3, "0");
}

export type IdentifierParts = { typeCode: string; issuerCode: string; serial: string; version: number };

export function buildIdentifier({ typeCode, issuerCode, serial, version }: IdentifierParts): string {
  if (!TYPE_CODE.test(typeCode)) throw new Error(`type code ${typeCode} is not 21 characters of 0–9A–Z`);
  if (!ISSUER_CODE.test(issuerCode)) throw new Error(`issuer code ${issuerCode} is not an 18-character USCC or 6-digit area code`);
  if (!SERIAL_PATTERN.test(serial)) throw new Error(`serial ${serial} is not 1–20 characters of 0–9A–Z`);
  const v = versionText(version);
  return `${IDENTIFIER_PREFIX}.${typeCode}.${issuerCode}.${serial}.${v}.${mod3736(typeCode + issuerCode + serial + v)}`;
}

/** The parts of a well-formed identifier whose check character is right; otherwise null. */
export function parseIdentifier(text: string): IdentifierParts | null {
  const s = text.trim();
  if (!s.startsWith(`${IDENTIFIER_PREFIX}.`)) return null;
  const parts = s.slice(IDENTIFIER_PREFIX.length + 1).split(".");
  if (parts.length !== 5) return null;
  const [typeCode, issuerCode, serial, v, check] = parts;
  if (!TYPE_CODE.test(typeCode) || !ISSUER_CODE.test(issuerCode) || !SERIAL_PATTERN.test(serial) || !/^\d{3}$/.test(v) || v === "000") return null;
  if (!/^[0-9A-Z]$/.test(check) || mod3736(typeCode + issuerCode + serial + v) !== check) return null;
  return { typeCode, issuerCode, serial, version: Number(v) };
}
