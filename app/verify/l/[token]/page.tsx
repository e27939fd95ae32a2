import type { Metadata } from "next";
import { peekShowCode, parseToken, qrText, resolvePrinted } from "@/lib/licenses/qr";
import { publicLicenceView } from "@/lib/licenses/verify";
import { issuerOfLicence, licenceOfShowCode, recordVerify, requestIp } from "@/lib/supervision/access-log-record";
import { t } from "@/lib/i18n/zh-CN";
import { LicenceCard } from "../../licence-card";
import { Notice, PublicShell } from "../../public-shell";
import { publicLimit } from "../../rate";
import { ShowCodeOpen } from "./show-code-open";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: `电子证照核验 - ${t.app.name}`, robots: { index: false, follow: false } };

/**
 * The QR target (U-06), public. A printed code shows the licence at once (read-only). A 亮证 code
 * is one use, and rendering a page never changes a row: the visitor confirms, and the action
 * uses the code up.
 *
 * The access log gets one row per printed-code verification (QR) and, for a 亮证 code, one
 * row when the page already refuses it (SHOW); a usable code is recorded when the visitor confirms
 * (/api/verify/show), so one verification is one row. The log is the one write a GET may make.
 */
export default async function QrVerifyPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const title = "电子证照核验";
  const ip = await requestIp();
  const limited = await publicLimit();
  const parsed = parseToken(token);
  const channel = parsed.kind === "SHOW" ? "SHOW" : "QR";
  if (limited) {
    await recordVerify(channel, ip, { ok: false, failure: "RATE_LIMITED" });
    return <PublicShell title={title}><Notice>{limited}</Notice></PublicShell>;
  }
  if (parsed.kind === "INVALID") {
    await recordVerify(channel, ip, { ok: false, failure: "INVALID" });
    return <PublicShell title={title}><Notice>{qrText.invalid}</Notice></PublicShell>;
  }
  if (parsed.kind === "SHOW") {
    const state = await peekShowCode(parsed.hash);
    if (!state.ok) {
      const l = state.reason === "INVALID" ? null : await licenceOfShowCode(parsed.hash);
      const failure = state.reason === "EXPIRED" ? "EXPIRED_CODE" : state.reason === "USED" ? "USED_CODE" : "INVALID";
      await recordVerify(channel, ip, { ok: false, failure, licenceId: l?.id ?? null, issuerDeptId: l?.issuerDeptId ?? null });
    }
    return (
      <PublicShell title={title}>
        {state.ok ? <ShowCodeOpen token={token} /> : <Notice tone={state.reason === "INVALID" ? "error" : "warn"}>{state.message}</Notice>}
      </PublicShell>
    );
  }
  const r = await resolvePrinted(parsed);
  const view = r.ok ? await publicLicenceView(r.licenceId) : null;
  if (r.ok && view) await recordVerify(channel, ip, { ok: true, licenceId: r.licenceId, issuerDeptId: await issuerOfLicence(r.licenceId) });
  else if (r.ok || r.reason !== "REVOKED") await recordVerify(channel, ip, { ok: false, failure: "NOT_FOUND" });
  else await recordVerify(channel, ip, { ok: false, failure: "REVOKED_CODE", licenceId: parsed.licenceId, issuerDeptId: await issuerOfLicence(parsed.licenceId) });
  return (
    <PublicShell title={title}>
      {view ? <LicenceCard view={view} /> : <Notice tone={!r.ok && r.reason === "REVOKED" ? "warn" : "error"}>{r.ok ? qrText.notFound : r.message}</Notice>}
      <p className="muted" style={{ fontSize: 13 }}>
        二维码核验只说明证照的登记状态；要确认手中的证照文件是否为原件，请在「文件验证」上传该 PDF 文件。
      </p>
    </PublicShell>
  );
}
