import Link from "next/link";
import { connection } from "next/server";

/**
 * The 404 page, in Chinese like the rest of the portal. Rendered per request (not prerendered), so
 * its scripts carry the request's CSP nonce (proxy.ts) like every other page's.
 */
export default async function NotFound() {
  await connection();
  return (
    <main style={{ padding: "15vh 20px", textAlign: "center" }}>
      <h1 style={{ fontSize: 28 }}>页面不存在</h1>
      <p className="muted">您访问的页面不存在，或记录不在您的管辖范围内。</p>
      <p>
        <Link className="btn primary" href="/">返回首页</Link>
      </p>
    </main>
  );
}
