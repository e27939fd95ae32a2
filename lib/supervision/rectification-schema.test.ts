// The order form's evidence rows (V-02) take the numbers users see, checked for shape on both sides
// (the server resolves them to rows); a refused submission's message lands next to its field, or
// once on top.
import { describe, expect, it } from "vitest";
import { evidenceItem, evidenceRefShapeOk, issueOrderInput } from "@/lib/supervision/rectification-schema";
import { placeErrors } from "@/app/(portal)/supervision/orders/_ui/one-message";

const base = { deptId: "0b7f8e36-6a0e-4c84-9d0f-2d7f3a1c4b55", category: "OTHER", title: "整改通知标题", description: "问题说明和整改要求，至少十个字。", dueDays: 5 };

describe("evidence references (V-02)", () => {
  it("[V-02] accepts each kind's number (or an internal id) and says what to type otherwise", () => {
    expect(evidenceRefShapeOk("OBJECTION", "YY20261201000001")).toBe(true);
    expect(evidenceRefShapeOk("OBJECTION", "yy20261201000001")).toBe(true);
    expect(evidenceRefShapeOk("OBJECTION", "YY2026000001")).toBe(false);
    expect(evidenceRefShapeOk("SEAL_USE", "YY2026000001")).toBe(true);
    expect(evidenceRefShapeOk("SPOT_CHECK", "CC20261201001")).toBe(true);
    expect(evidenceRefShapeOk("ORDER", "ZG202612010001")).toBe(true);
    expect(evidenceRefShapeOk("ORDER", "CC20261201001")).toBe(false);
    expect(evidenceRefShapeOk("LICENCE", "1.2.156.3005.2.11510000MB1234567X.0001.S")).toBe(true);
    expect(evidenceRefShapeOk("LICENCE", "川食经〔2026〕0001号")).toBe(true);
    expect(evidenceRefShapeOk("LICENCE", "<script>")).toBe(false);
    expect(evidenceRefShapeOk("SPOT_CHECK", "0B7F8E36-6A0E-4C84-9D0F-2D7F3A1C4B55")).toBe(true);
    const bad = evidenceItem.safeParse({ kind: "SPOT_CHECK", id: "12", label: "" });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["id", "请填写抽查编号，如 CC20261201001"]]);
  });

  it("[V-02] the same reference twice is refused at the second row", () => {
    const r = issueOrderInput.safeParse({ ...base, evidence: [{ kind: "OBJECTION", id: "YY20261201000001" }, { kind: "OBJECTION", id: "YY20261201000001" }] });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["evidence.1.id", "依据重复"]]);
  });
});

describe("one message, once (V-02)", () => {
  it("field errors go next to their fields with no alert; others make one alert; none: the service's message", () => {
    const set: [string, string][] = [];
    const setError = (name: never, e: { type: string; message: string }) => void set.push([name, e.message]);
    expect(placeErrors({ error: "请按提示修改后再提交", fieldErrors: { "evidence.1.id": "该异议不存在", title: "标题至少 4 个字" } }, ["title", "evidence"], setError)).toBeNull();
    expect(set).toEqual([
      ["evidence.1.id", "该异议不存在"],
      ["title", "标题至少 4 个字"],
    ]);
    expect(placeErrors({ error: "请按提示修改后再提交", fieldErrors: { _form: "部门已停用", rev: "请刷新页面后重试" } }, ["title"], setError)).toBe("部门已停用；请刷新页面后重试");
    expect(placeErrors({ error: "该整改通知刚被他人处理" }, ["note"], setError)).toBe("该整改通知刚被他人处理");
    expect(set).toHaveLength(2);
  });
});
