// The audit page's reading of an event's detail: each member under a Chinese label, in the
// order it was recorded, so an audit administrator reads "统一社会信用代码 9151…" rather than
// JSON. The stored detail is untouched (it is hashed into the chain); unknown members keep their key.

export const AUDIT_DETAIL_LABELS: Record<string, string> = {
  username: "用户名",
  sessionId: "会话",
  reason: "原因",
  key: "锁定对象",
  until: "锁定至",
  userId: "用户",
  name: "名称",
  uscc: "统一社会信用代码",
  parentId: "上级部门",
  changes: "变更内容",
  from: "原值",
  to: "新值",
  status: "状态",
  departmentId: "部门",
  sessionsEnded: "结束的会话",
  role: "角色",
  scope: "范围",
  ok: "结果",
  checked: "已校验条数",
  firstBroken: "首个断点",
  created: "新建条数",
  kind: "类别",
  materials: "申请材料",
  transition: "操作",
  change: "变更类型",
  sm3: "文件 SM3",
  widthMm: "宽（毫米）",
  heightMm: "高（毫米）",
  administratorId: "印章管理员",
  custodians: "保管人",
  previous: "原保管人",
  result: "结果",
  attempt: "第几次",
  filingNumber: "备案号",
  error: "错误",
  scopeKey: "适用范围",
  version: "版本",
  steps: "审批步骤",
  number: "编号",
  sealId: "印章",
  count: "数量",
  documents: "文件",
  added: "新增",
  removed: "删除",
  changed: "修改",
  round: "轮次",
  comment: "意见",
  stepId: "审批步骤编号",
  step: "审批步骤",
  decision: "决定",
  toUserId: "转办给",
  signatureId: "签章编号",
  documentSm3: "原文件 SM3",
  signedSm3: "签名原文 SM3",
  usedTotal: "累计已用",
  remaining: "剩余次数",
  riding: "骑缝章",
  documentId: "文件编号",
  what: "内容",
  rows: "行数",
  filter: "筛选条件",
  bucket: "限流项",
  limit: "限额",
  fields: "字段",
  list: "清单",
  deptId: "部门",
  typeId: "证照类型",
  fileSm3: "文件 SM3",
  fileName: "文件名",
  identifier: "证照标识",
  type: "证照类型",
  holder: "持证主体",
  predecessor: "原证照",
  fromDeptId: "原部门",
  toDeptId: "新部门",
  reminders: "提醒数",
  importId: "导入批次",
  title: "标题",
  dates: "日期数",
  year: "年度",
  wasCovered: "此前已导入",
  areaCode: "区划代码",
  markDays: "标注时限（工作日）",
  resolveDays: "办结时限（工作日）",
  source: "来源",
  stage: "环节",
  category: "类别",
  ms: "耗时（毫秒）",
  period: "期间",
  format: "格式",
  orders: "整改通知数",
  matter: "事项",
  scenario: "用证场景",
  date: "日期",
  bytes: "字节数",
};

export type DetailLine = { key: string; label: string; value: string };

function text(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint") return String(v);
  if (Array.isArray(v)) return v.length === 0 ? "—" : v.every((x) => typeof x !== "object" || x === null) ? v.map(text).join("、") : JSON.stringify(v);
  return JSON.stringify(v);
}

const isFromTo = (v: unknown): v is { from: unknown; to: unknown } => typeof v === "object" && v !== null && !Array.isArray(v) && "from" in v && "to" in v;

/** The lines of a stored detail (JSON text), without its `action`; null when it is not an object. */
export function detailLines(json: string): DetailLine[] | null {
  let d: unknown;
  try {
    d = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof d !== "object" || d === null || Array.isArray(d)) return null;
  const lines: DetailLine[] = [];
  for (const [key, v] of Object.entries(d)) {
    if (key === "action") continue;
    const label = AUDIT_DETAIL_LABELS[key] ?? key;
    // changes: { field: { from, to } } — one line per field
    if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).length > 0 && Object.values(v).every(isFromTo)) {
      for (const [field, c] of Object.entries(v as Record<string, { from: unknown; to: unknown }>))
        lines.push({ key: `${key}.${field}`, label: `${label}：${AUDIT_DETAIL_LABELS[field] ?? field}`, value: `${text(c.from)} → ${text(c.to)}` });
      continue;
    }
    lines.push({ key, label, value: text(v) });
  }
  return lines;
}
