// The licence table at 1,000,000 rows (issue 6: every filter and sort answers a page in ≤ 100 ms of
// server time). Starts a throwaway embedded PostgreSQL, migrates it, generates the licences with
// scripts/generate-licences.ts, runs VACUUM ANALYZE, then times listLicences (lib/licenses/queries.ts,
// the function the /licenses page calls: scope, bounded count and keyset page together) for each
// filter and sort, on the first page and on a deep page (the cursor after row 5,000), as median and
// p95 over repeated runs; and, for each filter, the OFFSET page at the same depth with an exact
// COUNT(*) in the same session as the baseline.
//
//   npm run bench:licence-list
//   BENCH_ROWS=1000000 BENCH_RUNS=20 BENCH_ONLY=<regexp on case names> BENCH_EXPLAIN=1 (plans of slow cases)
//   BENCH_DATABASE_URL=… BENCH_KEK=… BENCH_LABEL=…: use an existing database already generated
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Actor } from "@/lib/auth/session";
import { benchActor, fmtMs as ms, median, p95, startBenchDatabase } from "@/bench/common";
import type { RoleName, Scope } from "@/lib/auth/permissions";
import type { LicenceFilter } from "@/lib/licenses/list-schema";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 20));
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const EXPLAIN = process.env.BENCH_EXPLAIN === "1";
const GOAL_MS = 100;
const DEEP = 5000;

const actor = (name: string, dept: { id: string; path: string; name: string }, role: RoleName, scope: Scope): Actor => benchActor(name, dept, role, scope, "CITY");


async function main() {
  const env = await startBenchDatabase("list");
  Object.assign(process.env, { DATABASE_URL: env.url, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(24).toString("hex") });
  const { generateLicences, generatedHolder } = await import("@/scripts/generate-licences");
  const { listLicences, cursorAt, explainLicenceList, filterConditions, issuerDepartments } = await import("@/lib/licenses/queries");
  const { licenceFilter } = await import("@/lib/licenses/list-schema");
  const { holderCodeHash } = await import("@/lib/licenses/holders");
  const { db, Prisma } = await import("@/lib/db");

  console.log(`certseal licence-list bench — ${new Date().toISOString()}`);
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (!process.env.BENCH_DATABASE_URL) {
    const g = await generateLicences({ url: env.url, count: ROWS, label: env.label, log: (l) => console.log(`  ${l}`) });
    env.generated = `${g.licences.toLocaleString("en-US")} licences and ${g.holders.toLocaleString("en-US")} holders generated in ${g.seconds.toFixed(0)} s`;
    console.log(env.generated);
  }
  const c = new pg.Client({ connectionString: env.url });
  await c.connect();
  const t0 = performance.now();
  await c.query(`VACUUM ANALYZE "Licence"`);
  await c.query(`VACUUM ANALYZE "Holder"`);
  await c.query(`VACUUM ANALYZE "Department"`);
  console.log(`VACUUM ANALYZE: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const version = (await c.query("SHOW server_version")).rows[0].server_version as string;
  const sizes = (await c.query(`SELECT pg_size_pretty(pg_relation_size('"Licence"')) AS t, pg_size_pretty(pg_indexes_size('"Licence"')) AS i, (SELECT count(*) FROM "Licence")::int AS n`)).rows[0];
  console.log(`PostgreSQL ${version}; "Licence": ${Number(sizes.n).toLocaleString("en-US")} rows, table ${sizes.t}, indexes ${sizes.i}`);

  // the world of the label: departments and types by name
  const depts = (await c.query<{ id: string; path: string; name: string }>(`SELECT "id", "path", "name" FROM "Department" WHERE "name" LIKE $1`, [`%（生成数据 ${env.label}）`])).rows;
  const dept = (prefix: string) => {
    const d = depts.find((x) => x.name.startsWith(prefix));
    if (!d) throw new Error(`no department ${prefix}`);
    return d;
  };
  const root = (await c.query<{ id: string; path: string; name: string }>(`SELECT "id", "path", "name" FROM "Department" WHERE "parentId" IS NULL ORDER BY "createdAt" LIMIT 1`)).rows[0];
  const type = async (name: string) => (await c.query<{ id: string }>(`SELECT t."id" FROM "LicenceType" t JOIN "Licence" l ON l."typeId" = t."id" WHERE t."name" = $1 LIMIT 1`, [name])).rows[0].id;
  const food = await type("食品经营许可证");
  const business = await type("营业执照");
  const transportQual = await type("道路运输从业人员从业资格证");
  const cdMarket = dept("成都市市场监督管理局");
  const zgTransport = dept("自贡市交通运输局");
  const fcMarket = dept("绵阳市涪城区市场监督管理局");
  const supervisor = actor("supervisor", root, "SUPERVISOR", "PROVINCE");
  const issuer = actor("issuer", cdMarket, "ISSUER_OPERATOR", "OWN");
  const countyIssuer = actor("county-issuer", fcMarket, "ISSUER_OPERATOR", "OWN");
  // a legal-person holder with licences of several types, searched by its exact code
  const holder = generatedHolder(env.label, 0, 12345);
  const today = new Date(Date.now() + 8 * 3_600_000);
  const ymd = (d: Date) => d.toISOString().slice(0, 10);
  const plusDays = (n: number) => ymd(new Date(today.getTime() + n * 86_400_000));
  const lastYear = String(today.getUTCFullYear() - 1);
  const nextYear = String(today.getUTCFullYear() + 1);

  type Case = { name: string; who: Actor; f: Partial<LicenceFilter> };
  const filters: Case[] = [
    { name: "no filter", who: supervisor, f: {} },
    { name: "type 食品经营许可证", who: supervisor, f: { type: food } },
    { name: "type 营业执照 (long-term)", who: supervisor, f: { type: business } },
    { name: "status VALID", who: supervisor, f: { status: "VALID" } },
    { name: "status EXPIRED", who: supervisor, f: { status: "EXPIRED" } },
    { name: "status SUSPENDED", who: supervisor, f: { status: "SUSPENDED" } },
    { name: "status REVOKED", who: supervisor, f: { status: "REVOKED" } },
    { name: "issuer dept 成都市场监管 (subtree)", who: supervisor, f: { dept: cdMarket.id } },
    { name: "issuer dept 自贡交通 (small)", who: supervisor, f: { dept: zgTransport.id } },
    { name: "holder code (exact, hashed)", who: supervisor, f: { h: holderCodeHash(holder.code) } },
    { name: "holder name prefix 王", who: supervisor, f: { name: "王" } },
    { name: "holder name prefix 成都", who: supervisor, f: { name: "成都" } },
    { name: `holder name prefix ${holder.name.slice(0, 6)}`, who: supervisor, f: { name: holder.name.slice(0, 6) } },
    { name: "issued last 30 days", who: supervisor, f: { issuedFrom: plusDays(-30), issuedTo: ymd(today) } },
    { name: `issued in ${lastYear}`, who: supervisor, f: { issuedFrom: `${lastYear}-01-01`, issuedTo: `${lastYear}-12-31` } },
    { name: "expiring in 30 days", who: supervisor, f: { expiresFrom: ymd(today), expiresTo: plusDays(30) } },
    { name: `expiring in ${nextYear}`, who: supervisor, f: { expiresFrom: `${nextYear}-01-01`, expiresTo: `${nextYear}-12-31` } },
    { name: "pledged", who: supervisor, f: { restricted: "yes" } },
    { name: "not pledged", who: supervisor, f: { restricted: "no" } },
    // the generator marks none: this measures the partial index Licence_under_objection when empty
    { name: "under objection (异议中)", who: supervisor, f: { objection: "1" } },
    { name: "type 食品 + VALID + expiring in 30 days", who: supervisor, f: { type: food, status: "VALID", expiresFrom: ymd(today), expiresTo: plusDays(30) } },
    { name: "type 从业资格 + dept 成都市场监管 (none: another bureau's type)", who: supervisor, f: { type: transportQual, dept: cdMarket.id } },
    { name: "EXPIRED + expiring next year (none)", who: supervisor, f: { status: "EXPIRED", expiresFrom: `${nextYear}-01-01`, expiresTo: `${nextYear}-12-31` } },
    { name: "dept 成都市场监管 + SUSPENDED + issued last year", who: supervisor, f: { dept: cdMarket.id, status: "SUSPENDED", issuedFrom: `${lastYear}-01-01`, issuedTo: `${lastYear}-12-31` } },
    { name: "issuer (own dept): no filter", who: issuer, f: {} },
    { name: "issuer (own dept): status VALID", who: issuer, f: { status: "VALID" } },
    { name: "issuer (own dept): name prefix 成都", who: issuer, f: { name: "成都" } },
    { name: "issuer (own dept): expiring in 30 days", who: issuer, f: { expiresFrom: ymd(today), expiresTo: plusDays(30) } },
    { name: "county issuer (own dept): no filter", who: countyIssuer, f: {} },
    { name: "county issuer (own dept): pledged", who: countyIssuer, f: { restricted: "yes" } },
  ];
  const sorts = [
    ["issuedAt", "desc"],
    ["issuedAt", "asc"],
    ["validTo", "desc"],
    ["validTo", "asc"],
    ["licenceNumber", "desc"],
    ["licenceNumber", "asc"],
  ] as const;

  const time = async (fn: () => Promise<unknown>) => {
    await fn(); // warm-up run, not counted
    const xs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await fn();
      xs.push(performance.now() - t);
    }
    return xs;
  };

  // warm-up: new connections and cold caches make the first calls slow; they are not measured
  for (const who of [supervisor, issuer]) for (const [sort, dir] of sorts) for (let i = 0; i < 5; i++) await listLicences(who, licenceFilter.parse({ sort, dir }));

  type Result = { name: string; sort: string; matched: string; first: number[]; deep: number[] | null };
  const results: Result[] = [];
  const slow: string[] = [];
  for (const k of filters) {
    for (const [sort, dir] of sorts) {
      const label = `${k.name} | ${sort} ${dir}`;
      if (ONLY && !ONLY.test(label)) continue;
      const f = licenceFilter.parse({ ...k.f, sort, dir, pageSize: 20 });
      const page = await listLicences(k.who, f);
      const first = await time(() => listLicences(k.who, f));
      const after = await cursorAt(k.who, f, DEEP);
      const deepF = after ? { ...f, after } : null;
      const deep = deepF ? await time(() => listLicences(k.who, deepF)) : null;
      const matched = page.totalCapped ? "10,000+" : page.total.toLocaleString("en-US");
      results.push({ name: k.name, sort: `${sort} ${dir}`, matched, first, deep });
      const worst = Math.max(p95(first), deep ? p95(deep) : 0);
      console.log(`${label.padEnd(80)} ${matched.padStart(8)}  first ${ms(median(first)).padStart(5)} / ${ms(p95(first)).padStart(5)} ms  deep ${deep ? `${ms(median(deep)).padStart(5)} / ${ms(p95(deep)).padStart(5)}` : "    -"} ms${worst > GOAL_MS ? "  OVER" : ""}`);
      if (worst > GOAL_MS) {
        slow.push(label);
        if (EXPLAIN) {
          const p = await explainLicenceList(k.who, p95(first) >= (deep ? p95(deep) : 0) || !deepF ? f : deepF);
          console.log(`--- count\n${p.count}\n--- page\n${p.page}`);
        }
      }
    }
  }

  // Baseline: the same filters with OFFSET paging at the same depth and an exact COUNT(*).
  console.log(`\nbaseline: OFFSET ${DEEP} LIMIT 21 + exact COUNT(*), same filter (issue date, newest first)`);
  const baseline: { name: string; ours: number; offset: number }[] = [];
  for (const k of filters) {
    if (ONLY && !ONLY.test(`${k.name} | issuedAt desc`)) continue;
    const f = licenceFilter.parse({ ...k.f, sort: "issuedAt", dir: "desc", pageSize: 20 });
    const depts = await issuerDepartments(k.who, f.dept);
    const where = Prisma.join([depts ? Prisma.sql`l."issuerDeptId" = ANY(${depts}::uuid[])` : Prisma.sql`TRUE`, ...filterConditions(f)], " AND ");
    const offsetRun = () =>
      Promise.all([
        db().$queryRaw(Prisma.sql`SELECT count(*)::int FROM "Licence" l WHERE ${where}`),
        db().$queryRaw(Prisma.sql`SELECT l."id", l."identifier", l."licenceNumber", l."name", l."holderName", h."codeMasked", dep."name" AS "issuerName", l."issuedAt", l."validTo", l."status"::text, l."restricted"
          FROM "Licence" l JOIN "Holder" h ON h."id" = l."holderId" JOIN "Department" dep ON dep."id" = l."issuerDeptId"
          WHERE ${where} ORDER BY l."issuedAt" DESC, l."id" DESC OFFSET ${DEEP} LIMIT 21`),
      ]);
    const runs = Math.min(RUNS, 7); // the baseline is slow by design: fewer runs
    const xs: number[] = [];
    await offsetRun();
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await offsetRun();
      xs.push(performance.now() - t);
    }
    const ours = results.find((r) => r.name === k.name && r.sort === "issuedAt desc");
    const oursDeep = ours ? median(ours.deep ?? ours.first) : NaN;
    baseline.push({ name: k.name, ours: oursDeep, offset: median(xs) });
    console.log(`${k.name.padEnd(70)} OFFSET+COUNT ${ms(median(xs)).padStart(6)} ms   keyset+bounded ${ms(oursDeep).padStart(5)} ms   ${(median(xs) / oursDeep).toFixed(1)}×`);
  }

  // Markdown for the README
  const all = results.flatMap((r) => [...r.first, ...(r.deep ?? [])]);
  const lines = [
    `| filter | rows | sort | first page median / p95 (ms) | deep page median / p95 (ms) |`,
    `|---|---:|---|---:|---:|`,
    ...results.map((r) => `| ${r.name} | ${r.matched} | ${r.sort} | ${ms(median(r.first))} / ${ms(p95(r.first))} | ${r.deep ? `${ms(median(r.deep))} / ${ms(p95(r.deep))}` : "– (fewer rows)"} |`),
    ``,
    `| filter | OFFSET ${DEEP} + COUNT(*) median (ms) | keyset + bounded count median (ms) | ratio |`,
    `|---|---:|---:|---:|`,
    ...baseline.map((b) => `| ${b.name} | ${ms(b.offset)} | ${ms(b.ours)} | ${(b.offset / b.ours).toFixed(1)}× |`),
  ];
  const out = path.join(path.dirname(new URL(import.meta.url).pathname), "results.md");
  fs.writeFileSync(
    out,
    `# bench/licence-list results\n\n${new Date().toISOString()} · PostgreSQL ${version} · ${env.generated || "existing database"} · ${RUNS} runs per case after a warm-up · load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}\n\n${lines.join("\n")}\n`,
  );
  console.log(`\n${results.length} filter × sort cases, ${all.length} timed calls; slowest p95 ${ms(Math.max(...results.map((r) => Math.max(p95(r.first), r.deep ? p95(r.deep) : 0))))} ms`);
  console.log(slow.length ? `goal ≤ ${GOAL_MS} ms per page: NOT met for ${slow.length} case(s):\n  ${slow.join("\n  ")}` : `goal ≤ ${GOAL_MS} ms per page (p95, first and deep pages): met for every case`);
  console.log(`figures written to ${path.relative(process.cwd(), out)}; load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  await c.end();
  await db().$disconnect();
  await env.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
