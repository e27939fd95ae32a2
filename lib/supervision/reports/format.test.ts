// The report names what the dashboard shows with the dashboard's words (V-04).
import { describe, expect, it } from "vitest";
import { SYNC_LABELS as DASHBOARD_SYNC_LABELS } from "@/app/(portal)/supervision/dashboard/_ui/labels";
import { SYNC_LABELS } from "@/lib/supervision/reports/format";

describe("report wording", () => {
  it("V-04 the sync modes are named as on the dashboard", () => {
    expect(SYNC_LABELS).toEqual({ ...DASHBOARD_SYNC_LABELS });
    expect(SYNC_LABELS.ONLINE).toBe("实时（即时汇聚）");
  });
});
