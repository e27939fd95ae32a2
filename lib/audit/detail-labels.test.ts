// the audit page reads a detail as labelled lines; the stored JSON is only read.
import { describe, expect, it } from "vitest";
import { detailLines } from "@/lib/audit/detail-labels";

describe("audit detail lines", () => {
  it("labels members in Chinese, in recorded order, without the action", () => {
    expect(detailLines(JSON.stringify({ action: "dept.create", name: "成都市测试局", uscc: "11510100MB0000000X", parentId: null }))).toEqual([
      { key: "name", label: "名称", value: "成都市测试局" },
      { key: "uscc", label: "统一社会信用代码", value: "11510100MB0000000X" },
      { key: "parentId", label: "上级部门", value: "—" },
    ]);
  });

  it("words booleans, lists and from → to changes; keeps unknown keys and nested objects readable", () => {
    expect(detailLines(JSON.stringify({ action: "x", riding: true, steps: ["科室审核", "分管领导"], changes: { status: { from: "ACTIVE", to: "DISABLED" }, name: { from: "甲", to: "乙" } }, other: { a: 1 } }))).toEqual([
      { key: "riding", label: "骑缝章", value: "是" },
      { key: "steps", label: "审批步骤", value: "科室审核、分管领导" },
      { key: "changes.status", label: "变更内容：状态", value: "ACTIVE → DISABLED" },
      { key: "changes.name", label: "变更内容：名称", value: "甲 → 乙" },
      { key: "other", label: "other", value: '{"a":1}' },
    ]);
  });

  it("gives null for what is not an object (the page then shows it as it is)", () => {
    expect(detailLines("not json")).toBeNull();
    expect(detailLines("[1,2]")).toBeNull();
  });
});
