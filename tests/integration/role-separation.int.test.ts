// 三员分立 (P-04) in the database: the trigger in the foundation migration refuses a second of
// SYSTEM_ADMIN / SECURITY_ADMIN / AUDIT_ADMIN for one user, whatever path the row comes from.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ADMIN_TRIAD, type RoleName } from "@/lib/auth/permissions";
import { createUser } from "../helpers/factory";
import { databaseUrl, pgError, withClient } from "../helpers/db";

const insertRole = (userId: string, role: RoleName, scope = "PROVINCE") =>
  withClient(databaseUrl(), (c) =>
    c.query(`INSERT INTO "UserRole" (id, "userId", role, scope) VALUES ($1, $2, $3, $4)`, [randomUUID(), userId, role, scope]),
  );

const rolesOf = async (userId: string) =>
  (await db().userRole.findMany({ where: { userId }, select: { role: true } })).map((r) => r.role).sort();

describe("三员分立 trigger on UserRole", () => {
  const pairs = ADMIN_TRIAD.flatMap((a) => ADMIN_TRIAD.filter((b) => b !== a).map((b) => [a, b] as const));

  it.each(pairs)("refuses %s plus %s for one user (plain SQL)", async (first, second) => {
    const u = await createUser({ roles: [first] });
    const e = await pgError(() => insertRole(u.id, second));
    expect(e.code).toBe("23514"); // check_violation
    expect(e.message).toContain("separation of duties");
    expect(await rolesOf(u.id)).toEqual([first]);
  });

  it("refuses it through Prisma too, in a nested create", async () => {
    const u = await createUser({ roles: ["SECURITY_ADMIN"] });
    await expect(
      db().userRole.create({ data: { userId: u.id, role: "AUDIT_ADMIN", scope: "PROVINCE" } }),
    ).rejects.toThrow(/separation of duties/);
    await expect(createUser({ roles: ["SYSTEM_ADMIN", "AUDIT_ADMIN"] })).rejects.toThrow(/separation of duties/);
    expect(await rolesOf(u.id)).toEqual(["SECURITY_ADMIN"]);
  });

  it("refuses turning another role into a second administrator role (UPDATE)", async () => {
    const u = await createUser({ roles: ["SYSTEM_ADMIN", "SUPERVISOR"] });
    const e = await pgError(() =>
      withClient(databaseUrl(), (c) =>
        c.query(`UPDATE "UserRole" SET role = 'AUDIT_ADMIN' WHERE "userId" = $1 AND role = 'SUPERVISOR'`, [u.id]),
      ),
    );
    expect(e.code).toBe("23514");
    expect(await rolesOf(u.id)).toEqual(["SUPERVISOR", "SYSTEM_ADMIN"]);
  });

  it("allows one administrator role with business roles, and each administrator role for different users", async () => {
    const a = await createUser({ roles: ["SYSTEM_ADMIN", "SUPERVISOR", "CATALOG_ADMIN"] });
    expect(await rolesOf(a.id)).toEqual(["CATALOG_ADMIN", "SUPERVISOR", "SYSTEM_ADMIN"]);
    for (const role of ADMIN_TRIAD) {
      const u = await createUser({ roles: [role] });
      expect(await rolesOf(u.id)).toEqual([role]);
    }
  });

  it("allows changing the scope of the same administrator role (UPDATE of the row itself)", async () => {
    const u = await createUser({ roles: [{ role: "AUDIT_ADMIN", scope: "SUBTREE" }] });
    await db().userRole.updateMany({ where: { userId: u.id, role: "AUDIT_ADMIN" }, data: { scope: "PROVINCE" } });
    expect((await db().userRole.findFirstOrThrow({ where: { userId: u.id } })).scope).toBe("PROVINCE");
  });

  it("refuses the same role twice for one user (unique userId, role)", async () => {
    const u = await createUser({ roles: ["SEAL_APPROVER"] });
    const e = await pgError(() => insertRole(u.id, "SEAL_APPROVER", "OWN"));
    expect(e.code).toBe("23505"); // unique_violation
  });
});
