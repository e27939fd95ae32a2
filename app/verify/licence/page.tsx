import type { Metadata } from "next";
import { t } from "@/lib/i18n/zh-CN";
import { PublicShell } from "../public-shell";
import { LookupForm } from "./lookup-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: `电子证照核验 - ${t.app.name}` };

/** Public: check a licence by its identifier and verification code (U-06), without signing in. */
export default function LicenceLookupPage() {
  return (
    <PublicShell title="电子证照核验">
      <div className="card">
        <p style={{ margin: 0, lineHeight: 1.8 }}>
          输入电子证照标识和核验码，可查验证照的类型、发证机关、持证主体（脱敏）、有效期限和当前状态。扫描证照上的二维码可直接查验；要确认手中的证照文件是否为原件，请在「文件验证」上传 PDF 文件。
        </p>
      </div>
      <LookupForm />
    </PublicShell>
  );
}
