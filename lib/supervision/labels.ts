// Words the supervision pages share (plain module: the dashboard, the access log, the quality page
// and the reports name the same things the same way).
export const ACCESS_CHANNEL_LABELS = { QR: "扫码核验", SHOW: "亮证核验", CODE: "标识码+核验码", UPLOAD: "上传文件核验", PORTAL: "门户查看", FILE: "证照下载" } as const;
export const NO_LIST_LABEL = "无发证清单的证照类型";
export const UNAPPROVED_SIGNATURE_LABEL = "无完整审批的签章";
