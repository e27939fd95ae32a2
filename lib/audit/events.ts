// Typed audit events: a zod discriminated union on `action`.
import { z } from "zod";
import { canonicalJson } from "@/lib/audit/canonical";

const changes = z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }));

export const auditDetail = z.discriminatedUnion("action", [
  z.object({ action: z.literal("auth.login"), username: z.string(), sessionId: z.string() }),
  z.object({ action: z.literal("auth.login_failed"), username: z.string(), reason: z.string() }),
  z.object({ action: z.literal("auth.lockout"), key: z.string(), until: z.string() }),
  z.object({ action: z.literal("auth.unlock"), username: z.string() }),
  z.object({ action: z.literal("auth.logout"), sessionId: z.string() }),
  z.object({ action: z.literal("session.end"), sessionId: z.string(), userId: z.string(), reason: z.string() }),
  z.object({ action: z.literal("dept.create"), name: z.string(), uscc: z.string(), parentId: z.string().nullable() }),
  z.object({ action: z.literal("dept.update"), changes }),
  z.object({ action: z.literal("dept.move"), from: z.string().nullable(), to: z.string() }),
  z.object({ action: z.literal("dept.status"), status: z.enum(["ACTIVE", "DISABLED"]) }),
  z.object({ action: z.literal("user.create"), username: z.string(), departmentId: z.string() }),
  z.object({ action: z.literal("user.update"), changes }),
  z.object({ action: z.literal("user.status"), status: z.enum(["ACTIVE", "DISABLED"]), sessionsEnded: z.number() }),
  z.object({ action: z.literal("user.password_reset"), sessionsEnded: z.number() }),
  z.object({ action: z.literal("user.password_change"), sessionsEnded: z.number() }),
  z.object({ action: z.literal("role.grant"), userId: z.string(), role: z.string(), scope: z.string() }),
  z.object({ action: z.literal("role.revoke"), userId: z.string(), role: z.string() }),
  z.object({ action: z.literal("policy.update"), changes }),
  z.object({ action: z.literal("audit.verify"), ok: z.boolean(), checked: z.number(), firstBroken: z.string().nullable() }),
  z.object({ action: z.literal("system.seed"), created: z.number() }),
  z.object({ action: z.literal("seal.apply"), name: z.string(), kind: z.string(), materials: z.array(z.string()) }),
  z
    .object({ action: z.literal("seal.transition"), transition: z.string(), from: z.string(), to: z.string(), reason: z.string().nullable() })
    .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("seal.protection"), change: z.enum(["CHANGE", "RESET"]) }),
  z.object({ action: z.literal("seal.imprint"), sm3: z.string(), widthMm: z.number(), heightMm: z.number() }),
  z.object({ action: z.literal("seal.custodians"), administratorId: z.string().nullable(), custodians: z.array(z.string()), previous: z.array(z.string()) }),
  z.object({ action: z.literal("seal.filing"), result: z.enum(["FILED", "FAILED"]), attempt: z.number(), filingNumber: z.string().nullable(), error: z.string().nullable() }),
  z.object({ action: z.literal("seal_use.flow"), scopeKey: z.string(), version: z.number(), steps: z.array(z.string()) }),
  z.object({ action: z.literal("seal_use.create"), number: z.string(), sealId: z.string(), count: z.number(), documents: z.array(z.string()) }),
  z.object({ action: z.literal("seal_use.update"), changes, added: z.array(z.string()), removed: z.array(z.string()) }),
  z
    .object({ action: z.literal("seal_use.transition"), transition: z.string(), from: z.string(), to: z.string(), round: z.number(), comment: z.string().nullable() })
    .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("seal_use.decision"), stepId: z.string(), step: z.string(), decision: z.enum(["APPROVED", "REJECTED"]), comment: z.string().nullable() }),
  z.object({ action: z.literal("seal_use.transfer"), stepId: z.string(), step: z.string(), toUserId: z.string(), comment: z.string() }),
  z.object({ action: z.literal("seal_use.add_approver"), stepId: z.string(), step: z.string(), userId: z.string(), comment: z.string() }),
  z.object({
    action: z.literal("seal_use.sign"),
    signatureId: z.string(),
    documentSm3: z.string(),
    signedSm3: z.string(),
    usedTotal: z.number(),
    remaining: z.number(),
    riding: z.boolean(),
  }),
  z.object({ action: z.literal("seal_use.sign_refused"), reason: z.string(), documentId: z.string().nullable() }),
  z.object({ action: z.literal("seal_use.download"), what: z.string(), signatureId: z.string().nullable() }),
  z.object({ action: z.literal("seal_use.export"), rows: z.number(), filter: z.record(z.string(), z.string()) }),
  z.object({ action: z.literal("ratelimit.exceeded"), bucket: z.string(), limit: z.number() }),
  z.object({ action: z.literal("catalog.change"), change: z.string(), version: z.number(), fields: z.array(z.string()), comment: z.string().nullable() }),
  z.object({ action: z.literal("list.change"), list: z.enum(["ISSUANCE", "USE"]), change: z.string(), deptId: z.string(), typeId: z.string(), fields: z.array(z.string()) }),
  z.object({ action: z.literal("catalog.import"), kind: z.string(), rows: z.number(), fileSm3: z.string() }),
  z.object({ action: z.literal("catalog.export"), kind: z.string(), rows: z.number() }),
  // licences (issue 6): extra scalar members are allowed so each operation records what it needs
  z.object({ action: z.literal("licence.issue"), identifier: z.string(), number: z.string(), type: z.string(), holder: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.transition"), transition: z.string(), identifier: z.string(), from: z.string(), to: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.successor"), kind: z.enum(["CHANGE", "RENEW"]), identifier: z.string(), predecessor: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.restriction"), change: z.enum(["ADD", "RELEASE"]), identifier: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.transfer"), fromDeptId: z.string(), toDeptId: z.string(), count: z.number() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.reseal"), count: z.number(), sealId: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.expire"), count: z.number(), reminders: z.number() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.import"), change: z.string(), importId: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.download"), what: z.string(), identifier: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.qr"), change: z.enum(["SHOW_CODE", "REVOKE_PRINTED"]), identifier: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("licence.export"), rows: z.number(), filter: z.record(z.string(), z.string()) }),
  z.object({ action: z.literal("licence.incident"), change: z.enum(["CREATE", "RECOVER"]), title: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("calendar.change"), change: z.enum(["SET", "REMOVE", "IMPORT", "SEED", "YEAR"]), dates: z.number() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("objection.setting"), areaCode: z.string(), markDays: z.number(), resolveDays: z.number() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("objection.submit"), number: z.string(), identifier: z.string(), source: z.enum(["HOLDER", "DEPT"]) }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("objection.transition"), number: z.string(), transition: z.string(), from: z.string(), to: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("objection.route"), number: z.string(), stage: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("objection.escalate"), count: z.number(), reminders: z.number() }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.object({ action: z.literal("use.refused"), deptId: z.string(), typeId: z.string(), matter: z.string().nullable(), scenario: z.string(), reason: z.string() }),
]);

export type AuditDetail = z.infer<typeof auditDetail>;
export type AuditAction = AuditDetail["action"];

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  "auth.login": "登录",
  "auth.login_failed": "登录失败",
  "auth.lockout": "账户锁定",
  "auth.unlock": "解除锁定",
  "auth.logout": "退出登录",
  "session.end": "结束会话",
  "dept.create": "新增部门",
  "dept.update": "修改部门",
  "dept.move": "移动部门",
  "dept.status": "部门启停",
  "user.create": "新增用户",
  "user.update": "修改用户",
  "user.status": "用户启停",
  "user.password_reset": "重置密码",
  "user.password_change": "修改密码",
  "role.grant": "授予角色",
  "role.revoke": "撤销角色",
  "policy.update": "修改安全策略",
  "audit.verify": "校验审计链",
  "system.seed": "初始化数据",
  "seal.apply": "申请电子印章",
  "seal.transition": "印章状态变更",
  "seal.protection": "印章保护口令",
  "seal.imprint": "上传备案印模",
  "seal.custodians": "设置印章保管人",
  "seal.filing": "印章备案",
  "seal_use.flow": "保存用印审批流程",
  "seal_use.create": "新建用印申请",
  "seal_use.update": "修改用印申请",
  "seal_use.transition": "用印申请状态变更",
  "seal_use.decision": "用印审批",
  "seal_use.transfer": "用印审批转办",
  "seal_use.add_approver": "用印审批加签",
  "seal_use.sign": "电子签章",
  "seal_use.sign_refused": "拒绝签章",
  "seal_use.download": "下载用印文件",
  "seal_use.export": "导出用印登记",
  "ratelimit.exceeded": "超出访问频率限制",
  "catalog.change": "证照目录变更",
  "list.change": "清单变更",
  "catalog.import": "导入目录或清单",
  "catalog.export": "导出目录或清单",
  "use.refused": "拒绝清单外用证",
  "licence.issue": "签发证照",
  "licence.transition": "证照状态变更",
  "licence.successor": "证照变更/延续",
  "licence.restriction": "证照质押",
  "licence.transfer": "证照划转",
  "licence.reseal": "证照重新签章",
  "licence.expire": "证照到期处理",
  "licence.import": "存量证照导入",
  "licence.download": "下载证照文件",
  "licence.qr": "证照二维码",
  "licence.export": "导出证照",
  "licence.incident": "应急事件",
  "calendar.change": "维护节假日",
  "objection.setting": "异议期限设置",
  "objection.submit": "提出异议",
  "objection.transition": "异议处理",
  "objection.route": "异议跨区域转办",
  "objection.escalate": "异议超期督办",
};

/** Field-by-field difference of two flat records, for *.update events. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined) continue;
    const a = before[k] instanceof Date ? (before[k]).toISOString() : before[k];
    const b = v instanceof Date ? v.toISOString() : v;
    // canonically: jsonb hands objects back with its own key order
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) out[k] = { from: a ?? null, to: b ?? null };
  }
  return out;
}

/** Chinese names of audit target types, for the audit page. */
export const AUDIT_TARGET_LABELS: Record<string, string> = {
  Holiday: "节假日安排",
  CalendarYear: "节假日年度",
  ObjectionSetting: "异议处理期限",
  Objection: "异议",
  User: "用户",
  Department: "部门",
  UserSession: "会话",
  LoginLock: "登录锁定",
  SecurityPolicy: "安全策略",
  AuditEvent: "审计日志",
  System: "系统",
  Seal: "电子印章",
  ApprovalFlow: "用印审批流程",
  SealUseRequest: "用印申请",
  SealUseRecord: "用印登记",
  RateLimit: "访问频率限制",
  LicenceType: "证照类型",
  IssuanceListEntry: "发证清单",
  UseListEntry: "用证清单",
  CatalogImport: "目录导入",
  Licence: "电子证照",
  LicenceImport: "存量证照导入",
  EmergencyIncident: "应急事件",
};
