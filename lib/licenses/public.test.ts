// U-02: what the public notice shows of a face. The type's sensitive flags mask their fields; a
// citizen ID number is masked whatever the flags say; a value that is the holder's code is masked
// (recognised through the keyed hash, as the code itself is only stored encrypted); a natural
// person's name is masked wherever it appears; pictures and blank fields are left out.
import { describe, expect, it } from "vitest";
import type { FaceFieldDef } from "@/lib/catalog/face-fields";
import { holderCodeHash } from "@/lib/licenses/holders";
import { noticeQuery, publicFace } from "@/lib/licenses/public";

const fields: FaceFieldDef[] = [
  { key: "name", label: "姓名", type: "TEXT", required: true, sensitive: false },
  { key: "uscc", label: "统一社会信用代码", type: "USCC", required: true, sensitive: false },
  { key: "other", label: "其他单位代码", type: "USCC", required: false, sensitive: false },
  { key: "idNo", label: "身份证号", type: "CITIZEN_ID", required: false, sensitive: false },
  { key: "rep", label: "法定代表人", type: "TEXT", required: false, sensitive: true },
  { key: "photo", label: "照片", type: "IMAGE", required: false, sensitive: false },
  { key: "note", label: "备注", type: "TEXT", required: false, sensitive: false },
];
const HOLDER_USCC = "91510100MA6CJ7Q58R";
const OTHER_USCC = "91110000802100433B";
const CITIZEN = "510104199003071237";

describe("U-02 publicFace", () => {
  it("masks the holder's code even in a field not marked sensitive, and citizen IDs always", () => {
    const face = publicFace(fields, { name: "四川示例科技有限公司", uscc: HOLDER_USCC, other: OTHER_USCC, idNo: CITIZEN, rep: "李明", photo: "00000000-0000-4000-8000-000000000000", note: "" }, { holderCodeHash: holderCodeHash(HOLDER_USCC), holderName: "四川示例科技有限公司", person: false });
    expect(face).toEqual([
      { label: "姓名", value: "四川示例科技有限公司" },
      { label: "统一社会信用代码", value: "9151**********Q58R" },
      { label: "其他单位代码", value: OTHER_USCC },
      { label: "身份证号", value: "5101**********1237" },
      { label: "法定代表人", value: "李*" },
    ]);
    expect(JSON.stringify(face)).not.toContain(HOLDER_USCC);
    expect(JSON.stringify(face)).not.toContain(CITIZEN);
  });

  it("masks a natural person's name and code wherever they appear", () => {
    const face = publicFace(fields, { name: "张三丰", idNo: CITIZEN, note: "张三丰" }, { holderCodeHash: holderCodeHash(CITIZEN), holderName: "张三丰", person: true });
    expect(face).toEqual([
      { label: "姓名", value: "张**" },
      { label: "身份证号", value: "5101**********1237" },
      { label: "备注", value: "张**" },
    ]);
  });

  it("shows nothing for a face it cannot read", () => {
    expect(publicFace("not fields", {}, { holderCodeHash: "", holderName: "", person: false })).toEqual([]);
  });

  it("reads the URL forgivingly", () => {
    expect(noticeQuery.parse({ q: "  名称 ", mode: "x", page: "-3", pageSize: "7" })).toEqual({ q: "名称", mode: "prefix", page: 1, pageSize: 20 });
    expect(noticeQuery.parse({ q: "a", mode: "contains", page: "2", pageSize: "50" })).toEqual({ q: "a", mode: "contains", page: 2, pageSize: 50 });
  });
});
