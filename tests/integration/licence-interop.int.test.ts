// Interoperability of the licence signature (L-07; ARCHITECTURE.md "Signing"): the SES_Signature
// taken out of a downloaded licence PDF verifies with OpenSSL 3 (`pkeyutl -verify … -sigopt
// distid:1234567812345678` and `dgst -sm3 -verify`) and with the original sm-crypto, its data hash
// is SM3 of the canonical encoding anyone can rebuild from the licence's data, and the seal inside
// it verifies under its maker's key the same way.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { decodeSignature } from "@/lib/crypto/ses";
import { sm3Hex } from "@/lib/crypto/sm3";
import { parseCertificate } from "@/lib/crypto/x509";
import { renderLicenceFile } from "@/lib/licenses/file";
import { canonicalOf } from "@/lib/licenses/lifecycle";
import { extractSignature } from "@/lib/pdf/sealed-pdf";
import { openssl, opensslVerify, referenceVerify, SM2_SPKI_PREFIX, withTempDir } from "@/tests/helpers/crypto";
import { issue, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";

/** `openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -digest sm3 -in msg -sigfile sig -pkeyopt distid:1234567812345678` */
function pkeyutlVerify(publicKey: string, message: Uint8Array, derSignature: Uint8Array): boolean {
  return withTempDir((dir) => {
    const f = (n: string) => path.join(dir, n);
    writeFileSync(f("pub.der"), Buffer.from(SM2_SPKI_PREFIX + publicKey, "hex"));
    openssl(["pkey", "-pubin", "-inform", "der", "-in", f("pub.der"), "-out", f("pub.pem")]);
    writeFileSync(f("sig.der"), derSignature);
    writeFileSync(f("msg.bin"), message);
    try {
      const out = execFileSync(
        "openssl",
        ["pkeyutl", "-verify", "-pubin", "-inkey", f("pub.pem"), "-rawin", "-digest", "sm3", "-in", f("msg.bin"), "-sigfile", f("sig.der"), "-pkeyopt", "distid:1234567812345678"],
        { stdio: ["pipe", "pipe", "pipe"] },
      ).toString("utf8");
      return /Signature Verified Successfully/.test(out);
    } catch {
      return false; // exit status 1: "Signature Verification Failure"
    }
  });
}

let w: LicenceWorld;
let licenceId: string;
beforeAll(async () => {
  w = await makeLicenceWorld();
  licenceId = (await issue(w)).id;
}, 120_000);

describe("L-07 licence signature interoperability", () => {
  it("the signature extracted from the PDF verifies with OpenSSL pkeyutl and dgst (distid 1234567812345678) and with sm-crypto; a changed byte does not", async () => {
    const { pdf } = await renderLicenceFile(licenceId);
    const ex = await extractSignature(pdf);
    expect(ex).not.toBeNull();
    const sig = decodeSignature(ex!.sigDer);
    const publicKey = parseCertificate(sig.signerCert).publicKey!;
    expect(pkeyutlVerify(publicKey, sig.tbsDer, sig.signature)).toBe(true);
    expect(opensslVerify(publicKey, sig.tbsDer, sig.signature)).toBe(true);
    expect(referenceVerify(publicKey, sig.tbsDer, sig.signature)).toBe(true);

    const bad = Uint8Array.from(sig.tbsDer);
    bad[bad.length - 1] ^= 0x01;
    expect(pkeyutlVerify(publicKey, bad, sig.signature)).toBe(false);
    expect(opensslVerify(publicKey, bad, sig.signature)).toBe(false);
  });

  it("the signed data hash is SM3 of the canonical encoding rebuilt from the licence's data, and the propertyInfo names the licence", async () => {
    const row = await db().licence.findUniqueOrThrow({ where: { id: licenceId } });
    const ex = (await extractSignature((await renderLicenceFile(licenceId)).pdf))!;
    const sig = decodeSignature(ex.sigDer);
    const canonical = await canonicalOf(row);
    expect(Buffer.from(sig.dataHash).toString("hex")).toBe(sm3Hex(canonical));
    expect(sm3Hex(canonical)).toBe(row.canonicalSm3);
    expect(sig.propertyInfo).toBe(`certseal:licence:${row.identifier}`);
    // the canonical encoding is plain UTF-8 JSON: what it says can be read without our code
    const body = JSON.parse(canonical.toString("utf8")) as { format: string; identifier: string; number: string };
    expect(body).toMatchObject({ format: "certseal-licence-v1", identifier: row.identifier, number: row.licenceNumber });
  });

  it("the seal inside the signature verifies under its maker's certificate with OpenSSL too", async () => {
    const ex = (await extractSignature((await renderLicenceFile(licenceId)).pdf))!;
    const seal = decodeSignature(ex.sigDer).seal;
    const maker = parseCertificate(seal.makerCert).publicKey!;
    expect(pkeyutlVerify(maker, seal.infoDer, seal.signedValue)).toBe(true);
    // both certificates parse with OpenSSL
    for (const der of [seal.makerCert, decodeSignature(ex.sigDer).signerCert]) {
      const text = withTempDir((dir) => {
        writeFileSync(path.join(dir, "c.der"), der);
        return openssl(["x509", "-inform", "der", "-in", path.join(dir, "c.der"), "-noout", "-subject"]);
      });
      expect(text).toMatch(/^subject=/);
    }
  });
});
