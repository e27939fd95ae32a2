// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded default).
import path from "node:path";
import { localSecrets } from "@/lib/db/secrets";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

async function main() {
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const s = localSecrets(path.resolve(".data"));
    const pg = await startEmbeddedPostgres({ dataDir: path.resolve(".data/pg"), port: Number(process.env.CERTSEAL_PG_PORT ?? 54329), password: s.PG_PASSWORD, quiet: true });
    await ensureDatabase(pg.adminUrl, "certseal");
    url = pg.url("certseal");
    stop = pg.stop;
  }
  const applied = await migrate(url, { log: (m) => console.log(m) });
  console.log(applied.length ? `${applied.length} migration(s) applied` : "migrations are current");
  // the official holiday schedule (O-04), reference data every deployment needs
  process.env.DATABASE_URL = url;
  const { seedHolidays } = await import("@/lib/calendar/seed");
  const { db } = await import("@/lib/db");
  const h = await seedHolidays(db());
  if (h.years.length) console.log(`holidays seeded (${h.days} days, ${h.years.length} years)`);
  await db().$disconnect();
  await stop();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
