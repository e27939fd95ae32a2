// SM2 signature values as they appear inside structures: DER SEQUENCE { r INTEGER, s INTEGER }
// (GM/T 0009 §7.3), encoded with asn1js rather than by hand.
import * as asn1js from "asn1js";

export type Sm2RS = { r: bigint; s: bigint };

const toBig = (v: bigint | string) => (typeof v === "bigint" ? v : BigInt(`0x${v}`));

export function sm2SignatureToDer(r: bigint | string, s: bigint | string): Uint8Array {
  const seq = new asn1js.Sequence({ value: [asn1js.Integer.fromBigInt(toBig(r)), asn1js.Integer.fromBigInt(toBig(s))] });
  return new Uint8Array(seq.toBER(false));
}

export function sm2SignatureFromDer(der: Uint8Array): Sm2RS {
  const parsed = asn1js.fromBER(der);
  const seq = parsed.result;
  if (parsed.offset !== der.byteLength || !(seq instanceof asn1js.Sequence) || seq.valueBlock.value.length !== 2)
    throw new Error("not a DER SM2 signature (SEQUENCE of two INTEGERs)");
  const [r, s] = seq.valueBlock.value;
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer)) throw new Error("not a DER SM2 signature (SEQUENCE of two INTEGERs)");
  return { r: r.toBigInt(), s: s.toBigInt() };
}
