// `npm run worker`: the background job workers alone (scale them apart from the web tier).
// Needs DATABASE_URL (and the same secrets as the web server); `npm start` runs one beside the web.
import { startWorkers } from "@/lib/jobs/worker";

async function main() {
  // The platform CA is made at first setup (a no-op once it exists).
  const { ensurePlatformCa } = await import("@/lib/crypto/ca");
  await ensurePlatformCa();
  const boss = await startWorkers();
  console.log("certseal: job workers running");
  const stop = () => void boss.stop({ graceful: true, timeout: 10_000 }).then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
