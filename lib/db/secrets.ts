// Secrets for the embedded default, generated into .data/ on first start (never in production).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type LocalSecrets = { NEXTAUTH_SECRET: string; CERTSEAL_KEK: string; PG_PASSWORD: string };

export function localSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
  mkdirSync(dataDir, { recursive: true });
  const s: LocalSecrets = {
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    CERTSEAL_KEK: randomBytes(32).toString("hex"),
    PG_PASSWORD: randomBytes(18).toString("base64url"),
  };
  writeFileSync(file, JSON.stringify(s, null, 2), { mode: 0o600 });
  return s;
}
