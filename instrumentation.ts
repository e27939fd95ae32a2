// Validates the environment once at server boot: a production start without its secrets stops here.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { loadEnv } = await import("@/lib/env");
    try {
      loadEnv();
    } catch (e) {
      console.error((e as Error).message);
      process.exit(1);
    }
  }
}
