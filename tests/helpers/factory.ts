// Test data, created directly with Prisma so tests depend on the schema, not on services under
// test. Every name and code is unique, so tests can share one database and run in any order.
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/passwords";
import { defaultScope, type RoleName, type Scope } from "@/lib/auth/permissions";
import { usccCheckChar } from "@/lib/validation/codes";
import type { AuditActor } from "@/lib/audit/log";

export const TEST_PASSWORD = "Test@Passw0rd!";

type Level = "PROVINCE" | "CITY" | "COUNTY";
export type TestDept = Awaited<ReturnType<typeof createDepartment>>;
export type TestUser = Awaited<ReturnType<typeof createUser>>;

export function uniqueSuffix(): string {
  return randomBytes(5).toString("hex");
}

/** A valid, unique USCC (GB 32100): "11" (government agency) + area + 9 random digits + check. */
export function testUscc(area = "510000"): string {
  const first17 = `11${area}${String(randomInt(1_000_000_000)).padStart(9, "0")}`;
  return first17 + usccCheckChar(first17)!;
}

/** A unique address per call, so per-IP lockout counters of different tests never add up. */
export function testIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export async function createDepartment(
  opts: {
    parent?: { id: string; path: string; level?: Level };
    name?: string;
    area?: string;
    level?: Level;
    kind?: "AGENCY" | "INSTITUTION" | "OTHER";
    status?: "ACTIVE" | "DISABLED";
    parts?: Partial<Record<"isIssuing" | "isUsing" | "isManagement" | "isSealMaking", boolean>>;
  } = {},
) {
  const id = randomUUID();
  const level: Level = opts.level ?? (opts.parent ? (opts.parent.level === "PROVINCE" ? "CITY" : "COUNTY") : "PROVINCE");
  const area = opts.area ?? { PROVINCE: "510000", CITY: "510100", COUNTY: "510104" }[level];
  return db().department.create({
    data: {
      id,
      parentId: opts.parent?.id ?? null,
      path: `${opts.parent?.path ?? "/"}${id}/`,
      name: opts.name ?? `测试部门-${uniqueSuffix()}`,
      uscc: testUscc(area),
      areaCode: area,
      level,
      kind: opts.kind ?? "AGENCY",
      status: opts.status ?? "ACTIVE",
      ...opts.parts,
    },
  });
}

const hashes = new Map<string, Promise<string>>();
/** argon2id is deliberately slow: hash each distinct test password once per file. */
export function hashOnce(password: string): Promise<string> {
  let h = hashes.get(password);
  if (!h) hashes.set(password, (h = hashPassword(password)));
  return h;
}

export async function createUser(
  opts: {
    /** default: a new provincial department */
    department?: { id: string };
    username?: string;
    name?: string;
    password?: string;
    roles?: (RoleName | { role: RoleName; scope: Scope })[];
    status?: "ACTIVE" | "DISABLED";
    mustChangePassword?: boolean;
    passwordChangedAt?: Date;
  } = {},
) {
  const department = opts.department
    ? await db().department.findUniqueOrThrow({ where: { id: opts.department.id } })
    : await createDepartment();
  const password = opts.password ?? TEST_PASSWORD;
  const passwordHash = await hashOnce(password);
  const user = await db().user.create({
    data: {
      username: opts.username ?? `u_${uniqueSuffix()}`,
      name: opts.name ?? "测试用户",
      departmentId: department.id,
      passwordHash,
      passwordChangedAt: opts.passwordChangedAt ?? new Date(),
      mustChangePassword: opts.mustChangePassword ?? false,
      status: opts.status ?? "ACTIVE",
      roles: {
        create: (opts.roles ?? []).map((r) =>
          typeof r === "string" ? { role: r, scope: defaultScope(r, department.level) } : r,
        ),
      },
      passwords: { create: { hash: passwordHash } },
    },
    include: { roles: true },
  });
  return { ...user, password, department };
}

/** A session row as signIn would write it; times default to "just signed in". */
export async function createSession(
  userId: string,
  opts: { createdAt?: Date; lastSeenAt?: Date; expiresAt?: Date; ip?: string; userAgent?: string } = {},
) {
  const createdAt = opts.createdAt ?? new Date();
  return db().userSession.create({
    data: {
      id: randomBytes(32).toString("hex"),
      userId,
      createdAt,
      lastSeenAt: opts.lastSeenAt ?? createdAt,
      expiresAt: opts.expiresAt ?? new Date(createdAt.getTime() + 12 * 3_600_000),
      ip: opts.ip ?? "127.0.0.1",
      userAgent: opts.userAgent ?? "vitest",
    },
  });
}

export function testActor(overrides: Partial<AuditActor> = {}): AuditActor {
  return { id: null, name: "测试(vitest)", role: "系统管理员", dept: "测试部门", ip: "127.0.0.1", userAgent: "vitest", ...overrides };
}
