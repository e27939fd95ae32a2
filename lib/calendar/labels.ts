// Labels of the holiday table's columns for pages and exports (client-safe).
export const SOURCE_LABELS: Record<string, string> = { SEED: "初始数据", IMPORT: "导入", MANUAL: "手工维护" };
export const WEEKDAY_LABELS = ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"];
