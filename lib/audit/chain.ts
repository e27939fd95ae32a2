// The SM3 hash chain. hash = SM3(prevHash ‖ "\n" ‖ canonical(row without hash)),
// SM3 from Node's OpenSSL (lib/crypto/sm3.ts). The first row's prevHash is 64 zeros.
import { canonicalJson } from "@/lib/audit/canonical";
import { sm3Hex } from "@/lib/crypto/sm3";

export const GENESIS_HASH = "0".repeat(64);

export type ChainRow = {
  seq: bigint;
  time: Date;
  actorId: string | null;
  actorName: string;
  actorRole: string;
  actorDept: string;
  ip: string | null;
  userAgent: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  detail: unknown;
  prevHash: string;
};

export function rowHash(row: ChainRow): string {
  const body = canonicalJson({ ...row, seq: row.seq.toString() });
  return sm3Hex(`${row.prevHash}\n${body}`);
}
