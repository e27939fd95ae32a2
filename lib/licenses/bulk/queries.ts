// Reads of the bulk-conversion page and its routes (L-09), all within the actor's licence.issue
// department scope; an import outside it reads as "not found". Never the file itself, never a
// full holder code.
import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { departmentWhere, requirePermission } from "@/lib/auth/permissions";
import type { Paged, PageQuery } from "@/lib/pagination";
import { issuableTypes } from "@/lib/licenses/issue-queries";
import { loadIssueContext } from "@/lib/licenses/service";
import { templateWorkbook } from "@/lib/licenses/bulk/report";
import type { ImportStatus } from "@/lib/licenses/bulk/schema";
import type { PreviewProblem, RowFailure } from "@/lib/licenses/bulk/service";

export type ImportRow = {
  id: string;
  createdAt: string;
  typeName: string;
  fileName: string;
  format: string;
  status: ImportStatus;
  totalRows: number;
  validRows: number;
  existingRows: number;
  rejectedRows: number;
  cursor: number;
  createdCount: number;
  skippedCount: number;
  failedCount: number;
  createdBy: string;
};

export type ImportProgress = {
  id: string;
  status: ImportStatus;
  totalRows: number;
  cursor: number;
  createdCount: number;
  skippedCount: number;
  failedCount: number;
  /** data rows per second of the current run (null before it has a rate) */
  rate: number | null;
  /** seconds left at that rate */
  etaSeconds: number | null;
  error: string | null;
};

export type ImportView = ImportRow & {
  businessCompletedAt: string | null;
  fileSm3: string;
  hasReport: boolean;
  problems: PreviewProblem[];
  failures: RowFailure[];
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  progress: ImportProgress;
};

const scoped = (actor: Actor) => {
  requirePermission(actor, "licence.issue");
  return { dept: departmentWhere(actor, "licence.issue") };
};

const ROW_SELECT = {
  id: true,
  createdAt: true,
  fileName: true,
  format: true,
  status: true,
  totalRows: true,
  validRows: true,
  existingRows: true,
  rejectedRows: true,
  cursor: true,
  createdCount: true,
  skippedCount: true,
  failedCount: true,
  createdById: true,
  type: { select: { name: true } },
} as const;

async function userNames(ids: string[]): Promise<Map<string, string>> {
  const users = await db().user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

type RowData = { id: string; createdAt: Date; fileName: string; format: string; status: string; totalRows: number; validRows: number; existingRows: number; rejectedRows: number; cursor: number; createdCount: number; skippedCount: number; failedCount: number; createdById: string; type: { name: string } };

function toRow(r: RowData, names: Map<string, string>): ImportRow {
  return {
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    typeName: r.type.name,
    fileName: r.fileName,
    format: r.format,
    status: r.status as ImportStatus,
    totalRows: r.totalRows,
    validRows: r.validRows,
    existingRows: r.existingRows,
    rejectedRows: r.rejectedRows,
    cursor: r.cursor,
    createdCount: r.createdCount,
    skippedCount: r.skippedCount,
    failedCount: r.failedCount,
    createdBy: names.get(r.createdById) ?? "-",
  };
}

/** The department's imports, newest first. */
export async function listImports(actor: Actor, q: Pick<PageQuery, "page" | "pageSize">): Promise<Paged<ImportRow>> {
  const where = scoped(actor);
  const [total, rows] = await Promise.all([
    db().licenceImport.count({ where }),
    db().licenceImport.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize, select: ROW_SELECT }),
  ]);
  const names = await userNames(rows.map((r) => r.createdById));
  return { rows: rows.map((r) => toRow(r, names)), total, page: q.page, pageSize: q.pageSize };
}

function progressOf(r: { id: string; status: string; totalRows: number; cursor: number; createdCount: number; skippedCount: number; failedCount: number; runStartedAt: Date | null; runStartCursor: number; heartbeatAt: Date | null; error: string | null }, now: Date): ImportProgress {
  let rate: number | null = null;
  let eta: number | null = null;
  if (r.status === "RUNNING" && r.runStartedAt) {
    const done = r.cursor - r.runStartCursor;
    const seconds = ((r.heartbeatAt ?? now).getTime() - r.runStartedAt.getTime()) / 1000;
    if (done > 0 && seconds > 0) {
      rate = done / seconds;
      eta = Math.max(0, Math.round((r.totalRows - r.cursor) / rate));
    }
  }
  return { id: r.id, status: r.status as ImportStatus, totalRows: r.totalRows, cursor: r.cursor, createdCount: r.createdCount, skippedCount: r.skippedCount, failedCount: r.failedCount, rate: rate === null ? null : Math.round(rate * 10) / 10, etaSeconds: eta, error: r.error };
}

const PROGRESS_SELECT = { id: true, status: true, totalRows: true, cursor: true, createdCount: true, skippedCount: true, failedCount: true, runStartedAt: true, runStartCursor: true, heartbeatAt: true, error: true } as const;

/** What the progress bar polls (GET, reads only). */
export async function importProgress(actor: Actor, importId: string, now = new Date()): Promise<ImportProgress> {
  const r = await db().licenceImport.findFirst({ where: { id: importId, ...scoped(actor) }, select: PROGRESS_SELECT });
  if (!r) throw new AppError("NOT_FOUND", "导入记录不存在");
  return progressOf(r, now);
}

export async function importView(actor: Actor, importId: string, now = new Date()): Promise<ImportView> {
  const r = await db().licenceImport.findFirst({
    where: { id: importId, ...scoped(actor) },
    select: { ...ROW_SELECT, ...PROGRESS_SELECT, businessCompletedAt: true, fileSm3: true, problemPreview: true, runFailures: true, startedAt: true, finishedAt: true, report: false },
  });
  if (!r) throw new AppError("NOT_FOUND", "导入记录不存在");
  const hasReport = (await db().licenceImport.count({ where: { id: importId, report: { not: null } } })) === 1;
  const names = await userNames([r.createdById]);
  return {
    ...toRow(r, names),
    businessCompletedAt: r.businessCompletedAt?.toISOString() ?? null,
    fileSm3: r.fileSm3,
    hasReport,
    problems: Array.isArray(r.problemPreview) ? (r.problemPreview as PreviewProblem[]) : [],
    failures: Array.isArray(r.runFailures) ? (r.runFailures as RowFailure[]) : [],
    error: r.error,
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    progress: progressOf(r, now),
  };
}

/** The rejected-rows report of the dry run (XLSX), or "not found" when the dry run rejected nothing. */
export async function importReport(actor: Actor, importId: string): Promise<{ fileName: string; typeName: string; bytes: Uint8Array }> {
  const r = await db().licenceImport.findFirst({ where: { id: importId, ...scoped(actor) }, select: { fileName: true, report: true, type: { select: { name: true } } } });
  if (!r || !r.report) throw new AppError("NOT_FOUND", "没有被拒绝的行");
  return { fileName: r.fileName, typeName: r.type.name, bytes: r.report };
}

/** Types the department may import now (released, on its issuance list): id, name and code only. */
export async function importableTypes(actor: Actor): Promise<{ id: string; name: string; typeCode: string; hasSeal: boolean }[]> {
  return (await issuableTypes(actor)).map((t) => ({ id: t.id, name: t.name, typeCode: t.typeCode, hasSeal: t.hasSeal }));
}

/** The import template of a type the department may issue. */
export async function importTemplate(actor: Actor, typeId: string, now = new Date()): Promise<{ name: string; bytes: Uint8Array }> {
  requirePermission(actor, "licence.issue", { id: actor.departmentId, path: actor.departmentPath });
  const ctx = await loadIssueContext(db(), actor.departmentId, typeId, now).catch((e: unknown) => {
    // not on the list or not released: the template is not there for this department
    if (e instanceof AppError) throw new AppError("NOT_FOUND", e.userMessage);
    throw e;
  });
  return { name: ctx.type.name, bytes: await templateWorkbook({ name: ctx.type.name, fields: ctx.fields, matters: ctx.version.matters }, now) };
}
