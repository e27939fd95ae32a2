import { describe, expect, it } from "vitest";
import { contentDisposition, rfc5987 } from "./content-disposition";

describe("Content-Disposition of downloads (RFC 6266 / 5987)", () => {
  it("percent-encodes the readable name, including the characters encodeURIComponent leaves alone", () => {
    expect(rfc5987("合同（已盖章）.pdf")).toBe(encodeURIComponent("合同（已盖章）.pdf"));
    expect(rfc5987("a(b)!'*.pdf")).toBe("a%28b%29%21%27%2A.pdf");
  });
  it("gives the ASCII name, the readable one when there is one, and inline on request", () => {
    expect(contentDisposition("x.pdf")).toBe('attachment; filename="x.pdf"');
    expect(contentDisposition("x.pdf", "报告.pdf")).toBe(`attachment; filename="x.pdf"; filename*=UTF-8''${encodeURIComponent("报告.pdf")}`);
    expect(contentDisposition("x.png", undefined, true)).toBe('inline; filename="x.png"');
  });
});
