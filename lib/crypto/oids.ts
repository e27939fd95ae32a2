// Object identifiers used by the platform's certificates and seal structures.
// GM/T 0006-2012 (密码应用标识规范): SM2 curve, SM3, SM2-with-SM3 — as STANDARDS.md lists them.
// RFC 5480 §2.1.1: id-ecPublicKey; RFC 5280 §4.2.1 / X.520: extensions and name attributes.
export const OID = {
  /** SM2 elliptic curve (GM/T 0006 §A.2, STANDARDS.md) */
  sm2: "1.2.156.10197.1.301",
  /** SM3 hash (GM/T 0006) */
  sm3: "1.2.156.10197.1.401",
  /** SM2 signature with SM3 (GM/T 0006): certificates, SESeal.signAlgID, SES_Signature.signatureAlgID */
  sm2WithSm3: "1.2.156.10197.1.501",
  /** id-ecPublicKey (RFC 5480), with the SM2 curve as its parameter in subjectPublicKeyInfo */
  ecPublicKey: "1.2.840.10045.2.1",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  commonName: "2.5.4.3",
  serialNumber: "2.5.4.5",
  country: "2.5.4.6",
  organization: "2.5.4.10",
} as const;

/** GB/T 38540-2020 ("version 4") seal and signature structures. */
export const SES = {
  headerId: "ES",
  version: 4,
  /** certListType: 1 = DER certificates, 2 = certificate digests */
  certListCertificates: 1,
  certListDigests: 2,
} as const;
