// Bulk conversion benchmark (L-09, issue 6): generates BENCH_ROWS valid rows of the demo 食品经营许可证
// as a CSV (or XLSX), then runs in this process, against a throwaway embedded PostgreSQL, the same
// functions the jobs run: upload, dry run (checkImport) and the confirmed run (runImport: chunks of
// 500 signed in the worker pool and committed one transaction each). Measures wall time, rows per
// second and peak RSS (sampled every 50 ms, and the kernel's VmHWM), where the run's time goes, and
// a baseline: issuing BENCH_BASELINE licences one by one through issueLicence against the bulk path
// per 1,000 rows. Goals: 100,000 rows in ≤ 60 s, peak RSS < 1 GiB.
//
//   npx tsx --conditions=react-server bench/bulk-issue/run.ts
//   (BENCH_ROWS=100000 BENCH_FORMAT=csv|xlsx BENCH_BASELINE=1000)
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
// eslint-disable-next-line no-restricted-imports -- the what-if row signs a digest taken outside sm-crypto-v2, which lib/crypto (rightly) does not offer
import { sm2 } from "sm-crypto-v2";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const FORMAT = (process.env.BENCH_FORMAT ?? "csv").toUpperCase() === "XLSX" ? "XLSX" : "CSV";
const BASELINE = Number(process.env.BENCH_BASELINE ?? 1000);
const GOAL_S = 60;
const GOAL_RSS = 1024 ** 3;

const mib = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });

/** Peak RSS of this process (main thread, signing workers and all). */
class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | undefined;
  start() {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 50);
    this.timer.unref();
  }
  stop() {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }
}
function vmHwm(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function main() {
  console.log(`certseal bulk-issue bench — ${new Date().toISOString()}`);
  console.log(`node ${process.version}, ${os.cpus().length} core(s) (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`${fmt(ROWS)} rows as ${FORMAT}; baseline ${fmt(BASELINE)} single issues\n`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), "certseal-bench-bulk-"));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: await freePort(), password: randomBytes(12).toString("hex"), quiet: true, ephemeral: true });
  try {
    await ensureDatabase(pg.adminUrl, "certseal_bench");
    const url = pg.url("certseal_bench");
    await migrate(url);
    Object.assign(process.env, { NODE_ENV: "test", DATABASE_URL: url, NEXTAUTH_SECRET: randomBytes(24).toString("hex"), CERTSEAL_KEK: randomBytes(32).toString("hex") });
    await bench();
  } finally {
    const { db } = await import("@/lib/db");
    await db().$disconnect();
    await pg.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function bench() {
  const { db } = await import("@/lib/db");
  const { ensurePlatformCa } = await import("@/lib/crypto/ca");
  const { seedDemo, seedDemoSeals, seedDemoCatalog } = await import("@/prisma/seed");
  const { actorOf } = await import("@/lib/auth/session");
  const { usccCheckChar } = await import("@/lib/validation/codes");
  const { faceFieldList } = await import("@/lib/catalog/face-fields");
  const { allHeaders } = await import("@/lib/licenses/bulk/columns");
  const { uploadImport, checkImport, confirmImport, runImport, newProfile } = await import("@/lib/licenses/bulk/service");
  const { issueLicence, loadIssueContext } = await import("@/lib/licenses/service");
  const { issueInput } = await import("@/lib/licenses/schema");
  const { encodeTbsSign, assembleSignature } = await import("@/lib/crypto/ses");

  await ensurePlatformCa();
  await seedDemo();
  await seedDemoSeals();
  await seedDemoCatalog();
  const u = await db().user.findUniqueOrThrow({ where: { username: "issuer" }, include: { department: true, roles: true } });
  const issuer = actorOf(u, { sessionId: "bench".padEnd(64, "0"), mustChangePassword: null, ip: null, userAgent: "bench" });
  const type = await db().licenceType.findFirstOrThrow({ where: { name: "食品经营许可证" } });
  const version = await db().licenceTypeVersion.findFirstOrThrow({ where: { typeId: type.id, status: "RELEASED" } });
  const fields = faceFieldList.parse(version.faceFields);
  const headers = allHeaders(fields);
  const ctx = await loadIssueContext(db(), issuer.departmentId, type.id, new Date());
  console.log(`type 食品经营许可证 (${fields.length} face fields), seal picture ${fmt(ctx.signer.picturePng.length)} bytes, seal DER ${fmt(ctx.signer.sealDer.length)} bytes`);

  // ---- the file --------------------------------------------------------------------------------
  const tag = randomBytes(3).toString("hex").toUpperCase();
  const uscc = (i: number, base = 100_000_000) => {
    const first17 = `91510100${String(base + i).padStart(9, "0")}`;
    return first17 + usccCheckChar(first17);
  };
  const rowOf = (i: number): Record<string, string> => {
    const code = uscc(i);
    const name = `四川存量测试食品经营有限公司第${i}号`;
    return {
      持证主体类别: "法人",
      持证主体代码类型: "001",
      持证主体代码: code,
      持证主体名称: name,
      联系电话: `138${String(10_000_000 + i).slice(-8)}`,
      证照编号: `JY${tag}${String(i).padStart(8, "0")}`,
      关联事项编码: "SC-SJ-0101",
      业务办结时间: `2023-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")} 10:30`,
      有效期起始日期: "",
      经营者名称: name,
      "社会信用代码（身份证号码）": code,
      "法定代表人（负责人）": "王建国",
      住所: "四川省成都市锦江区春熙路北段88号",
      经营场所: "四川省成都市锦江区春熙路北段88号附1号",
      主体业态: "餐饮服务经营者",
      经营项目: "热食类食品制售；冷食类食品制售",
      投诉举报电话: "028-12345678",
    };
  };
  let t = performance.now();
  let file: Uint8Array;
  if (FORMAT === "CSV") {
    const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const parts: string[] = [`\ufeff${headers.map(q).join(",")}\r\n`];
    for (let i = 0; i < ROWS; i++) {
      const r = rowOf(i);
      parts.push(`${headers.map((h) => q(r[h] ?? "")).join(",")}\r\n`);
    }
    file = new TextEncoder().encode(parts.join(""));
  } else {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("证照数据");
    ws.addRow(headers);
    for (let i = 0; i < ROWS; i++) {
      const r = rowOf(i);
      ws.addRow(headers.map((h) => r[h] ?? ""));
    }
    file = new Uint8Array(await wb.xlsx.writeBuffer());
  }
  console.log(`generated ${fmt(ROWS)} rows: ${mib(file.length)} ${FORMAT} in ${secs(performance.now() - t)}; RSS now ${mib(process.memoryUsage().rss)}\n`);

  // ---- the bulk path ---------------------------------------------------------------------------
  const sampler = new RssSampler();
  const local = new Date(Date.now() + 8 * 3_600_000 - 60_000).toISOString().slice(0, 16);
  sampler.start();
  const t0 = performance.now();
  const { id } = await uploadImport(issuer, { typeId: type.id, businessCompletedAt: local }, { name: `bench.${FORMAT.toLowerCase()}`, data: file }, { send: null });
  const tUpload = performance.now();
  await checkImport(id);
  const tCheck = performance.now();
  const checked = await db().licenceImport.findUniqueOrThrow({ where: { id } });
  if (checked.status !== "VALIDATED" || checked.validRows !== ROWS) throw new Error(`dry run: ${checked.status} ${checked.validRows}/${ROWS} valid, ${checked.rejectedRows} rejected, ${checked.error ?? ""}`);
  await confirmImport(issuer, id, { send: null });
  const profile = newProfile();
  const r = await runImport(id, { profile });
  const tRun = performance.now();
  const peak = sampler.stop();
  const done = await db().licenceImport.findUniqueOrThrow({ where: { id } });
  if (r.status !== "DONE" || done.createdCount !== ROWS) throw new Error(`run: ${r.status}, created ${done.createdCount}, ${done.error ?? ""}`);
  const total = tRun - t0;
  const stored = await db().$queryRaw<{ bytes: bigint }[]>`SELECT pg_total_relation_size('"Licence"') AS bytes`;

  console.log("| phase | wall time | rows/s |");
  console.log("|---|---:|---:|");
  console.log(`| upload (sniff, header, store the file) | ${secs(tUpload - t0)} | |`);
  console.log(`| dry run (stream, check, report) | ${secs(tCheck - tUpload)} | ${fmt(ROWS / ((tCheck - tUpload) / 1000))} |`);
  console.log(`| confirmed run (${profile.chunks} chunks) | ${secs(tRun - tCheck)} | ${fmt(ROWS / ((tRun - tCheck) / 1000))} |`);
  console.log(`| **total** | **${secs(total)}** | ${fmt(ROWS / (total / 1000))} |`);
  console.log(`\nconfirmed run, summed over chunks: parse ${secs(profile.parseMs)}, database check ${secs(profile.checkMs)}, prepare (numbers, canonical encoding) ${secs(profile.prepareMs)}, sign (TBS + worker pool + assemble) ${secs(profile.signMs)}, commit ${secs(profile.commitMs)}`);
  console.log(`peak RSS during the import ${mib(peak)} (sampled); VmHWM of the process ${mib(vmHwm())}; "Licence" table now ${mib(Number(stored[0].bytes))}`);
  console.log(`goal ≤ ${GOAL_S} s: ${total / 1000 <= GOAL_S ? "met" : `missed by ${secs(total - GOAL_S * 1000)} (×${(total / 1000 / GOAL_S).toFixed(1)})`}; goal RSS < 1 GiB: ${peak < GOAL_RSS ? "met" : "missed"}\n`);

  // ---- what the signing costs per licence, and what it would cost --------------------------------
  const n = 200;
  const now = new Date();
  const tbs: Uint8Array[] = [];
  t = performance.now();
  for (let i = 0; i < n; i++) tbs.push(encodeTbsSign({ sealDer: ctx.signer.sealDer, timeInfo: now, dataHash: randomBytes(32), propertyInfo: `certseal:licence:bench-${i}` }));
  const tbsMs = (performance.now() - t) / n;
  const key = sm2.generateKeyPairHex();
  const sig = sm2.doSignature(tbs[0], key.privateKey, { hash: true, publicKey: key.publicKey, userId: "1234567812345678", der: true });
  t = performance.now();
  for (let i = 0; i < n; i++) assembleSignature(tbs[i], ctx.signer.certDer, Buffer.from(sig, "hex"));
  const assembleMs = (performance.now() - t) / n;
  t = performance.now();
  for (let i = 0; i < n; i++) sm2.doSignature(tbs[i], key.privateKey, { hash: true, publicKey: key.publicKey, userId: "1234567812345678", der: true });
  const jsHashSignMs = (performance.now() - t) / n;
  const z = sm2.getZ(key.publicKey, "1234567812345678");
  t = performance.now();
  let last = "";
  for (let i = 0; i < n; i++) {
    const e = createHash("sm3").update(z).update(tbs[i]).digest();
    last = sm2.doSignature(new Uint8Array(e), key.privateKey, { hash: false, der: true });
  }
  const nativeHashSignMs = (performance.now() - t) / n;
  const same = sm2.doVerifySignature(tbs[n - 1], last, key.publicKey, { hash: true, userId: "1234567812345678", der: true });
  console.log(`per licence (TBS of ${fmt(tbs[0].length)} bytes, in this thread):`);
  console.log(`- single-licence encoders encodeTbsSign ${tbsMs.toFixed(2)} ms + assembleSignature ${assembleMs.toFixed(2)} ms (issueLicence's path; batches splice the checked seal instead)`);
  console.log(`- SM2 sign with sm-crypto-v2 hashing Z‖TBS in JavaScript: ${jsHashSignMs.toFixed(2)} ms`);
  console.log(`- SM2 sign of e = SM3(Z‖TBS) taken with Node's native SM3 (what the sign worker does): ${nativeHashSignMs.toFixed(2)} ms (verifies with hash:true → ${same})\n`);

  // ---- baseline: one issueLicence per licence ---------------------------------------------------
  if (BASELINE > 0) {
    const fieldsFace = (i: number) => {
      const r = rowOf(ROWS + 1_000_000 + i);
      return {
        holder: { category: "LEGAL_PERSON", codeType: "001", code: r.持证主体代码, name: r.持证主体名称, contact: r.联系电话 },
        face: { operator: r.经营者名称, uscc: r.持证主体代码, legalRep: r["法定代表人（负责人）"], address: r.住所, premises: r.经营场所, format: r.主体业态, items: r.经营项目, phone: r.投诉举报电话 },
      };
    };
    t = performance.now();
    for (let i = 0; i < BASELINE; i++) {
      const f = fieldsFace(i);
      await issueLicence(issuer, issueInput.parse({ typeId: type.id, holder: f.holder, matterCode: "SC-SJ-0101", businessCompletedAt: local, validFrom: "", syncMode: "OFFLINE", face: f.face }));
    }
    const single = performance.now() - t;
    const bulkPer1000 = (tRun - tCheck) / (ROWS / 1000);
    console.log(`baseline: ${fmt(BASELINE)} licences through issueLicence one by one in ${secs(single)} (${fmt(BASELINE / (single / 1000))}/s) → ${secs((single / BASELINE) * 1000)} per 1,000`);
    console.log(`bulk confirmed run: ${secs(bulkPer1000)} per 1,000 → ${(single / BASELINE / (bulkPer1000 / 1000)).toFixed(1)}× faster per licence`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
