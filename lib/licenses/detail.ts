// The licence detail page's reader (L-08, U-02): loaded through the viewer's scope — issuer
// operators of the current or the original issuing department, supervisors over the current one;
// anyone else gets "not found". Returns a DTO: the holder code masked, sensitive face values
// masked, the timeline, the version chain, pledges, and what this viewer may do now.
import "server-only";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { printedQrUrl } from "@/lib/licenses/qr";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { HOLDER_CATEGORY_LABELS, HOLDER_CODE_TYPE_LABELS } from "@/lib/catalog/dictionaries";
import { faceFieldList, maskValue, type FaceFieldDef } from "@/lib/catalog/face-fields";
import { maskHolderCode } from "@/lib/licenses/holder-code";
import { hiddenFaceKeys } from "@/lib/licenses/lifecycle";
import { validityLabel, validityRuleSchema } from "@/lib/catalog/validity";
import {
  CHANGE_FROM,
  EVENT_KIND_LABELS,
  FINAL_STATUSES,
  PLEDGE_FROM,
  reasonLabel,
  RENEW_FROM,
  renewalBlock,
  TRANSITION_NAMES,
  TRANSITIONS,
  transitionAllowed,
  type LicenceStatusName,
  type Reason,
  type TransitionName,
} from "@/lib/licenses/lifecycle-schema";

const NOT_FOUND = "证照不存在或不在您的管辖范围内";
const ymd = (d: Date) => d.toISOString().slice(0, 10);

export type FaceLine = { key: string; label: string; value: string; sensitive: boolean; image: boolean };
export type TimelineEntry = { id: string; kind: string; label: string; fromStatus: string | null; toStatus: string | null; reason: string; text: string; note: string; actorName: string; deptName: string; at: string };
export type ChainEntry = { id: string; identifier: string; version: number; status: string; origin: string; issuedAt: string; current: boolean };
export type PledgeView = { id: string; pledgee: string; startsOn: string; endsOn: string; note: string; createdAt: string; releasedAt: string | null; active: boolean };
export type LifecycleOptions = {
  transitions: { name: TransitionName; label: string; reasons: Reason[] }[];
  pledge: boolean;
  releasePledgeId: string | null;
  change: boolean;
  renew: boolean;
  reseal: boolean;
};

export type LicenceDetail = {
  id: string;
  rev: number;
  identifier: string;
  licenceNumber: string;
  name: string;
  typeId: string;
  typeCode: string;
  typeVersion: number;
  version: number;
  status: LicenceStatusName;
  statusReason: string;
  /** the emergency incident this licence was completed under (L-12) */
  incident: { title: string; completeDueAt: string | null } | null;
  statusChangedAt: string | null;
  restricted: boolean;
  origin: string;
  issuer: string;
  originalIssuer: string | null;
  issuerCode: string;
  areaCode: string;
  holder: { name: string; category: string; codeType: string; codeMasked: string; contactMasked: string | null };
  matter: string | null;
  issuedAt: string;
  validFrom: string;
  validTo: string | null;
  validity: string;
  businessCompletedAt: string;
  syncMode: string;
  syncedAt: string;
  syncDelayDays: number;
  seal: { name: string; esId: string | null; ownDept: boolean } | null;
  signedAt: string | null;
  canonicalSm3: string;
  /** 核验码 printed on the file (with the identifier it opens /verify/licence) */
  verifyCode: string;
  /** the printed QR code's verification URL (revocable by moving the epoch) */
  printedUrl: string;
  face: FaceLine[];
  timeline: TimelineEntry[];
  chain: ChainEntry[];
  pledges: PledgeView[];
  /** issuer operator of the current issuing department: the lifecycle buttons */
  asIssuer: boolean;
  /** files and 亮证 (the download routes allow the current department's issuers and supervisors) */
  mayDownload: boolean;
  can: LifecycleOptions;
  /** marked, unresolved objections (O-02): > 0 shows 异议中 */
  openObjections: number;
};

type Dept = { id: string; path: string; name: string };

function viewerRole(actor: Actor, issuer: Dept, original: Dept): { current: boolean; supervisor: boolean; any: boolean } {
  const current = can(actor, "licence.issue", issuer);
  const supervisor = can(actor, "supervision.read", issuer);
  return { current, supervisor, any: current || supervisor || can(actor, "licence.issue", original) };
}

function eventNote(kind: string, data: unknown): string {
  const d = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof d[k] === "string" ? (d[k]) : "");
  switch (kind) {
    case "PLEDGE":
      return `质权人：${s("pledgee")}，期限 ${s("startsOn")} 至 ${s("endsOn")}`;
    case "RELEASE_PLEDGE":
      return `质权人：${s("pledgee")}`;
    case "TRANSFER":
      return `由「${s("from")}」划转至「${s("to")}」${s("reason") ? `（${s("reason")}）` : ""}`;
    case "RESEAL":
      return `以「${s("seal")}」重新签章`;
    case "QR_REVOKE":
      return "此前打印或下载的证照文件上的二维码不再有效，请重新下载证照文件";
    case "CHANGE":
    case "RENEW":
      return s("predecessor") ? `原证照 ${s("predecessor")}` : "";
    case "ANNUL":
      return s("successor") ? `新版本 ${s("successor")}` : "";
    case "EXPIRE":
      return s("validTo") ? `有效期至 ${s("validTo")}` : "";
    default:
      return "";
  }
}

/** All ancestors (through predecessorId) and all successors of a licence, oldest first. */
async function versionChain(id: string, predecessorId: string | null): Promise<ChainEntry[]> {
  const select = { id: true, identifier: true, version: true, status: true, origin: true, issuedAt: true, predecessorId: true } as const;
  type Row = { id: string; identifier: string; version: number; status: string; origin: string; issuedAt: Date; predecessorId: string | null };
  const rows = new Map<string, Row>();
  let up = predecessorId;
  for (let i = 0; up && i < 999 && !rows.has(up); i++) {
    const r: Row | null = await db().licence.findUnique({ where: { id: up }, select });
    if (!r) break;
    rows.set(r.id, r);
    up = r.predecessorId;
  }
  let frontier = [id];
  for (let i = 0; frontier.length && i < 999; i++) {
    const next: Row[] = await db().licence.findMany({ where: { predecessorId: { in: frontier } }, select });
    frontier = next.filter((r) => !rows.has(r.id) && r.id !== id).map((r) => r.id);
    for (const r of next) rows.set(r.id, r);
  }
  const self = await db().licence.findUniqueOrThrow({ where: { id }, select });
  rows.set(self.id, self);
  return [...rows.values()]
    .sort((a, b) => a.version - b.version || a.issuedAt.getTime() - b.issuedAt.getTime())
    .map((r) => ({ id: r.id, identifier: r.identifier, version: r.version, status: r.status, origin: r.origin, issuedAt: r.issuedAt.toISOString(), current: r.id === id }));
}

export async function licenceDetail(actor: Actor, id: string): Promise<LicenceDetail> {
  const l = await db().licence.findUnique({
    where: { id },
    include: {
      issuerDept: { select: { id: true, path: true, name: true } },
      originalIssuerDept: { select: { id: true, path: true, name: true } },
      holder: { select: { category: true, codeType: true, codeMasked: true, contactMasked: true } },
      typeVersion: { select: { number: true, faceFields: true, validity: true } },
      seal: { select: { name: true, esId: true, holderDeptId: true } },
      incident: { select: { title: true, completeDueAt: true } },
      restrictions: { orderBy: { createdAt: "desc" } },
      events: { orderBy: [{ at: "asc" }, { id: "asc" }] },
    },
  });
  if (!l) throw new AppError("NOT_FOUND", NOT_FOUND);
  const role = viewerRole(actor, l.issuerDept, l.originalIssuerDept);
  if (!role.any) throw new AppError("NOT_FOUND", NOT_FOUND);

  const fields: FaceFieldDef[] = faceFieldList.safeParse(l.typeVersion.faceFields).data ?? [];
  const face = (l.face ?? {}) as Record<string, unknown>;
  const hidden = hiddenFaceKeys(fields, face, l.holderCodeHash);
  const deptIds = [...new Set(l.events.map((e) => e.deptId).filter((x): x is string => !!x))];
  const depts = new Map((await db().department.findMany({ where: { id: { in: deptIds } }, select: { id: true, name: true } })).map((d) => [d.id, d.name]));
  const active = l.restrictions.find((r) => !r.releasedAt) ?? null;
  const status = l.status;
  const live = !(FINAL_STATUSES as readonly string[]).includes(status);
  const ownSeal = !!l.seal && l.seal.holderDeptId === l.issuerDeptId;
  const validity = validityRuleSchema.safeParse(l.typeVersion.validity);

  const options: LifecycleOptions = role.current
    ? {
        transitions: TRANSITION_NAMES.filter((n) => transitionAllowed(n, status)).map((n) => ({ name: n, label: TRANSITIONS[n].label, reasons: [...TRANSITIONS[n].reasons] })),
        pledge: PLEDGE_FROM.includes(status) && !l.restricted,
        releasePledgeId: active?.id ?? null,
        change: CHANGE_FROM.includes(status) && !l.restricted,
        renew: RENEW_FROM.includes(status) && !l.restricted && !renewalBlock(l.validTo ? l.validTo.toISOString().slice(0, 10) : null, shanghaiDate(new Date())),
        reseal: live && !ownSeal,
      }
    : { transitions: [], pledge: false, releasePledgeId: null, change: false, renew: false, reseal: false };

  return {
    id: l.id,
    rev: l.rev,
    identifier: l.identifier,
    licenceNumber: l.licenceNumber,
    name: l.name,
    typeId: l.typeId,
    typeCode: l.typeCode,
    typeVersion: l.typeVersion.number,
    version: l.version,
    status,
    statusReason: (() => {
      // the reason's label, and the operator's own words from the transition that set the status
      const last = [...l.events].reverse().find((e) => e.toStatus === l.status && e.reasonCode === l.statusReason);
      const label = reasonLabel(l.statusReason);
      return last?.reasonText ? (label && label !== "其他" ? `${label}（${last.reasonText}）` : last.reasonText) : label;
    })(),
    incident: l.incident ? { title: l.incident.title, completeDueAt: l.incident.completeDueAt?.toISOString() ?? null } : null,
    statusChangedAt: l.statusChangedAt?.toISOString() ?? null,
    restricted: l.restricted,
    origin: l.origin,
    issuer: l.issuerDept.name,
    originalIssuer: l.originalIssuerDeptId !== l.issuerDeptId ? l.originalIssuerDept.name : null,
    issuerCode: l.issuerCode,
    areaCode: l.areaCode,
    holder: {
      name: l.holderName,
      category: HOLDER_CATEGORY_LABELS[l.holder.category as keyof typeof HOLDER_CATEGORY_LABELS] ?? l.holder.category,
      codeType: HOLDER_CODE_TYPE_LABELS[l.holderCodeType as keyof typeof HOLDER_CODE_TYPE_LABELS] ?? l.holderCodeType,
      codeMasked: l.holder.codeMasked,
      contactMasked: l.holder.contactMasked,
    },
    matter: l.matterName ? `${l.matterName}${l.matterCode ? `（${l.matterCode}）` : ""}` : null,
    issuedAt: l.issuedAt.toISOString(),
    validFrom: ymd(l.validFrom),
    validTo: l.validTo ? ymd(l.validTo) : null,
    validity: validity.success ? validityLabel(validity.data) : "",
    businessCompletedAt: l.businessCompletedAt.toISOString(),
    syncMode: l.syncMode,
    syncedAt: l.syncedAt.toISOString(),
    syncDelayDays: l.syncDelayDays,
    seal: l.seal ? { name: l.seal.name, esId: l.seal.esId, ownDept: ownSeal } : null,
    signedAt: l.signedAt?.toISOString() ?? null,
    canonicalSm3: l.canonicalSm3,
    verifyCode: l.verifyCode,
    printedUrl: printedQrUrl(l.id, l.qrEpoch),
    face: fields.map((f) => {
      const v = hidden.has(f.key) && !f.sensitive ? maskHolderCode(String(face[f.key])) : maskValue(f, face[f.key]);
      return { key: f.key, label: f.label, value: v ?? (face[f.key] ? "（图片）" : ""), sensitive: f.sensitive, image: f.type === "IMAGE" };
    }),
    timeline: l.events.map((e) => ({
      id: e.id.toString(),
      kind: e.kind,
      label: EVENT_KIND_LABELS[e.kind] ?? e.kind,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      reason: reasonLabel(e.reasonCode),
      text: e.reasonText ?? (typeof (e.data as Record<string, unknown> | null)?.reasonText === "string" ? ((e.data as Record<string, string>).reasonText) : ""),
      note: eventNote(e.kind, e.data),
      actorName: e.actorName,
      deptName: e.deptId ? (depts.get(e.deptId) ?? "") : "",
      at: e.at.toISOString(),
    })),
    chain: await versionChain(l.id, l.predecessorId),
    pledges: l.restrictions.map((r) => ({
      id: r.id,
      pledgee: r.pledgee,
      startsOn: ymd(r.startsOn),
      endsOn: ymd(r.endsOn),
      note: r.note ?? "",
      createdAt: r.createdAt.toISOString(),
      releasedAt: r.releasedAt?.toISOString() ?? null,
      active: !r.releasedAt,
    })),
    asIssuer: role.current,
    mayDownload: role.current || role.supervisor,
    can: options,
    openObjections: l.openObjections,
  };
}

export type ChangeFormData = {
  licenceId: string;
  rev: number;
  identifier: string;
  name: string;
  version: number;
  holderName: string;
  holderCodeMasked: string;
  validFrom: string;
  validTo: string | null;
  typeVersion: number;
  /** the released version's fields; a hidden one already filled is optional here (blank = unchanged) */
  fields: FaceFieldDef[];
  /** face values for the form: sensitive values and the holder's own code are never included */
  face: Record<string, unknown>;
  /** hidden fields that have a value now (the form says "blank keeps it") */
  keptSensitive: string[];
};

/** A licence's id by its identifier (the using departments' objection form starts from the identifier). */
export async function licenceIdByIdentifier(identifier: string): Promise<string | null> {
  const id = identifier.trim();
  if (!id || id.length > 100) return null;
  return (await db().licence.findUnique({ where: { identifier: id }, select: { id: true } }))?.id ?? null;
}

/** What the change form (变更) needs, for an issuer operator of the current issuing department. */
export async function changeFormData(actor: Actor, id: string): Promise<ChangeFormData> {
  const l = await db().licence.findUnique({ where: { id }, include: { issuerDept: { select: { id: true, path: true, name: true } }, holder: { select: { codeMasked: true } } } });
  if (!l || !can(actor, "licence.issue", l.issuerDept)) throw new AppError("NOT_FOUND", NOT_FOUND);
  if (!CHANGE_FROM.includes(l.status) || l.restricted)
    throw new AppError("CONFLICT", l.restricted ? "质押中的证照不能变更，请先解除质押" : "只有有效的证照可以变更");
  const type = await db().licenceType.findUniqueOrThrow({ where: { id: l.typeId }, select: { releasedVersion: true, retiredAt: true, name: true } });
  if (!type.releasedVersion || type.retiredAt) throw new AppError("CONFLICT", `「${type.name}」没有已发布的版本，不能变更`);
  const v = await db().licenceTypeVersion.findUniqueOrThrow({ where: { typeId_number: { typeId: l.typeId, number: type.releasedVersion } }, select: { number: true, faceFields: true } });
  const fields = faceFieldList.parse(v.faceFields);
  const old = (l.face ?? {}) as Record<string, unknown>;
  const filled = (x: unknown) => x !== undefined && x !== null && x !== "";
  const hidden = hiddenFaceKeys(fields, old, l.holderCodeHash);
  const keptSensitive = fields.filter((f) => hidden.has(f.key) && filled(old[f.key])).map((f) => f.key);
  const face: Record<string, unknown> = {};
  for (const f of fields) {
    const cur = hidden.has(f.key) ? undefined : old[f.key];
    if (f.type === "DATE_RANGE") {
      const r = (cur && typeof cur === "object" ? cur : {}) as { from?: string; to?: string };
      face[f.key] = { from: r.from ?? "", to: r.to ?? "" };
    } else face[f.key] = typeof cur === "string" || typeof cur === "number" ? String(cur) : "";
  }
  return {
    licenceId: l.id,
    rev: l.rev,
    identifier: l.identifier,
    name: l.name,
    version: l.version,
    holderName: l.holderName,
    holderCodeMasked: l.holder.codeMasked,
    validFrom: ymd(l.validFrom),
    validTo: l.validTo ? ymd(l.validTo) : null,
    typeVersion: v.number,
    fields: fields.map((f) => (keptSensitive.includes(f.key) ? { ...f, required: false } : f)),
    face,
    keptSensitive,
  };
}
