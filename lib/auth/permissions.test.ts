import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { t } from "@/lib/i18n/zh-CN";
import { Role as PrismaRole, RoleScope as PrismaRoleScope } from "@/lib/generated/prisma/enums";
import {
  ADMIN_TRIAD,
  can,
  defaultScope,
  departmentScope,
  departmentWhere,
  departmentWhereAny,
  hasPermission,
  PERMISSIONS,
  requirePermission,
  ROLE_PERMISSIONS,
  ROLES,
  type Permission,
  type Principal,
  type RoleName,
  type Scope,
  type ScopedRole,
} from "@/lib/auth/permissions";

// A small tree: province → two cities → a county under the first.
const province = { id: "p", path: "/p/" };
const city = { id: "c", path: "/p/c/" };
const county = { id: "k", path: "/p/c/k/" };
const otherCity = { id: "c2", path: "/p/c2/" };
// A sibling whose path starts with the same characters as the city's id: the trailing "/" keeps it out.
const lookalike = { id: "c9", path: "/p/c9/" };

function principal(at: { id: string; path: string }, ...roles: [RoleName, Scope][]): Principal {
  return { userId: "u", departmentId: at.id, departmentPath: at.path, roles: roles.map(([role, scope]) => ({ role, scope })) };
}

function thrown(fn: () => void): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

/** Permissions that only read (audit.verify only reads the chain and records that it did). */
const READ_ONLY: readonly Permission[] = [
  "dept.read",
  "user.read",
  "role.read",
  "session.read",
  "loginlog.read",
  "audit.read",
  "audit.verify",
  "supervision.read",
];

describe("the role → permission map", () => {
  it("has exactly the roles of the database enum", () => {
    expect([...ROLES].sort()).toEqual(Object.values(PrismaRole).sort());
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
    expect(["OWN", "SUBTREE", "PROVINCE"].sort()).toEqual(Object.values(PrismaRoleScope).sort());
  });

  it("grants only known permissions, no duplicates, and every permission to some role", () => {
    for (const role of ROLES) {
      const perms = ROLE_PERMISSIONS[role];
      expect(new Set(perms).size, role).toBe(perms.length);
      for (const p of perms) expect(PERMISSIONS, `${role} → ${p}`).toContain(p);
    }
    const granted = new Set(ROLES.flatMap((r) => ROLE_PERMISSIONS[r]));
    expect(PERMISSIONS.filter((p) => !granted.has(p))).toEqual([]);
  });

  it.each<[RoleName, Permission[]]>([
    ["SYSTEM_ADMIN", ["dept.read", "dept.manage", "user.read", "user.manage", "session.read", "session.manage", "calendar.manage"]],
    ["SECURITY_ADMIN", ["dept.read", "user.read", "role.read", "role.grant", "session.read", "session.manage", "security.policy", "loginlog.read"]],
    ["AUDIT_ADMIN", ["audit.read", "audit.verify", "loginlog.read"]],
    ["CATALOG_ADMIN", ["catalog.manage", "rectification.respond"]],
    ["ISSUER_OPERATOR", ["licence.issue", "rectification.respond"]],
    ["USING_OPERATOR", ["licence.use", "rectification.respond"]],
    ["SEAL_APPLICANT", ["seal.apply"]],
    ["SEAL_APPROVER", ["seal.approve"]],
    ["SEAL_CUSTODIAN", ["seal.custody"]],
    ["SEAL_MAKER_REVIEWER", ["seal.make"]],
    ["SUPERVISOR", ["supervision.read", "objection.route", "supervision.manage"]],
  ])("%s has exactly its permissions", (role, expected) => {
    expect([...ROLE_PERMISSIONS[role]].sort()).toEqual([...expected].sort());
  });
});

describe("三员分立 in the permission map", () => {
  const perms = (r: RoleName) => new Set(ROLE_PERMISSIONS[r]);
  const holders = (p: Permission) => ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(p));

  it("names the three administrator roles", () => {
    expect([...ADMIN_TRIAD].sort()).toEqual(["AUDIT_ADMIN", "SECURITY_ADMIN", "SYSTEM_ADMIN"]);
  });

  it("gives the audit administrator no write permission at all", () => {
    expect(ROLE_PERMISSIONS.AUDIT_ADMIN.filter((p) => !READ_ONLY.includes(p))).toEqual([]);
  });

  it("gives the audit log only to the audit administrator", () => {
    expect(holders("audit.read")).toEqual(["AUDIT_ADMIN"]);
    expect(holders("audit.verify")).toEqual(["AUDIT_ADMIN"]);
  });

  it("lets only the system administrator manage departments and accounts", () => {
    expect(holders("dept.manage")).toEqual(["SYSTEM_ADMIN"]);
    expect(holders("user.manage")).toEqual(["SYSTEM_ADMIN"]);
  });

  it("lets only the security administrator grant roles and set security policy", () => {
    expect(holders("role.grant")).toEqual(["SECURITY_ADMIN"]);
    expect(holders("security.policy")).toEqual(["SECURITY_ADMIN"]);
  });

  it("shares no write permission between two of the three administrators", () => {
    const writes = (r: RoleName) => [...perms(r)].filter((p) => !READ_ONLY.includes(p));
    const shared: string[] = [];
    for (const a of ADMIN_TRIAD)
      for (const b of ADMIN_TRIAD)
        if (a < b) for (const p of writes(a)) if (perms(b).has(p)) shared.push(`${a} & ${b}: ${p}`);
    // Ending sessions is the one duty both operational administrators share (account
    // housekeeping for the one, the online-users page for the other); the auditor holds none.
    expect(shared).toEqual(["SECURITY_ADMIN & SYSTEM_ADMIN: session.manage"]);
  });

  it("gives the administrators no business permissions", () => {
    const business = PERMISSIONS.filter((p) => /^(catalog|licence|seal|supervision)\./.test(p));
    for (const r of ADMIN_TRIAD) expect(ROLE_PERMISSIONS[r].filter((p) => business.includes(p)), r).toEqual([]);
  });
});

describe("defaultScope", () => {
  it("gives administrators, supervisors and seal makers the province from a provincial department, else their subtree", () => {
    for (const r of [...ADMIN_TRIAD, "SUPERVISOR", "SEAL_MAKER_REVIEWER"] as RoleName[]) {
      expect(defaultScope(r, "PROVINCE"), r).toBe("PROVINCE");
      expect(defaultScope(r, "CITY"), r).toBe("SUBTREE");
      expect(defaultScope(r, "COUNTY"), r).toBe("SUBTREE");
    }
  });

  it("gives every business role its own department only", () => {
    for (const r of ROLES.filter((x) => !ADMIN_TRIAD.includes(x) && x !== "SUPERVISOR" && x !== "SEAL_MAKER_REVIEWER"))
      for (const level of ["PROVINCE", "CITY", "COUNTY"] as const) expect(defaultScope(r, level), `${r} ${level}`).toBe("OWN");
  });
});

describe("can: permission and department scope", () => {
  it("OWN covers only the holder's department", () => {
    const p = principal(city, ["ISSUER_OPERATOR", "OWN"]);
    expect(can(p, "licence.issue", city)).toBe(true);
    expect(can(p, "licence.issue", county)).toBe(false);
    expect(can(p, "licence.issue", province)).toBe(false);
    expect(can(p, "licence.issue", otherCity)).toBe(false);
  });

  it("SUBTREE covers the holder's department and everything below it, not above or beside", () => {
    const p = principal(city, ["SYSTEM_ADMIN", "SUBTREE"]);
    expect(can(p, "user.manage", city)).toBe(true);
    expect(can(p, "user.manage", county)).toBe(true);
    expect(can(p, "user.manage", province)).toBe(false);
    expect(can(p, "user.manage", otherCity)).toBe(false);
    expect(can(p, "user.manage", lookalike)).toBe(false);
  });

  it("PROVINCE covers every department", () => {
    const p = principal(county, ["SUPERVISOR", "PROVINCE"]);
    for (const d of [province, city, county, otherCity]) expect(can(p, "supervision.read", d)).toBe(true);
  });

  it("never grants a permission the roles do not have, whatever the scope", () => {
    const p = principal(province, ["SUPERVISOR", "PROVINCE"]);
    expect(can(p, "licence.issue", province)).toBe(false);
    expect(can(p, "licence.issue")).toBe(false);
    expect(can(principal(province), "dept.read")).toBe(false);
  });

  it("without a target, only asks whether some role has the permission", () => {
    const p = principal(county, ["ISSUER_OPERATOR", "OWN"]);
    expect(can(p, "licence.issue")).toBe(true);
    expect(hasPermission(p, "licence.issue")).toBe(true);
    expect(hasPermission(p, "licence.use")).toBe(false);
  });

  it("keeps each role's scope to that role's permissions", () => {
    // A wide supervisor scope must not widen the same person's issuer role.
    const p = principal(city, ["ISSUER_OPERATOR", "OWN"], ["SUPERVISOR", "PROVINCE"]);
    expect(can(p, "supervision.read", otherCity)).toBe(true);
    expect(can(p, "licence.issue", otherCity)).toBe(false);
    expect(can(p, "licence.issue", city)).toBe(true);
  });

  it("takes the widest scope among roles that carry the permission", () => {
    // (Only the map is under test: the database refuses a user holding two of these roles.)
    const p = principal(city, ["SYSTEM_ADMIN", "SUBTREE"], ["SECURITY_ADMIN", "PROVINCE"]);
    expect(can(p, "dept.manage", otherCity)).toBe(false); // only SYSTEM_ADMIN manages, in its subtree
    expect(can(p, "dept.read", otherCity)).toBe(true); // SECURITY_ADMIN reads province-wide
  });
});

describe("requirePermission", () => {
  const p = principal(city, ["ISSUER_OPERATOR", "SUBTREE"]);

  it("passes in scope", () => {
    expect(() => requirePermission(p, "licence.issue", county)).not.toThrow();
    expect(() => requirePermission(p, "licence.issue")).not.toThrow();
  });

  it("refuses a missing permission with FORBIDDEN, before looking at the target", () => {
    for (const target of [undefined, county, otherCity]) {
      const e = thrown(() => requirePermission(p, "user.manage", target));
      expect(e.code).toBe("FORBIDDEN");
      expect(e.userMessage).toBe(t.errors.forbidden);
    }
  });

  it("answers a target outside the scope with NOT_FOUND, so it is not even confirmed to exist", () => {
    for (const target of [province, otherCity, lookalike]) {
      const e = thrown(() => requirePermission(p, "licence.issue", target));
      expect(e.code).toBe("NOT_FOUND");
      expect(e.userMessage).toBe(t.errors.notFound);
    }
  });

  it("refuses a principal without roles", () => {
    expect(thrown(() => requirePermission(principal(city), "dept.read")).code).toBe("FORBIDDEN");
  });
});

describe("departmentScope and departmentWhere", () => {
  it("is unrestricted (undefined / {}) for a province-wide role", () => {
    const p = principal(city, ["ISSUER_OPERATOR", "OWN"], ["SUPERVISOR", "PROVINCE"]);
    expect(departmentScope(p, "supervision.read")).toBeUndefined();
    expect(departmentWhere(p, "supervision.read")).toEqual({});
  });

  it("is the holder's path for SUBTREE", () => {
    const p = principal(city, ["SYSTEM_ADMIN", "SUBTREE"]);
    expect(departmentScope(p, "user.manage")).toEqual({ ids: [], paths: [city.path] });
    expect(departmentWhere(p, "user.manage")).toEqual({ OR: [{ id: { in: [] } }, { path: { startsWith: city.path } }] });
  });

  it("is the holder's department for OWN", () => {
    const p = principal(county, ["ISSUER_OPERATOR", "OWN"]);
    expect(departmentScope(p, "licence.issue")).toEqual({ ids: [county.id], paths: [] });
    expect(departmentWhere(p, "licence.issue")).toEqual({ OR: [{ id: { in: [county.id] } }] });
  });

  it("only counts roles that carry the permission", () => {
    const p = principal(city, ["ISSUER_OPERATOR", "OWN"], ["SUPERVISOR", "PROVINCE"]);
    expect(departmentScope(p, "licence.issue")).toEqual({ ids: [city.id], paths: [] });
  });

  it("matches nothing without the permission (an empty OR of an empty id list)", () => {
    const p = principal(city, ["ISSUER_OPERATOR", "PROVINCE"]);
    expect(departmentScope(p, "user.read")).toEqual({ ids: [], paths: [] });
    expect(departmentWhere(p, "user.read")).toEqual({ OR: [{ id: { in: [] } }] });
  });

  it("agrees with can() on every department of the tree", () => {
    const tree = [province, city, county, otherCity, lookalike];
    const principals = [
      principal(city, ["ISSUER_OPERATOR", "OWN"]),
      principal(city, ["ISSUER_OPERATOR", "SUBTREE"]),
      principal(county, ["ISSUER_OPERATOR", "PROVINCE"]),
      principal(city, ["ISSUER_OPERATOR", "OWN"], ["ISSUER_OPERATOR", "SUBTREE"]),
      principal(province, ["SUPERVISOR", "PROVINCE"]),
    ];
    for (const p of principals) {
      const s = departmentScope(p, "licence.issue");
      for (const d of tree) {
        const inFilter = s === undefined || s.ids.includes(d.id) || s.paths.some((x) => d.path.startsWith(x));
        expect(inFilter, `${JSON.stringify(p.roles)} on ${d.id}`).toBe(can(p, "licence.issue", d));
      }
    }
  });
});

describe("departmentWhereAny", () => {
  const p = (roles: ScopedRole[]) => ({ userId: "u", departmentId: "d", departmentPath: "/p/d/", roles });
  it("is null without any of the permissions, no filter when one is province-wide, else the union", () => {
    expect(departmentWhereAny(p([{ role: "ISSUER_OPERATOR", scope: "OWN" }]), ["seal.apply"])).toBeNull();
    expect(departmentWhereAny(p([{ role: "SUPERVISOR", scope: "PROVINCE" }, { role: "SEAL_APPLICANT", scope: "OWN" }]), ["seal.apply", "supervision.read"])).toEqual({});
    expect(departmentWhereAny(p([{ role: "SEAL_APPLICANT", scope: "OWN" }, { role: "SUPERVISOR", scope: "SUBTREE" }]), ["seal.apply", "supervision.read"])).toEqual({
      OR: [{ OR: [{ id: { in: ["d"] } }] }, { OR: [{ id: { in: [] } }, { path: { startsWith: "/p/d/" } }] }],
    });
  });
});
