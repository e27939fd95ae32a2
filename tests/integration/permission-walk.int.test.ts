// P-04 / SECURITY.md: every exported server action and every route handler refuses an
// unauthenticated call, a cross-site call, a call from the wrong role and a call on another
// department. The walk finds the files itself, so a new action without a row here fails.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { createDepartment, createSession, createUser, type TestDept, type TestUser } from "@/tests/helpers/factory";

const jar = { cookie: null as string | null, origin: "http://localhost:3000" as string | null };

vi.mock("next/headers", () => ({
  cookies: () =>
    Promise.resolve({
      get: (name: string) => (name === "certseal.session" && jar.cookie ? { name, value: jar.cookie } : undefined),
      getAll: () => (jar.cookie ? [{ name: "certseal.session", value: jar.cookie }] : []),
    }),
  headers: () =>
    Promise.resolve(
      new Headers({
        host: "localhost:3000",
        "user-agent": "vitest",
        ...(jar.origin ? { origin: jar.origin, "sec-fetch-site": "same-origin" } : {}),
      }),
    ),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const root = path.resolve(__dirname, "../..");
function walk(dir: string, name: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walk(p, name, out);
    else if (f === name) out.push(p);
  }
  return out;
}

type Fixture = {
  otherCityDept: TestDept;
  otherCityUser: TestUser;
  otherSessionId: string;
};
type Case = {
  /** who acts in the wrong-department call */
  actor: "citySys" | "citySec" | "none";
  input: (f: Fixture) => unknown;
};

// One row per exported server action. `actor: "none"` marks actions with no department target
// (province-wide settings, self-service); the wrong-role call covers them.
const CASES: Record<string, Case> = {
  "admin/users:createUserAction": { actor: "citySys", input: (f) => ({ username: "walk_x1", name: "越权用户", departmentId: f.otherCityDept.id, phone: "", email: "", password: "Walk@Passw0rd!" }) },
  "admin/users:updateUserAction": { actor: "citySys", input: (f) => ({ id: f.otherCityUser.id, name: "改名", departmentId: f.otherCityDept.id, phone: "", email: "" }) },
  "admin/users:setUserStatusAction": { actor: "citySys", input: (f) => ({ id: f.otherCityUser.id, status: "DISABLED" }) },
  "admin/users:resetPasswordAction": { actor: "citySys", input: (f) => ({ id: f.otherCityUser.id, password: "Walk@Passw0rd!" }) },
  "admin/users:endUserSessionsAction": { actor: "citySys", input: (f) => ({ id: f.otherCityUser.id }) },
  "admin/users:unlockUserAction": { actor: "citySys", input: (f) => ({ username: f.otherCityUser.username }) },
  "admin/departments:createDepartmentAction": {
    actor: "citySys",
    input: (f) => ({ parentId: f.otherCityDept.id, name: "越权部门", uscc: f.otherCityDept.uscc, areaCode: "510700", level: "COUNTY", kind: "AGENCY", isIssuing: false, isUsing: false, isManagement: false, isSealMaking: false, sortOrder: 0, staff: [] }),
  },
  "admin/departments:updateDepartmentAction": {
    actor: "citySys",
    input: (f) => ({ id: f.otherCityDept.id, name: "越权改名", uscc: f.otherCityDept.uscc, areaCode: "510700", level: "CITY", kind: "AGENCY", isIssuing: false, isUsing: false, isManagement: false, isSealMaking: false, sortOrder: 0, staff: [] }),
  },
  "admin/departments:moveDepartmentAction": { actor: "citySys", input: (f) => ({ id: f.otherCityDept.id, parentId: f.otherCityDept.id }) },
  "admin/departments:setDepartmentStatusAction": { actor: "citySys", input: (f) => ({ id: f.otherCityDept.id, status: "DISABLED" }) },
  "admin/roles:grantRoleAction": { actor: "citySec", input: (f) => ({ userId: f.otherCityUser.id, role: "ISSUER_OPERATOR", scope: "OWN" }) },
  "admin/roles:revokeRoleAction": { actor: "citySec", input: (f) => ({ userId: f.otherCityUser.id, role: "USING_OPERATOR" }) },
  "admin/online:endSessionAction": { actor: "citySec", input: (f) => ({ sessionId: f.otherSessionId }) },
  "admin/security:updatePolicyAction": { actor: "none", input: () => ({}) },
  "audit:verifyChainAction": { actor: "none", input: () => ({}) },
  "change-password:changePasswordAction": { actor: "none", input: () => ({}) },
};
/** Self-service actions any signed-in user may call. */
const ANY_SIGNED_IN = new Set(["change-password:changePasswordAction"]);
/** Route handlers that are public by design, and why. */
const PUBLIC_ROUTES: Record<string, string> = {
  "api/auth/[...nextauth]": "next-auth's own sign-in endpoints, protected by its CSRF token",
  "api/health": "load-balancer probe; reveals only up/down and the version",
};

const actionFiles = walk(path.join(root, "app"), "actions.ts");
const routeFiles = walk(path.join(root, "app"), "route.ts");
const keyOf = (file: string) =>
  path
    .relative(path.join(root, "app"), path.dirname(file))
    .split(path.sep)
    .filter((s) => !/^\(.*\)$/.test(s))
    .join("/");

async function signInAs(user: TestUser) {
  const s = await createSession(user.id);
  jar.cookie = await encode({ token: { sid: s.id, sub: user.id }, secret: process.env.NEXTAUTH_SECRET! });
}

let fx: Fixture;
let users: Record<"wrongRole" | "citySys" | "citySec" | "provinceSys", TestUser>;

beforeAll(async () => {
  const province = await createDepartment({ level: "PROVINCE" });
  const cityA = await createDepartment({ parent: province, level: "CITY", area: "510100" });
  const cityB = await createDepartment({ parent: province, level: "CITY", area: "510700" });
  const otherCityUser = await createUser({ department: cityB, roles: ["USING_OPERATOR"] });
  const otherSession = await createSession(otherCityUser.id);
  fx = { otherCityDept: cityB, otherCityUser, otherSessionId: otherSession.id };
  users = {
    wrongRole: await createUser({ department: cityA, roles: ["USING_OPERATOR"] }),
    citySys: await createUser({ department: cityA, roles: [{ role: "SYSTEM_ADMIN", scope: "SUBTREE" }] }),
    citySec: await createUser({ department: cityA, roles: [{ role: "SECURITY_ADMIN", scope: "SUBTREE" }] }),
    provinceSys: await createUser({ department: province, roles: [{ role: "SYSTEM_ADMIN", scope: "PROVINCE" }] }),
  };
});

type Result = { ok: boolean; code?: string };
const exported: { key: string; fn: (i: unknown) => Promise<Result> }[] = [];

describe("every server action", () => {
  beforeAll(async () => {
    for (const file of actionFiles) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn === "function") exported.push({ key: `${keyOf(file)}:${name}`, fn: fn as (i: unknown) => Promise<Result> });
      }
    }
  });

  it("is listed in this test with a wrong-department case", () => {
    expect(exported.length).toBeGreaterThan(10);
    expect(exported.map((e) => e.key).filter((k) => !CASES[k])).toEqual([]);
    expect(Object.keys(CASES).filter((k) => !exported.some((e) => e.key === k))).toEqual([]);
  });

  it("refuses an unauthenticated call", async () => {
    jar.cookie = null;
    jar.origin = "http://localhost:3000";
    for (const e of exported) expect([e.key, (await e.fn(CASES[e.key].input(fx))).code]).toEqual([e.key, "UNAUTHENTICATED"]);
  });

  it("refuses a call without a same-origin Origin header (CSRF)", async () => {
    await signInAs(users.provinceSys);
    jar.origin = null;
    for (const e of exported) expect([e.key, (await e.fn(CASES[e.key].input(fx))).code]).toEqual([e.key, "BAD_ORIGIN"]);
    jar.origin = "https://evil.example";
    for (const e of exported) expect([e.key, (await e.fn(CASES[e.key].input(fx))).code]).toEqual([e.key, "BAD_ORIGIN"]);
    jar.origin = "http://localhost:3000";
  });

  it("refuses a call from a role without the permission", async () => {
    await signInAs(users.wrongRole);
    for (const e of exported) {
      const r = await e.fn(CASES[e.key].input(fx));
      if (ANY_SIGNED_IN.has(e.key)) expect([e.key, r.code]).toEqual([e.key, "INVALID_INPUT"]);
      else expect([e.key, r.code]).toEqual([e.key, "FORBIDDEN"]);
    }
  });

  it("refuses a call on a department outside the caller's scope, and changes nothing", async () => {
    const { db } = await import("@/lib/db");
    const before = {
      user: await db().user.findUniqueOrThrow({ where: { id: fx.otherCityUser.id }, include: { roles: true } }),
      dept: await db().department.findUniqueOrThrow({ where: { id: fx.otherCityDept.id } }),
      session: await db().userSession.findUniqueOrThrow({ where: { id: fx.otherSessionId } }),
      audit: await db().auditEvent.count(),
    };
    for (const e of exported) {
      const c = CASES[e.key];
      if (c.actor === "none") continue;
      await signInAs(users[c.actor]);
      const r = await e.fn(c.input(fx));
      expect([e.key, r.ok, r.code]).toEqual([e.key, false, "NOT_FOUND"]);
    }
    expect(await db().user.findUniqueOrThrow({ where: { id: fx.otherCityUser.id }, include: { roles: true } })).toEqual(before.user);
    expect(await db().department.findUniqueOrThrow({ where: { id: fx.otherCityDept.id } })).toEqual(before.dept);
    expect((await db().userSession.findUniqueOrThrow({ where: { id: fx.otherSessionId } })).endedAt).toBeNull();
    expect(await db().auditEvent.count()).toBe(before.audit);
    expect(await db().user.count({ where: { username: "walk_x1" } })).toBe(0);
  });

  it("lets the right role in the right scope through (the refusals above are not blanket)", async () => {
    await signInAs(users.provinceSys);
    const e = exported.find((x) => x.key === "admin/users:updateUserAction")!;
    const r = await e.fn({ id: fx.otherCityUser.id, name: "省级改名", departmentId: fx.otherCityDept.id, phone: "", email: "" });
    expect(r).toEqual({ ok: true, data: { id: fx.otherCityUser.id } });
  });
});

describe("every route handler", () => {
  it("is public by design (listed with a reason) or is tested for its guard", () => {
    const keys = routeFiles.map(keyOf).sort();
    expect(keys).toEqual(Object.keys(PUBLIC_ROUTES).sort());
  });
});
