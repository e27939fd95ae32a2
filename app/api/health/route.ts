import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

// Public by design: load balancers probe it. It reveals no data beyond up/down and the version.
export async function GET() {
  const h = await checkHealth();
  return Response.json(h, { status: h.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
