// Convenience only (SECURITY.md: middleware has had bypass CVEs): a per-request CSP nonce, no-store
// on portal pages, and a redirect to /login when there is no session cookie at all. Every page,
// action and route handler still checks the session and permission itself.
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC = [/^\/icon\.svg/, /^\/login/, /^\/api\/auth\//, /^\/api\/health/, /^\/_next\//, /^\/favicon/, /^\/verify/, /^\/public-notice/, /^\/objection(\/|$)/];

export function proxy(req: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV !== "production";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
  const path = req.nextUrl.pathname;
  const hasCookie = req.cookies.has("certseal.session") || req.cookies.has("__Host-certseal.session");
  if (!PUBLIC.some((r) => r.test(path)) && !path.startsWith("/api/") && !hasCookie) {
    const url = req.nextUrl.clone();
    url.pathname = "/login";
    url.search = path === "/" ? "" : `?callbackUrl=${encodeURIComponent(path + req.nextUrl.search)}`;
    return NextResponse.redirect(url);
  }
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", csp);
  if (!path.startsWith("/_next/")) res.headers.set("cache-control", "no-store");
  return res;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
