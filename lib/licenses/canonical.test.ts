import { describe, expect, it } from "vitest";
import { canonicalLicence, canonicalSm3, type CanonicalLicence } from "@/lib/licenses/canonical";

const base: CanonicalLicence = {
  identifier: "1.2.156.3005.2.11100000MB0143028X014.11510000000000003X.202600000001.001.Q",
  number: "JY51000000000001",
  name: "食品经营许可证",
  typeCode: "11100000MB0143028X014",
  typeVersion: 1,
  version: 1,
  issuer: { name: "四川省市场监督管理局", code: "11510000000000003X" },
  areaCode: "510000",
  holder: { name: "成都市锦江区老码头火锅餐饮有限公司", codeType: "001", code: "91510100MA6CJ7Q58R" },
  matter: { code: "SC-SJ-0101", name: "食品经营许可" },
  issuedAt: new Date("2026-12-01T02:03:04.005Z"),
  validFrom: "2026-12-01",
  validTo: "2031-11-30",
  face: { operator: "老码头", uscc: "91510100MA6CJ7Q58R", term: { to: "2031-11-30", from: "2026-12-01" }, capital: 12.5 },
  predecessor: null,
};

describe("canonical licence encoding (L-07)", () => {
  it("is stable: sorted keys at every level, no white space, fixed member set", () => {
    const text = canonicalLicence(base).toString("utf8");
    expect(text).toBe(
      '{"areaCode":"510000","face":{"capital":12.5,"operator":"老码头","term":{"from":"2026-12-01","to":"2031-11-30"},"uscc":"91510100MA6CJ7Q58R"},' +
        '"format":"certseal-licence-v1","holder":{"code":"91510100MA6CJ7Q58R","codeType":"001","name":"成都市锦江区老码头火锅餐饮有限公司"},' +
        '"identifier":"1.2.156.3005.2.11100000MB0143028X014.11510000000000003X.202600000001.001.Q","issuedAt":"2026-12-01T02:03:04.005Z",' +
        '"issuer":{"code":"11510000000000003X","name":"四川省市场监督管理局"},"matter":{"code":"SC-SJ-0101","name":"食品经营许可"},"name":"食品经营许可证",' +
        '"number":"JY51000000000001","predecessor":null,"typeCode":"11100000MB0143028X014","typeVersion":1,"validFrom":"2026-12-01","validTo":"2031-11-30","version":"001"}',
    );
  });

  it("does not depend on the order the face was built in, and changes with any value", () => {
    const reordered = { ...base, face: { capital: 12.5, term: { from: "2026-12-01", to: "2031-11-30" }, uscc: "91510100MA6CJ7Q58R", operator: "老码头" } };
    expect(canonicalSm3(reordered)).toBe(canonicalSm3(base));
    expect(canonicalSm3({ ...base, face: { ...base.face, capital: 12.51 } })).not.toBe(canonicalSm3(base));
    expect(canonicalSm3({ ...base, holder: { ...base.holder, code: "91510100MA6CJ7Q58S" } })).not.toBe(canonicalSm3(base));
    expect(canonicalSm3({ ...base, face: { ...base.face, phone: undefined, empty: "" } })).toBe(canonicalSm3(base));
  });
});
