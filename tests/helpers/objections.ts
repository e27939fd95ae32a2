// Shared setup of the objection integration tests (O-01 … O-06): the licence world of
// tests/helpers/licences.ts (its province is the provincial management department, its
// supervisor routes and supervises), the type on the use list of the world's using department
// (same region as the issuer, 510100) and of a using department in another city (510700, so its
// objections are cross-region), the official holiday calendar seeded from chinese-days, and
// small readers of the rows a test asserts.
import { expect } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { saveUseEntry } from "@/lib/catalog/lists";
import { seedHolidays } from "@/lib/calendar/seed";
import { submitByDept, submitByHolder } from "@/lib/objections/service";
import type { DeptObjectionFormInput, HolderObjectionFormInput } from "@/lib/objections/schema";
import { createDepartment, testIp, uniqueSuffix } from "@/tests/helpers/factory";
import { makeActor } from "@/tests/helpers/catalog";
import { holderUscc, issue, makeLicenceWorld, type LicenceWorld } from "@/tests/helpers/licences";

export type ObjectionWorld = Awaited<ReturnType<typeof makeObjectionWorld>>;

export async function makeObjectionWorld() {
  await seedHolidays(db());
  const w: LicenceWorld = await makeLicenceWorld();
  const farUsing = await createDepartment({ parent: w.province, level: "CITY", area: "510700", parts: { isUsing: true }, name: `绵阳市测试税务局-${uniqueSuffix()}` });
  const farUser = await makeActor(farUsing, [{ role: "USING_OPERATOR", scope: "OWN" }], "外市用证员");
  const user2 = await makeActor(w.using, [{ role: "USING_OPERATOR", scope: "OWN" }], "用证员乙");
  // an issuing department's own using operator (it may not object to its own licences)
  const issuerUser = await makeActor(w.issuing, [{ role: "USING_OPERATOR", scope: "OWN" }], "发证部门用证员");
  await db().department.update({ where: { id: w.issuing.id }, data: { isUsing: true } });
  for (const deptId of [w.using.id, farUsing.id, w.issuing.id])
    await saveUseEntry(w.reviewer, { id: null, rev: 0, deptId, typeId: w.type.id, matterCode: "", matterName: "", scenarios: ["VERIFY"], basis: "FUNCTION", validFrom: "2026-01-01", validTo: "" });
  return { ...w, farUsing, farUser, user2, issuerUser };
}

/** A licence of the world for a fresh enterprise holder; returns its id, identifier and holder code. */
export async function licenceFor(w: ObjectionWorld) {
  const code = holderUscc();
  const r = await issue(w, { holder: { category: "LEGAL_PERSON", codeType: "001", code, name: `成都异议测试商贸有限公司${uniqueSuffix()}`, contact: "13812345678" } });
  return { ...r, code };
}

/** A small PDF (the magic bytes are what the check looks at). */
export function pdf(name = "证明材料.pdf"): File {
  return new File([Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`)], name, { type: "application/pdf" });
}

export function deptInput(licenceId: string, over: Partial<DeptObjectionFormInput> = {}): DeptObjectionFormInput {
  return { licenceId, fields: [{ key: "address", expected: "四川省成都市锦江区红星路三段2号" }], description: "经营场所门牌号有误，应为2号", ...over };
}

export function holderInput(identifier: string, holderCode: string, over: Partial<HolderObjectionFormInput> = {}): HolderObjectionFormInput {
  return { identifier, holderCode, applicantName: "王小明", contact: "13900001111", fields: [{ key: "format", expected: "餐饮" }], description: "经营业态登记错误，应为餐饮", ...over };
}

export async function raiseByDept(actor: Actor, licenceId: string, opts: { now?: Date; over?: Partial<DeptObjectionFormInput>; files?: File[] } = {}) {
  // the service parses its input again, so the form's input type is what a test passes
  return submitByDept(actor, deptInput(licenceId, opts.over), opts.files ?? [], { now: opts.now });
}

export async function raiseByHolder(identifier: string, code: string, opts: { now?: Date; over?: Partial<HolderObjectionFormInput>; files?: File[]; ip?: string } = {}) {
  return submitByHolder(holderInput(identifier, code, opts.over), opts.files ?? [], { ip: opts.ip ?? testIp(), userAgent: "vitest" }, { now: opts.now });
}

export async function objectionRow(id: string) {
  return db().objection.findUniqueOrThrow({ where: { id } });
}

export async function objectionByNumber(number: string) {
  return db().objection.findUniqueOrThrow({ where: { number } });
}

export async function objectionEvents(id: string) {
  return db().objectionEvent.findMany({ where: { objectionId: id }, orderBy: { id: "asc" } });
}

export async function objectionAudit(id: string, action?: string) {
  return db().auditEvent.findMany({ where: { targetType: "Objection", targetId: id, ...(action ? { action } : {}) }, orderBy: { seq: "asc" } });
}

export async function notificationsTo(userId: string, kind?: string) {
  return db().notification.findMany({ where: { userId, ...(kind ? { kind } : {}) }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export async function openCount(licenceId: string) {
  return (await db().licence.findUniqueOrThrow({ where: { id: licenceId }, select: { openObjections: true } })).openObjections;
}

/** The AppError a promise rejects with (fails the test when it resolves). */
export async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** An instant given in Asia/Shanghai local time ("2026-02-14T10:00"). */
export const shanghai = (local: string) => new Date(`${local}:00+08:00`);
