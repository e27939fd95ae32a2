// Environment, validated with zod at boot (instrumentation.ts) and on first use.
import { z } from "zod";

const hex32 = z.string().regex(/^[0-9a-f]{64}$/i, "must be 32 bytes as 64 hex characters");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters of random data"),
  NEXTAUTH_URL: z.string().url().optional(),
  CERTSEAL_KEK: hex32,
  CERTSEAL_DEMO: z.enum(["0", "1"]).optional(),
  /** extra origins allowed to post actions, comma-separated (the app's own origin is always allowed) */
  CERTSEAL_ALLOWED_ORIGINS: z.string().optional(),
  CERTSEAL_VERSION: z.string().optional(),
  /** how many reverse proxies in front of the portal append to X-Forwarded-For (lib/http/request.ts) */
  CERTSEAL_TRUSTED_PROXY_HOPS: z.string().regex(/^\d$/).optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    const hint =
      source.NODE_ENV === "production"
        ? "In production set DATABASE_URL, NEXTAUTH_SECRET (32+ random bytes) and CERTSEAL_KEK (64 hex) explicitly; no secret is generated for you."
        : "Start the portal with `npm start`, which generates development secrets into .data/.";
    throw new Error(`certseal: the environment is not valid:\n${lines.join("\n")}\n${hint}`);
  }
  return parsed.data;
}

export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
