// The platform certificate authority: one SM2 root key in the key store and its self-signed X.509 v3
// certificate, made once at first setup; it issues seal and maker certificates (2 years by default)
// and verifies that a certificate chains to it. Certificates are kept permanently.
import "server-only";
import { z } from "zod";
import { db, withTx, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { keyStore, type KeyStore } from "@/lib/crypto/keystore";
import { cryptoText } from "@/lib/crypto/messages";
import { signPool } from "@/lib/crypto/pool";
import {
  buildCertificate,
  keyIdentifierOf,
  nameToString,
  parseCertificate,
  randomSerial,
  toSeconds,
  verifyIssuedBy,
  type ChainResult,
  type ParsedCertificate,
  type Sm2Verifier,
} from "@/lib/crypto/x509";

export const ROOT_SUBJECT = { commonName: "certseal 平台根证书", organization: "电子证照与电子印章管理平台" } as const;
export const ROOT_VALIDITY_YEARS = 20;
export const DEFAULT_VALIDITY_YEARS = 2;
const ROOT_KEY_LABEL = "platform-ca-root";
/** pg_advisory_xact_lock(int, int) key: ("cert", CA) — apart from the audit chain's one-int key. */
const CA_LOCK = [0x63_65_72_74, 0xca] as const;

export type PlatformCa = { certificateId: string; keyId: string; publicKey: string; der: Uint8Array; cert: ParsedCertificate };

// Per module instance, not on globalThis: a cached root belongs to one database.
const g: { __certsealCa?: Promise<PlatformCa> } = {};

function addYears(d: Date, years: number): Date {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
}

async function loadRoot(q: Pick<Tx, "certificate"> = db()): Promise<PlatformCa | null> {
  const row = await q.certificate.findFirst({
    where: { kind: "ROOT", revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { id: true, keyId: true, der: true },
  });
  if (!row || !row.keyId) return null;
  const cert = parseCertificate(row.der);
  return { certificateId: row.id, keyId: row.keyId, publicKey: cert.publicKey!, der: cert.der, cert };
}

/**
 * Returns the platform CA, creating its root key and certificate the first time. Safe when several
 * processes start together: creation runs under a transaction-scoped advisory lock, and a partial
 * unique index allows one live ROOT certificate only.
 */
export function ensurePlatformCa(opts: { keyStore?: KeyStore; cache?: boolean } = {}): Promise<PlatformCa> {
  if (opts.cache !== false && g.__certsealCa) return g.__certsealCa;
  const p = createOnce(opts.keyStore ?? keyStore());
  if (opts.cache !== false) {
    g.__certsealCa = p;
    p.catch(() => {
      if (g.__certsealCa === p) delete g.__certsealCa;
    });
  }
  return p;
}

function createOnce(ks: KeyStore): Promise<PlatformCa> {
  return withTx(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CA_LOCK[0]}::int, ${CA_LOCK[1]}::int)`;
    const existing = await loadRoot(tx);
    if (existing) return existing;
    // The key commits on its own connection (the store is a separate device); if this transaction
    // then fails, an unused key row remains, which is harmless and kept like every key.
    const { keyId, publicKey } = await ks.generate(ROOT_KEY_LABEL);
    const notBefore = toSeconds(new Date());
    const notAfter = addYears(notBefore, ROOT_VALIDITY_YEARS);
    const der = await buildCertificate({ serial: randomSerial(), subject: ROOT_SUBJECT, publicKey, notBefore, notAfter, ca: true }, (tbs) => ks.sign(keyId, tbs));
    const cert = parseCertificate(der);
    const row = await tx.certificate.create({
      data: { serial: cert.serial, kind: "ROOT", keyId, issuerId: null, subject: nameToString(cert.subject), der, sm3: cert.sm3, notBefore, notAfter },
      select: { id: true },
    });
    return { certificateId: row.id, keyId, publicKey, der, cert };
  });
}

/** The platform CA if it exists (never creates it): for verification. */
export async function platformCa(): Promise<PlatformCa | null> {
  if (g.__certsealCa) return g.__certsealCa;
  const root = await loadRoot();
  if (root) g.__certsealCa = Promise.resolve(root);
  return root;
}

const HEX_PUB = /^04[0-9a-fA-F]{128}$/;

export const issueCertificateInput = z
  .object({
    kind: z.enum(["SEAL", "MAKER"]),
    subject: z.object({
      commonName: z.string().trim().min(1).max(64),
      organization: z.string().trim().min(1).max(64).optional(),
      /** unified social credit code or citizen ID number */
      serialNumber: z.string().regex(/^[0-9A-Za-z]{1,64}$/),
    }),
    publicKey: z.string().regex(HEX_PUB).transform((s) => s.toLowerCase()),
    /** the subject's key in the key store, linked from the certificate row */
    keyId: z.string().uuid().optional(),
    notBefore: z.date().optional(),
    notAfter: z.date().optional(),
  })
  .strict();

export type IssueCertificateInput = z.input<typeof issueCertificateInput>;

/** Issues an X.509 v3 signing certificate from the platform CA and records it. */
export async function issueCertificate(input: IssueCertificateInput, opts: { keyStore?: KeyStore } = {}): Promise<{ certificateId: string; serial: string; der: Uint8Array }> {
  const parsed = issueCertificateInput.safeParse(input);
  if (!parsed.success) throw new AppError("INVALID_INPUT", cryptoText.ca.invalidSubject);
  const { kind, subject, publicKey, keyId } = parsed.data;
  const ks = opts.keyStore ?? keyStore();
  const root = await ensurePlatformCa({ keyStore: opts.keyStore });
  if (keyId && (await ks.publicKey(keyId)).toLowerCase() !== publicKey) throw new AppError("CONFLICT", cryptoText.ca.keyMismatch);
  const notBefore = toSeconds(parsed.data.notBefore ?? new Date());
  const notAfter = toSeconds(parsed.data.notAfter ?? addYears(notBefore, DEFAULT_VALIDITY_YEARS));
  if (!(notAfter > notBefore)) throw new AppError("INVALID_INPUT", cryptoText.ca.badValidity);
  // RFC 5280 does not nest validity periods, but a certificate outliving its root could not be verified.
  if (notAfter > root.cert.notAfter) throw new AppError("INVALID_INPUT", cryptoText.ca.beyondRoot);

  const der = await buildCertificate(
    { serial: randomSerial(), issuerName: root.cert.subjectName, subject, publicKey, notBefore, notAfter, ca: false, authorityKeyId: keyIdentifierOf(root.publicKey) },
    (tbs) => ks.sign(root.keyId, tbs),
  );
  const cert = parseCertificate(der);
  const row = await db().certificate.create({
    data: { serial: cert.serial, kind, keyId: keyId ?? null, issuerId: root.certificateId, subject: nameToString(cert.subject), der, sm3: cert.sm3, notBefore, notAfter },
    select: { id: true },
  });
  return { certificateId: row.id, serial: cert.serial, der };
}

/** SM2 verification through the worker pool; issuer keys ("hot") are precomputed there. */
export const poolVerifier: Sm2Verifier = (publicKey, data, signature, hot) => signPool().verify({ publicKey, data, signature, hot });

/**
 * Verifies that `der` chains to the platform root and was valid at `at` (default now): signature
 * with the root's public key over the DER TBSCertificate, issuer name, validity of both, and not
 * revoked at or before `at` — so a certificate revoked later still verifies for earlier signatures
 * (S-07). Reasons are in Chinese.
 */
export async function verifyCertificateChain(der: Uint8Array, at: Date = new Date()): Promise<ChainResult> {
  const root = await platformCa();
  if (!root) return { ok: false, reasons: [cryptoText.chain.noRoot] };
  const r = await verifyIssuedBy(der, root.cert, at, poolVerifier);
  if (r.cert) {
    const row = await db().certificate.findUnique({ where: { serial: r.cert.serial }, select: { sm3: true, revokedAt: true } });
    if (row && row.sm3 === r.cert.sm3 && row.revokedAt && row.revokedAt.getTime() <= at.getTime()) r.reasons.push(cryptoText.chain.revoked(row.revokedAt));
  }
  return { ok: r.reasons.length === 0, reasons: r.reasons };
}
