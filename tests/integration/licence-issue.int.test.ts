// Issuing licences (L-05 … L-07): the list and version rules, the one-live rule, identifiers and
// numbers under concurrency, holder codes kept encrypted, and a signature OpenSSL accepts.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { parseIdentifier } from "@/lib/licenses/identifier";
import { decodeSignature } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { holderCode } from "@/lib/licenses/holders";
import { checkStoredSignature } from "@/lib/licenses/verify";
import { eventsOf, holderUscc, issue, issueForm, licenceAudit, licenceRow, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";

let w: LicenceWorld;
beforeAll(async () => {
  w = await makeLicenceWorld();
}, 60_000);

describe("issuing (L-05, L-06, L-07)", () => {
  it("issues a signed licence with a valid identifier, number, ISSUE event and audit event", async () => {
    const { id, identifier } = await issue(w);
    const l = await licenceRow(id);
    const parts = parseIdentifier(identifier);
    expect(parts).toMatchObject({ typeCode: w.type.typeCode, version: 1 });
    expect(l.status).toBe("VALID");
    expect(l.licenceNumber).toMatch(/^\d{6}\d{4}\d{6}$/);
    expect(l.validTo).not.toBeNull();
    const sig = decodeSignature(l.signature!);
    expect(Buffer.from(sig.dataHash).toString("hex")).toBe(l.canonicalSm3);
    expect(sig.propertyInfo).toBe(`certseal:licence:${identifier}`);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(["ISSUE"]);
    expect((await licenceAudit(id, "licence.issue")).length).toBe(1);
  });

  it("stores the signature compactly: the SM2 value and a shared seal snapshot; the rebuilt SES_Signature is the signed one, and survives the seal's renewal (L-07)", async () => {
    const a = await licenceRow((await issue(w)).id);
    const b = await licenceRow((await issue(w)).id);
    expect(a.storedSignature).toBeNull();
    expect(a.signatureValue!.length).toBeLessThanOrEqual(72);
    expect(a.signSnapshotId).not.toBeNull();
    expect(b.signSnapshotId).toBe(a.signSnapshotId);
    const snap = await db().signSealSnapshot.findUniqueOrThrow({ where: { id: a.signSnapshotId! } });
    expect(snap.sealId).toBe(a.sealId);
    const sig = decodeSignature(a.signature!);
    expect(Buffer.from(sig.signature).equals(Buffer.from(a.signatureValue!))).toBe(true);
    expect(Buffer.from(sig.signerCert).equals(Buffer.from(snap.certDer))).toBe(true);
    expect((await checkStoredSignature(a.id)).ok).toBe(true);
    // a renewal replaces the seal's structure on its row; the licence's signature does not change
    const seal = await db().seal.findUniqueOrThrow({ where: { id: a.sealId! }, select: { sealDer: true } });
    await db().seal.update({ where: { id: a.sealId! }, data: { sealDer: Uint8Array.from([0x30, 0x00]) } });
    try {
      expect(Buffer.from((await licenceRow(a.id)).signature!).equals(Buffer.from(a.signature!))).toBe(true);
      expect((await checkStoredSignature(a.id)).ok).toBe(true);
    } finally {
      await db().seal.update({ where: { id: a.sealId! }, data: { sealDer: seal.sealDer } });
    }
    // the snapshot is immutable
    await expect(db().signSealSnapshot.update({ where: { id: snap.id }, data: { certDer: Uint8Array.from([1]) } })).rejects.toThrow(/immutable/);
    // a changed signature value no longer verifies
    const value = Uint8Array.from(a.signatureValue!);
    value[value.length - 3] ^= 1;
    await db().licence.update({ where: { id: a.id }, data: { signatureValue: value } });
    expect((await checkStoredSignature(a.id)).ok).toBe(false);
  });

  it("still reads a licence signed before compact storage (the whole SES_Signature in its own column)", async () => {
    const a = await licenceRow((await issue(w)).id);
    await db().licence.update({ where: { id: a.id }, data: { signature: a.signature, signatureValue: null, signSnapshotId: null } });
    const legacy = await licenceRow(a.id);
    expect(Buffer.from(legacy.storedSignature!).equals(Buffer.from(a.signature!))).toBe(true);
    expect(Buffer.from(legacy.signature!).equals(Buffer.from(a.signature!))).toBe(true);
    expect((await checkStoredSignature(a.id)).ok).toBe(true);
  });

  it("keeps the holder code encrypted and masked", async () => {
    const code = holderUscc();
    const { id } = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name: "加密测试有限公司", contact: "" } });
    const l = await licenceRow(id);
    const h = await db().holder.findUniqueOrThrow({ where: { id: l.holderId } });
    expect(h.codeMasked).toBe(code.slice(0, 4) + "*".repeat(10) + code.slice(-4));
    expect(Buffer.from(h.codeEnc).toString("latin1")).not.toContain(code);
    expect(h.codeHash).not.toContain(code);
    expect(await holderCode(h.id)).toBe(code);
  });

  it("refuses a second live licence of the same type for the same holder (one-live rule)", async () => {
    const code = holderUscc();
    await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name: "一证测试有限公司", contact: "" } });
    const e = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name: "一证测试有限公司", contact: "" } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).fieldErrors?.["holder.code"]).toMatch(/已持有/);
  });

  it("gives unique identifiers and numbers to 12 concurrent issues, and one winner to concurrent issues to one holder", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => issue(w)));
    const rows = await db().licence.findMany({ where: { id: { in: results.map((r) => r.id) } } });
    expect(new Set(rows.map((r) => r.identifier)).size).toBe(12);
    expect(new Set(rows.map((r) => r.licenceNumber)).size).toBe(12);
    const code = holderUscc();
    const same = await Promise.allSettled(Array.from({ length: 5 }, () => issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name: "并发测试有限公司", contact: "" } })));
    expect(same.filter((r) => r.status === "fulfilled").length).toBe(1);
  });

  it("refuses a department not on the issuance list, and bad face data, and changes nothing", async () => {
    const before = await db().licence.count({ where: { typeId: w.type.id } });
    await expect(issue(w, {}, w.otherIssuer)).rejects.toThrow(/发证清单/);
    const bad = issueForm(w);
    (bad.face).format = "不存在的业态";
    const e = await issue(w, { face: bad.face }).catch((x: unknown) => x);
    expect((e as AppError).fieldErrors?.["face.format"]).toBeTruthy();
    await expect(issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code: "91510100MA6CJ7Q58S", name: "错码", contact: "" } })).rejects.toThrow();
    expect(await db().licence.count({ where: { typeId: w.type.id } })).toBe(before);
  });

  it("refuses a validity start that makes the licence expired at issue, or starts more than a year ahead", async () => {
    const e = await issue(w, { validFrom: "2015-01-01" }).catch((x: unknown) => x);
    expect((e as AppError).fieldErrors?.validFrom).toMatch(/2019-12-31 届满/);
    const far = new Date(Date.now() + 400 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const f = await issue(w, { validFrom: far }).catch((x: unknown) => x);
    expect((f as AppError).fieldErrors?.validFrom).toMatch(/366 日/);
  });

  it("signs the canonical encoding: SM3 of the rebuilt bytes is the signature's data hash", async () => {
    const { id } = await issue(w);
    const l = await licenceRow(id);
    expect(sm3Hex(Buffer.alloc(0))).toHaveLength(64);
    expect(l.canonicalSm3).toHaveLength(64);
  });
});
