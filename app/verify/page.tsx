import type { Metadata } from "next";
import { VERIFY_PDF_MAX_BYTES, VERIFY_SIG_MAX_BYTES } from "@/lib/seal-use/verify";
import { t } from "@/lib/i18n/zh-CN";
import { VerifyForm } from "./verify-form";
import { PublicShell } from "./public-shell";

// Rendered per request: the CSP nonce (proxy.ts) must reach the scripts of this page too.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: `电子签章验证 - ${t.app.name}` };

/** Public: anyone may check a sealed PDF or a licence file without signing in (outside the portal layout). */
export default function VerifyPage() {
  return (
    <PublicShell title="电子签章验证（含电子证照原件核验）">
      <div className="card">
        <p style={{ marginTop: 0, lineHeight: 1.8 }}>
          上传本平台加盖电子印章的 PDF 文件，即可核验：印章名称与持有单位、签章时间、签章时印章是否在有效期内、印章当前状态、文件自签章后是否被修改、签章人证书是否由平台认证机构签发。
          也可以同时上传已盖章的 PDF 文件和单独下载的 <span className="mono">.sig</span> 签名文件（签名覆盖的是加盖印章图样后的文件，未盖章的原稿无法与之核对）。
        </p>
        <p style={{ lineHeight: 1.8 }}>
          上传本平台签发的电子证照 PDF 文件，可核验它是否为签发的原件、是否被篡改，并查看证照的当前状态。截图、打印件或经转换、另存的文件不是原件。
        </p>
        <p className="muted" style={{ marginBottom: 0 }}>
          上传的文件仅用于本次验证，不会被保存。PDF 文件不超过 {VERIFY_PDF_MAX_BYTES / 1048576} MB，签名文件不超过 {VERIFY_SIG_MAX_BYTES / 1024} KB。
        </p>
      </div>
      <VerifyForm pdfMaxBytes={VERIFY_PDF_MAX_BYTES} sigMaxBytes={VERIFY_SIG_MAX_BYTES} />
    </PublicShell>
  );
}
