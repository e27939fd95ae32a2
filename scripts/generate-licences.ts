// `npm run db:generate-licences -- [--count 1000000] [--label bench] [--chunked]`: a licence table at
// scale for the list page and bench/licence-list (issue 6, U-02 / L-05 at 1,000,000 rows). A million
// licences and 360,000 holders take about three minutes on this project's 2-core machine.
//
// What it makes, all named after the run label so that a second run with the same label and count
// adds nothing (a chunked run that was stopped continues where it stopped; a new label loads in one
// transaction — see below — so a stopped one leaves no licences behind):
//   - departments under the province root (or a root of their own): four cities' market-regulation,
//     transport and housing bureaus and seven county market-regulation bureaus;
//   - eight released licence types (营业执照, 食品经营许可证, 从业资格证 …) with realistic validity
//     rules, holder categories and number rules, issued by those bureaus;
//   - holders (legal persons with valid USCCs, natural persons with valid citizen ID numbers), made in
//     JavaScript because the code is kept SM4-encrypted and found by its keyed SM3 hash;
//   - the licences, set-based: one INSERT … SELECT … generate_series per 50,000 rows, with their
//     ISSUE event (and the status event of those not valid) and the pledges of restricted ones.
//     Identifiers are GB/T 36904 identifiers with a correct MOD 37,36 check character (computed in
//     SQL from lookup tables made by lib/licenses/identifier.ts's own function), licence numbers
//     follow the type's number rule, and the identifier and number counters are moved past the
//     generated values, so issuing a real licence afterwards never collides with them.
//
// GENERATED LICENCES ARE NOT SIGNED: `signature`, `signedAt` and `sealId` are NULL, and
// `canonicalSm3` is a placeholder (an MD5-based filler, not the SM3 of the canonical encoding), so
// the detail page's signature check reports them as unsigned. They exist to measure lists and
// searches, never as evidence. The script refuses to run with NODE_ENV=production.
//
// Without DATABASE_URL it uses the embedded PostgreSQL in .data/pg and the development key in
// .data/secrets.json (the portal's own), so holder-code searches on the page find generated holders.
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { mod3736 } from "@/lib/licenses/identifier";
import { maskHolderCode } from "@/lib/licenses/holder-code";
import { encryptHolderCode, holderCodeHash } from "@/lib/licenses/holders";
import { citizenIdCheckChar, usccCheckChar } from "@/lib/validation/codes";
import { typeContent } from "@/lib/catalog/schema";

export type GenerateOptions = {
  url: string;
  /** licences to have for this label when done */
  count: number;
  label: string;
  /** rows per INSERT statement */
  chunk?: number;
  log?: (line: string) => void;
  /** commit chunk by chunk with the indexes in place (slower; the table stays usable meanwhile) */
  chunked?: boolean;
  /** "today" in Asia/Shanghai (YYYY-MM-DD); statuses follow it (expired before it) */
  today?: string;
};

export type GenerateResult = { label: string; licences: number; created: number; holders: number; typeIds: string[]; deptIds: string[]; seconds: number };

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ISSUE_SPAN_DAYS = 3650; // issue dates over the ten years before today (yesterday at the latest), more of them recent
const md5 = (s: string) => createHash("md5").update(s).digest("hex");
/** A version-4-shaped UUID from md5(s), for the label's departments and types. */
const uuidOf = (s: string) => {
  const m = md5(s);
  const h = `${m.slice(0, 12)}4${m.slice(13, 16)}8${m.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
/**
 * Licences, holders and pledges get sequential ids under a prefix of the label (their primary-key
 * indexes then grow at the end instead of at random places, which makes the load several times
 * faster); JavaScript and SQL make the same ones.
 */
const seqId = (seed: string, kind: number, n: number) => `${md5(seed).slice(0, 8)}-${String(kind).padStart(4, "0")}-4000-8000-${n.toString(16).padStart(12, "0")}`;
const seqIdSql = (kind: string, n: string) => `(substr(md5($1), 1, 8) || '-' || lpad((${kind})::text, 4, '0') || '-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;
const LICENCE_ID = 1, HOLDER_ID = 2, PLEDGE_ID = 4; // holders: 2 (legal persons) and 3 (natural persons)
const intOf = (s: string, digits: number) => Number(BigInt(`0x${md5(s).slice(0, 12)}`) % BigInt(10 ** digits));

// ---- the world --------------------------------------------------------------------------------

type City = { key: string; name: string; area: string; weight: number; counties: { key: string; name: string; area: string }[] };
const CITIES: City[] = [
  { key: "cd", name: "成都市", area: "510100", weight: 5, counties: [{ key: "jj", name: "锦江区", area: "510104" }, { key: "qy", name: "青羊区", area: "510105" }, { key: "wh", name: "武侯区", area: "510107" }] },
  { key: "my", name: "绵阳市", area: "510700", weight: 2, counties: [{ key: "fc", name: "涪城区", area: "510703" }, { key: "yx", name: "游仙区", area: "510704" }] },
  { key: "zg", name: "自贡市", area: "510300", weight: 1, counties: [{ key: "zlj", name: "自流井区", area: "510302" }] },
  { key: "nc", name: "南充市", area: "511300", weight: 2, counties: [{ key: "sq", name: "顺庆区", area: "511302" }] },
];
const BUREAUS = { market: "市场监督管理局", transport: "交通运输局", housing: "住房和城乡建设局" } as const;
type Bureau = keyof typeof BUREAUS;

type DeptPlan = { key: string; parentKey: string | null; name: string; area: string; level: "CITY" | "COUNTY"; bureau: Bureau; weight: number; areaName: string };

function deptPlans(): DeptPlan[] {
  const out: DeptPlan[] = [];
  for (const c of CITIES) {
    for (const b of Object.keys(BUREAUS) as Bureau[]) out.push({ key: `${c.key}-${b}`, parentKey: null, name: `${c.name}${BUREAUS[b]}`, area: c.area, level: "CITY", bureau: b, weight: c.weight * 2, areaName: c.name });
    for (const k of c.counties) out.push({ key: `${c.key}-${k.key}-market`, parentKey: `${c.key}-market`, name: `${c.name}${k.name}${BUREAUS.market}`, area: k.area, level: "COUNTY", bureau: "market", weight: c.weight, areaName: `${c.name}${k.name}` });
  }
  return out;
}

type TypePlan = {
  name: string;
  bureau: Bureau;
  /** share of the licences, in percent (all add up to 100) */
  weight: number;
  pool: 0 | 1;
  years: number; // 0: permanent (长期)
  prefix: string;
  category: "LICENCE" | "CERTIFICATE";
  authority: string;
  legalBasis: string;
  faceKind: "BUSINESS" | "PERSON";
};
const TYPES: TypePlan[] = [
  { name: "营业执照", bureau: "market", weight: 22, pool: 0, years: 0, prefix: "", category: "LICENCE", authority: "国家市场监督管理总局", legalBasis: "《中华人民共和国市场主体登记管理条例》第二十一条", faceKind: "BUSINESS" },
  { name: "食品经营许可证", bureau: "market", weight: 20, pool: 0, years: 5, prefix: "JY", category: "CERTIFICATE", authority: "国家市场监督管理总局", legalBasis: "《中华人民共和国食品安全法》第三十五条", faceKind: "BUSINESS" },
  { name: "药品经营许可证", bureau: "market", weight: 6, pool: 0, years: 5, prefix: "川AA", category: "CERTIFICATE", authority: "国家药品监督管理局", legalBasis: "《中华人民共和国药品管理法》第五十一条", faceKind: "BUSINESS" },
  { name: "个体工商户营业执照", bureau: "market", weight: 10, pool: 1, years: 0, prefix: "GT", category: "LICENCE", authority: "国家市场监督管理总局", legalBasis: "《促进个体工商户发展条例》第九条", faceKind: "PERSON" },
  { name: "道路运输经营许可证", bureau: "transport", weight: 8, pool: 0, years: 4, prefix: "川交运管许可", category: "LICENCE", authority: "中华人民共和国交通运输部", legalBasis: "《中华人民共和国道路运输条例》第二十四条", faceKind: "BUSINESS" },
  { name: "道路运输从业人员从业资格证", bureau: "transport", weight: 14, pool: 1, years: 6, prefix: "CY", category: "CERTIFICATE", authority: "中华人民共和国交通运输部", legalBasis: "《道路运输从业人员管理规定》第六条", faceKind: "PERSON" },
  { name: "建筑施工企业安全生产许可证", bureau: "housing", weight: 6, pool: 0, years: 3, prefix: "川JZ安许证字", category: "LICENCE", authority: "中华人民共和国住房和城乡建设部", legalBasis: "《安全生产许可证条例》第二条", faceKind: "BUSINESS" },
  { name: "建筑施工特种作业操作资格证书", bureau: "housing", weight: 14, pool: 1, years: 2, prefix: "川TZ", category: "CERTIFICATE", authority: "中华人民共和国住房和城乡建设部", legalBasis: "《建筑施工特种作业人员管理规定》第四条", faceKind: "PERSON" },
];

const FACE_FIELDS = {
  BUSINESS: [
    { key: "name", label: "名称", type: "TEXT", required: true, sensitive: false, maxLength: 100 },
    { key: "address", label: "住所", type: "ADDRESS", required: true, sensitive: false },
    { key: "scope", label: "经营范围（许可项目）", type: "TEXT", required: false, sensitive: false, maxLength: 500 },
  ],
  PERSON: [
    { key: "name", label: "姓名", type: "TEXT", required: true, sensitive: false, maxLength: 50 },
    { key: "address", label: "住址", type: "ADDRESS", required: true, sensitive: true },
    { key: "scope", label: "类别（经营范围）", type: "TEXT", required: false, sensitive: false, maxLength: 500 },
  ],
} as const;

// ---- holders ------------------------------------------------------------------------------------

const TRADE_NAMES = "锦程 蜀都 天府 宏达 鑫源 恒信 华美 金桥 同创 众诚 巴蜀 嘉禾 顺达 瑞丰 兴旺 长虹 博远 安泰 德隆 和盛 盛世 佳禾 新希 汇通 卓越 优品 福源 永安 万家 绿源 川味 蓉城 青城 峨眉 岷江 锦华 泰和 康宁 美嘉 启航".split(" ");
const INDUSTRIES = "餐饮管理 商贸 食品 药房 物流 运输 建筑工程 建设 超市 酒店管理 农业开发 科技 医药 劳务 装饰工程 汽车服务 家政服务 文化传媒 茶业 火锅".split(" ");
const SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "有限公司", "店"];
const SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 傅 钟 姜 崔 谭 廖 范 汪 陆".split(" ");
const GIVEN = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 兰 萍 鹏 辉 林 建 国 志 文 海 红 燕 春 晓 云 波 斌 宇 浩 凯 琳 雪 梅 婷 慧 欣 怡 鑫 宏 成 荣 新 俊 峰 蓉 川 蜀".split(" ");
const ROADS = "人民南路 红星路 春熙路 蜀都大道 天府大道 剑南大道 临江路 滨江路 解放路 建设路 长征路 科创路".split(" ");

/** Surnames by frequency: earlier ones are more common (the first few cover most people). */
function pickSurname(r: number): string {
  const x = Math.floor(SURNAMES.length * (r / 1e6) ** 2.2);
  return SURNAMES[Math.min(x, SURNAMES.length - 1)];
}

type HolderRow = { id: string; category: string; codeType: string; codeHash: string; codeEnc: Uint8Array; codeMasked: string; name: string };

/** The code and name of holder `seq` of a pool (0: legal persons, 1: natural persons), from the seed alone. */
function identityOf(seed: string, slot: number, pool: 0 | 1, seq: number): { code: string; name: string } {
  const h = md5(`${seed}:hv:${pool}:${seq}`);
  const r = (i: number) => parseInt(h.slice(i * 5, i * 5 + 5), 16) % 1_000_000;
  const city = CITIES[r(0) % CITIES.length];
  const county = city.counties[r(1) % city.counties.length];
  if (pool === 0) {
    // 91 + area + 3 digits of the label + 6 of the sequence: unique per label
    const first17 = `91${county.area}${String(slot).padStart(3, "0")}${String(seq).padStart(6, "0")}`;
    const cityShort = city.name.replace(/市$/, "");
    return { code: first17 + usccCheckChar(first17), name: `${cityShort}${TRADE_NAMES[r(2) % TRADE_NAMES.length]}${INDUSTRIES[r(3) % INDUSTRIES.length]}${SUFFIXES[r(4) % SUFFIXES.length]}` };
  }
  const day = seq % 18000; // birth dates 1955-01-01 … 2004-04
  const birth = new Date(Date.UTC(1955, 0, 1) + day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
  const order = Math.floor(seq / 18000) * 17 + (slot % 17);
  const first17 = `${county.area}${birth}${String(order).padStart(3, "0")}`;
  const given = r(3) % 3 === 0 ? GIVEN[r(4) % GIVEN.length] : GIVEN[r(4) % GIVEN.length] + GIVEN[r(5) % GIVEN.length];
  return { code: first17 + citizenIdCheckChar(first17), name: pickSurname(r(2)) + given };
}

function holderOf(seed: string, slot: number, pool: 0 | 1, seq: number): HolderRow {
  const { code, name } = identityOf(seed, slot, pool, seq);
  return {
    id: seqId(seed, HOLDER_ID + pool, seq),
    category: pool === 0 ? "LEGAL_PERSON" : "NATURAL_PERSON",
    codeType: pool === 0 ? "001" : "111",
    codeHash: holderCodeHash(code),
    codeEnc: encryptHolderCode(code),
    codeMasked: maskHolderCode(code),
    name,
  };
}

/** The full code and name of a generated holder (tests and the bench search by exact code and name). */
export function generatedHolder(label: string, pool: 0 | 1, seq: number): { code: string; name: string } {
  return identityOf(seedOf(label), slotOf(label), pool, seq);
}

const seedOf = (label: string) => `certseal-gen:${label}`;
const slotOf = (label: string) => intOf(`slot:${label}`, 3);

// ---- MOD 37,36 in SQL ----------------------------------------------------------------------------

/** p after one character (ISO/IEC 7064 hybrid system, as in lib/licenses/identifier.ts). */
function step(p: number, ch: string): number {
  let s = (p + ALPHABET.indexOf(ch)) % 36;
  if (s === 0) s = 36;
  return (s * 2) % 37;
}
const stateAfter = (p: number, text: string) => [...text].reduce(step, p);

/**
 * Lookup tables for the check character of "<type code><issuer code><serial: 12 digits>001":
 * the state after the first two parts is computed here per type and department, `pairs[(p-1)*100+n]`
 * is the state after the two digits n from state p, and `finals[p-1]` the check character after "001".
 * Cross-checked against mod3736 itself before use.
 */
function checkTables() {
  const pairs: number[] = [];
  for (let p = 1; p <= 36; p++) for (let n = 0; n < 100; n++) pairs.push(stateAfter(p, String(n).padStart(2, "0")));
  const finals: string[] = [];
  for (let p = 1; p <= 36; p++) {
    const q = stateAfter(p, "001");
    finals.push(ALPHABET[(37 - q) % 36]);
  }
  return { pairs, finals };
}

function sqlCheck(p0: string, year: string, seq: string): string {
  const chunks = [`(${year}) / 100`, `(${year}) % 100`, `(${seq}) / 1000000`, `((${seq}) / 10000) % 100`, `((${seq}) / 100) % 100`, `(${seq}) % 100`];
  let p = p0;
  for (const c of chunks) p = `($6::int[])[((${p}) - 1) * 100 + ${c} + 1]`;
  return `($7::text[])[${p}]`;
}

// ---- run ----------------------------------------------------------------------------------------

export async function generateLicences(opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const label = opts.label;
  if (!/^[a-z0-9-]{1,20}$/.test(label)) throw new Error("the label must be 1–20 characters of a–z, 0–9 and -");
  if (!Number.isInteger(opts.count) || opts.count < 100 || opts.count > 10_000_000) throw new Error("count must be an integer from 100 to 10,000,000");
  const chunk = opts.chunk ?? 50_000;
  const seed = seedOf(label);
  const slot = slotOf(label);
  const today = opts.today ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  try {
    await client.query("SET synchronous_commit = off");
    // Foreign keys hold by construction (every id below is one just made or looked up); skipping their
    // per-row checks during the load needs a superuser, as the embedded database's owner is.
    const replica = await client.query("SET session_replication_role = replica").then(() => true, () => false);
    if (!replica) log("(not a superuser: foreign keys are checked row by row, which is slower)");
    await client.query("SET TIME ZONE 'UTC'");
    // -- departments
    const root = await client.query<{ id: string; path: string }>(`SELECT "id", "path" FROM "Department" WHERE "parentId" IS NULL AND "level" = 'PROVINCE' ORDER BY "createdAt" LIMIT 1`);
    let rootRow = root.rows[0];
    if (!rootRow) {
      const id = uuidOf(`${seed}:root`);
      await client.query(
        `INSERT INTO "Department" ("id", "parentId", "path", "name", "uscc", "areaCode", "level", "kind", "updatedAt") VALUES ($1, NULL, $2, $3, $4, '510000', 'PROVINCE', 'AGENCY', now()) ON CONFLICT ("id") DO NOTHING`,
        [id, `/${id}/`, `四川省人民政府（生成数据 ${label}）`, govUscc(`${seed}:root`, "510000")],
      );
      rootRow = { id, path: `/${id}/` };
    }
    const plans = deptPlans();
    const depts = new Map<string, { id: string; path: string; uscc: string; name: string; plan: DeptPlan }>();
    for (const p of plans) {
      const id = uuidOf(`${seed}:d:${p.key}`);
      const parent = p.parentKey ? depts.get(p.parentKey)! : rootRow;
      const deptPath = `${parent.path}${id}/`;
      const uscc = govUscc(`${seed}:d:${p.key}`, p.area);
      const name = `${p.name}（生成数据 ${label}）`;
      await client.query(
        `INSERT INTO "Department" ("id", "parentId", "path", "name", "uscc", "areaCode", "level", "kind", "isIssuing", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'AGENCY', true, now()) ON CONFLICT ("id") DO NOTHING`,
        [id, parent.id, deptPath, name, uscc, p.area, p.level],
      );
      depts.set(p.key, { id, path: deptPath, uscc, name, plan: p });
    }
    // -- types, released
    const authorityCode = (name: string) => {
      const first17 = `111000000${String(intOf(`${seed}:auth:${name}`, 8)).padStart(8, "0")}`;
      return first17 + usccCheckChar(first17);
    };
    const types: { t: number; id: string; versionId: string; typeCode: string; plan: TypePlan; depts: string[] }[] = [];
    for (const [t, plan] of TYPES.entries()) {
      const issuing = plans.filter((p) => p.bureau === plan.bureau).map((p) => p.key);
      const code = authorityCode(plan.authority);
      const typeCode = `${authorityCode(`${plan.authority}:${slot}`).slice(0, 18)}${String(t + 1).padStart(3, "0")}`;
      const content = typeContent.parse({
        name: plan.name,
        definingAuthority: plan.authority,
        definingAuthorityCode: code,
        category: plan.category,
        holderCategories: [plan.pool === 0 ? "LEGAL_PERSON" : "NATURAL_PERSON"],
        holderCodeTypes: [plan.pool === 0 ? "001" : "111"],
        validity: plan.years ? { kind: "YEARS", n: plan.years } : { kind: "PERMANENT" },
        legalBasis: plan.legalBasis,
        matters: [],
        sharing: "UNCONDITIONAL",
        sharingConditions: "",
        publicity: plan.pool === 0,
        issuingDeptIds: issuing.map((k) => depts.get(k)!.id),
        sealIds: [],
        numberRule: `${plan.prefix}{area}{year}{seq:7}`,
        allowMultiple: false,
        faceFields: FACE_FIELDS[plan.faceKind],
        faceLayout: plan.faceKind === "BUSINESS" ? "LANDSCAPE_LICENCE" : "CARD",
      });
      const id = uuidOf(`${seed}:t:${t}`);
      const versionId = uuidOf(`${seed}:tv:${t}`);
      const owner = depts.get(`cd-${plan.bureau}`)!.id;
      await client.query(
        `INSERT INTO "LicenceType" ("id", "typeCode", "name", "ownerDeptId", "releasedVersion", "latestVersion", "updatedAt")
         VALUES ($1, $2, $3, $4, 1, 1, now()) ON CONFLICT ("id") DO NOTHING`,
        [id, typeCode, `${content.name}`, owner],
      );
      await client.query(
        `INSERT INTO "LicenceTypeVersion" ("id", "typeId", "number", "status", "name", "definingAuthority", "definingAuthorityCode", "category", "holderCategories",
           "holderCodeTypes", "validity", "legalBasis", "matters", "sharing", "sharingConditions", "publicity", "issuingDeptIds", "sealIds", "numberRule",
           "allowMultiple", "faceFields", "faceLayout", "submittedAt", "reviewedAt", "reviewComment", "releasedAt", "updatedAt")
         VALUES ($1, $2, 1, 'RELEASED', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, now(), now(), '生成数据', now(), now())
         ON CONFLICT ("id") DO NOTHING`,
        [
          versionId, id, content.name, content.definingAuthority, content.definingAuthorityCode, content.category, content.holderCategories, content.holderCodeTypes,
          JSON.stringify(content.validity), content.legalBasis, JSON.stringify(content.matters), content.sharing, content.sharingConditions || null, content.publicity,
          content.issuingDeptIds, content.sealIds, content.numberRule, content.allowMultiple, JSON.stringify(content.faceFields), content.faceLayout,
        ],
      );
      // departments chosen by weight: repeat each as often as its weight
      const weighted = issuing.flatMap((k) => Array.from({ length: depts.get(k)!.plan.weight }, () => k));
      types.push({ t, id, versionId, typeCode, plan, depts: weighted });
    }

    // -- holders: each type uses its pool through a permutation, so no holder has two licences of one
    // type (the one-live rule holds whatever the statuses); a pool is as large as its largest type.
    const blocks = Math.ceil(opts.count / 100);
    const poolSize = [0, 1].map((pool) => {
      const need = Math.max(...TYPES.filter((x) => x.pool === pool).map((x) => x.weight * blocks));
      return need % 7919 === 0 ? need + 1 : need; // coprime with the permutation's multiplier
    });
    // holder pools depend on the count: a label continues only with the count it was started with
    const resumed = !!(await client.query(`SELECT 1 FROM "Licence" WHERE "id" = $1`, [seqId(seed, LICENCE_ID, 0)])).rowCount;
    if (resumed) {
      for (const pool of [0, 1] as const) {
        const has = async (seq: number) => (await client.query(`SELECT 1 FROM "Holder" WHERE "id" = $1`, [seqId(seed, HOLDER_ID + pool, seq)])).rowCount;
        if (!(await has(poolSize[pool] - 1)) || (await has(poolSize[pool]))) throw new Error(`label "${label}" was generated with another --count; use that count again, or another label`);
      }
    }
    let holders = 0;
    for (const pool of [0, 1] as const) {
      const batch = 5000;
      for (let lo = 0; lo < poolSize[pool]; lo += batch) {
        const hi = Math.min(lo + batch, poolSize[pool]);
        // batches commit whole: one whose last row exists is done (a stopped run resumes here)
        if ((await client.query(`SELECT 1 FROM "Holder" WHERE "id" = $1`, [seqId(seed, HOLDER_ID + pool, hi - 1)])).rowCount) continue;
        const rows: HolderRow[] = [];
        for (let s = lo; s < hi; s++) rows.push(holderOf(seed, slot, pool, s));
        const ins = await client.query(
          `INSERT INTO "Holder" ("id", "category", "codeType", "codeHash", "codeEnc", "codeMasked", "name", "updatedAt")
           SELECT u.id, u.category, u.code_type, u.code_hash, u.code_enc, u.code_masked, u.name, now()
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[]) AS u(id, category, code_type, code_hash, code_enc, code_masked, name)
           ON CONFLICT DO NOTHING`,
          [rows.map((r) => r.id), rows.map((r) => r.category), rows.map((r) => r.codeType), rows.map((r) => r.codeHash), rows.map((r) => Buffer.from(r.codeEnc)), rows.map((r) => r.codeMasked), rows.map((r) => r.name)],
        );
        if (ins.rowCount !== rows.length) {
          const have = (await client.query(`SELECT count(*)::int AS n FROM "Holder" WHERE "id" = ANY($1::uuid[])`, [rows.map((r) => r.id)])).rows[0].n as number;
          if (have !== rows.length) throw new Error(`holder codes of label "${label}" collide with existing holders; choose another label`);
        }
        if ((lo / batch) % 20 === 0) log(`holders: ${pool === 0 ? "legal persons" : "natural persons"} ${hi.toLocaleString("en-US")} / ${poolSize[pool].toLocaleString("en-US")}`);
      }
      holders += poolSize[pool];
    }
    log(`holders: ${holders.toLocaleString("en-US")} ready`);

    // -- lookup tables for the licence statement (session-local)
    const { pairs, finals } = checkTables();
    // cross-check the SQL tables against the real function on a few identifiers
    for (const [typeCode, uscc, serial] of [[types[0].typeCode, depts.get("cd-market")!.uscc, "201900000001"], [types[5].typeCode, depts.get("nc-transport")!.uscc, "202512345678"]]) {
      const p = stateAfter(stateAfter(36, typeCode + uscc), serial);
      if (finals[p - 1] !== mod3736(`${typeCode}${uscc}${serial}001`)) throw new Error("check-character tables disagree with mod3736");
    }
    await client.query(`DROP TABLE IF EXISTS pg_temp.gen_type, pg_temp.gen_type_dept, pg_temp.gen_bucket`);
    await client.query(`CREATE TEMP TABLE gen_type (t int PRIMARY KEY, id uuid, version_id uuid, type_code text, name text, years int, pool int, code_type text, prefix text, first_bucket int, weight int, ndept int, face_kind text, pool_size bigint)`);
    await client.query(`CREATE TEMP TABLE gen_type_dept (t int, k int, dept_id uuid, uscc text, area text, area_name text, p0 int, dept_name text, PRIMARY KEY (t, k))`);
    await client.query(`CREATE TEMP TABLE gen_bucket (bucket int PRIMARY KEY, t int)`);
    let bucket = 0;
    for (const ty of types) {
      await client.query(`INSERT INTO gen_type VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, [
        ty.t, ty.id, ty.versionId, ty.typeCode, ty.plan.name, ty.plan.years, ty.plan.pool, ty.plan.pool === 0 ? "001" : "111", ty.plan.prefix, bucket, ty.plan.weight, ty.depts.length, ty.plan.faceKind, poolSize[ty.plan.pool],
      ]);
      for (let b = 0; b < ty.plan.weight; b++) await client.query(`INSERT INTO gen_bucket VALUES ($1, $2)`, [bucket + b, ty.t]);
      bucket += ty.plan.weight;
      for (const [k, key] of ty.depts.entries()) {
        const d = depts.get(key)!;
        await client.query(`INSERT INTO gen_type_dept VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [ty.t, k, d.id, d.uscc, d.plan.area, d.plan.areaName, stateAfter(36, ty.typeCode + d.uscc), d.name]);
      }
    }
    if (bucket !== 100) throw new Error("type weights must add up to 100");
    await client.query(`ANALYZE gen_type, gen_type_dept, gen_bucket`);

    // -- licences, one statement per chunk. A new label loads in one transaction with the table's
    // secondary indexes dropped and rebuilt at the end (several times faster than maintaining them
    // row by row; other sessions wait for the table meanwhile, and a failure leaves nothing behind).
    // `chunked` (or continuing a label) commits chunk by chunk and resumes at the first missing one.
    const bulk = !resumed && !opts.chunked;
    let created = 0;
    let rebuild: { name: string; def: string }[] = [];
    if (bulk) {
      await client.query("BEGIN");
      await client.query("SET LOCAL maintenance_work_mem = '256MB'");
      rebuild = (
        await client.query<{ name: string; def: string }>(
          `SELECT ic.relname AS name, pg_get_indexdef(x.indexrelid) AS def
             FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
            WHERE x.indrelid = '"Licence"'::regclass AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
        )
      ).rows;
      for (const i of rebuild) await client.query(`DROP INDEX ${pg.escapeIdentifier(i.name)}`);
      log(`licences: ${rebuild.length} indexes of "Licence" set aside until the load is done`);
    }
    try {
      for (let lo = 0; lo < opts.count; lo += chunk) {
        const hi = Math.min(lo + chunk, opts.count);
        if (!bulk && (await client.query(`SELECT 1 FROM "Licence" WHERE "id" = $1`, [seqId(seed, LICENCE_ID, hi - 1)])).rowCount) continue;
        const t0 = performance.now();
        const r = await client.query(licenceSql(), [seed, lo, hi, today, ISSUE_SPAN_DAYS, pairs, finals]);
        created += r.rowCount ?? 0;
        log(`licences: ${hi.toLocaleString("en-US")} / ${opts.count.toLocaleString("en-US")} (${Math.round((performance.now() - t0) / 100) / 10} s for ${(hi - lo).toLocaleString("en-US")})`);
      }
      if (bulk) {
        for (const i of rebuild) {
          const t0 = performance.now();
          await client.query(i.def);
          log(`index ${i.name} rebuilt (${Math.round((performance.now() - t0) / 100) / 10} s)`);
        }
        await client.query("COMMIT");
      }
    } catch (e) {
      if (bulk) await client.query("ROLLBACK").catch(() => {});
      throw e;
    }

    // -- counters past the generated serials and numbers (lib/licenses/counters.ts scopes)
    await client.query(`
      INSERT INTO "LicenceCounter" ("scope", "value")
      SELECT 'serial:' || l."typeCode" || ':' || l."issuerCode" || ':' || left(l."serial", 4), max(substr(l."serial", 5)::bigint)
        FROM "Licence" l WHERE l."typeId" = ANY($1::uuid[]) GROUP BY 1
      ON CONFLICT ("scope") DO UPDATE SET "value" = GREATEST("LicenceCounter"."value", EXCLUDED."value")`, [types.map((x) => x.id)]);
    await client.query(`
      INSERT INTO "LicenceCounter" ("scope", "value")
      SELECT 'number:' || l."typeId" || ':' || left(l."licenceNumber", length(l."licenceNumber") - 7) || '#7', max(right(l."licenceNumber", 7)::bigint)
        FROM "Licence" l WHERE l."typeId" = ANY($1::uuid[]) GROUP BY 1
      ON CONFLICT ("scope") DO UPDATE SET "value" = GREATEST("LicenceCounter"."value", EXCLUDED."value")`, [types.map((x) => x.id)]);
    await client.query(`ANALYZE "Licence"`);
    await client.query(`ANALYZE "Holder"`);
    const total = Number((await client.query(`SELECT count(*)::int AS n FROM "Licence" WHERE "typeId" = ANY($1::uuid[])`, [types.map((x) => x.id)])).rows[0].n);
    if (total !== opts.count) throw new Error(`label "${label}" has ${total} licences, expected ${opts.count}`);
    return { label, licences: total, created, holders, typeIds: types.map((x) => x.id), deptIds: [...depts.values()].map((d) => d.id), seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

function govUscc(key: string, area: string): string {
  const first17 = `11${area}${String(intOf(key, 9)).padStart(9, "0")}`;
  return first17 + usccCheckChar(first17);
}

/**
 * One chunk of licences [$2, $3) for seed $1, "today" $4 and an issue span of $5 days ($6, $7: the
 * check-character tables, as parameters so that each lookup is O(1) on an array in memory). Every value
 * comes from md5(seed:l:i), so a row is the same in every run; ids too, hence ON CONFLICT DO NOTHING.
 */
function licenceSql(): string {
  const vf = `(v.issued_at + interval '8 hours')::date`;
  return `
WITH g AS MATERIALIZED (
  SELECT i, md5($1 || ':l:' || i) AS m FROM generate_series($2::bigint, $3::bigint - 1) AS i
), r AS MATERIALIZED (
  SELECT g.i, tt.*,
         (g.i / 100) * tt.weight + (g.i % 100 - tt.first_bucket) AS it,
         ('x' || substr(g.m, 1, 8))::bit(32)::bigint AS h1,
         ('x' || substr(g.m, 9, 8))::bit(32)::bigint AS h2,
         ('x' || substr(g.m, 17, 8))::bit(32)::bigint AS h3,
         ('x' || substr(g.m, 25, 8))::bit(32)::bigint AS h4
    FROM g JOIN gen_bucket b ON b.bucket = (g.i % 100)::int JOIN gen_type tt ON tt.t = b.t
), s AS MATERIALIZED (
  SELECT r.*, d.dept_id, d.uscc, d.area, d.area_name, d.p0, d.dept_name,
         ((($4::date - 1 - floor($5::float8 * power(r.h2::float8 / 4294967296.0::float8, 1.6::float8))::int)::timestamp
            + make_interval(secs => 30600 + r.h3 % 34200) + (r.h3 % 997) * interval '1 millisecond' - interval '8 hours') AT TIME ZONE 'UTC') AS issued_at,
         (r.it * 7919 + r.t * 104729) % r.pool_size AS hseq
    FROM r JOIN gen_type_dept d ON d.t = r.t AND d.k = (r.h1 % r.ndept)::int
), v AS MATERIALIZED (
  SELECT s.*, h."id" AS holder_id, h."codeHash" AS code_hash, h."name" AS holder_name
    FROM s JOIN "Holder" h ON h."id" = ${seqIdSql(`${HOLDER_ID} + s.pool`, "s.hseq")}
), w AS MATERIALIZED (
  SELECT v.*, ${vf} AS valid_from,
         CASE WHEN v.years = 0 THEN NULL
              WHEN extract(day FROM ${vf} + make_interval(years => v.years)) <> extract(day FROM ${vf}) THEN (${vf} + make_interval(years => v.years))::date
              ELSE (${vf} + make_interval(years => v.years))::date - 1 END AS valid_to,
         extract(year FROM ${vf})::int AS yr,
         v.it + 1 AS seq
    FROM v
), x AS MATERIALIZED (
  SELECT w.*,
         CASE WHEN w.valid_to < $4::date THEN (CASE WHEN w.h4 % 100 < 85 THEN 'EXPIRED' WHEN w.h4 % 100 < 95 THEN 'CANCELLED' ELSE 'ANNULLED' END)
              ELSE (CASE WHEN w.h4 % 100 < 90 THEN 'VALID' WHEN w.h4 % 100 < 92 THEN 'SUSPENDED' WHEN w.h4 % 100 < 94 THEN 'REVOKED' WHEN w.h4 % 100 < 97 THEN 'CANCELLED' ELSE 'ANNULLED' END)
         END::"LicenceStatus" AS status,
         w.yr::text || lpad(w.seq::text, 8, '0') AS serial,
         ${sqlCheck("w.p0", "w.yr", "w.seq")} AS check_char
    FROM w
), ins AS (
  INSERT INTO "Licence" ("id", "identifier", "licenceNumber", "serial", "version", "typeId", "typeVersionId", "typeCode", "name", "issuerDeptId", "originalIssuerDeptId",
    "issuerCode", "issuerName", "areaCode", "holderId", "holderCodeType", "holderCodeHash", "holderName", "face", "status", "exclusive", "restricted", "issuedAt", "validFrom", "validTo",
    "businessCompletedAt", "syncMode", "syncedAt", "syncDelayDays", "syncDueAt", "origin", "canonicalSm3", "verifyCode", "statusReason", "statusChangedAt", "updatedAt")
  SELECT ${seqIdSql(String(LICENCE_ID), "x.i")},
         '1.2.156.3005.2.' || x.type_code || '.' || x.uscc || '.' || x.serial || '.001.' || x.check_char,
         x.prefix || x.area || x.yr::text || lpad(x.seq::text, 7, '0'),
         x.serial, 1, x.id, x.version_id, x.type_code, x.name, x.dept_id, x.dept_id, x.uscc, x.dept_name, x.area, x.holder_id, x.code_type, x.code_hash, x.holder_name,
         jsonb_build_object('name', x.holder_name,
                            'address', x.area_name || (ARRAY[${ROADS.map((r) => `'${r}'`).join(", ")}])[1 + x.h3 % ${ROADS.length}] || (1 + x.h1 % 300) || '号',
                            'scope', CASE WHEN x.face_kind = 'BUSINESS' THEN '许可项目：' || x.name || '所列项目' ELSE '道路运输、建筑施工相关作业' END),
         x.status, true,
         x.status = 'VALID' AND x.h4 / 100 % 200 = 0,
         x.issued_at, x.valid_from, x.valid_to,
         x.issued_at - make_interval(secs => x.h2 % 3600), CASE WHEN x.h1 / 7 % 50 = 0 THEN 'OFFLINE' ELSE 'ONLINE' END, x.issued_at, 0,
         ((x.valid_from + 1)::timestamp - interval '8 hours') AT TIME ZONE 'UTC' - interval '1 millisecond',
         'ISSUE',
         md5(x.i::text || $1) || md5($1 || x.i::text),
         upper(substr(translate(md5($1 || ':vc:' || x.i), '01', 'XY'), 1, 8)),
         CASE x.status WHEN 'VALID' THEN NULL WHEN 'EXPIRED' THEN 'EXPIRED' WHEN 'SUSPENDED' THEN 'INVESTIGATION' WHEN 'REVOKED' THEN 'VIOLATION' WHEN 'CANCELLED' THEN 'HOLDER_REQUEST' ELSE 'ISSUED_IN_ERROR' END,
         CASE WHEN x.status = 'VALID' THEN NULL
              WHEN x.status = 'EXPIRED' THEN ((x.valid_to + 1)::timestamp + interval '1 hour' - interval '8 hours') AT TIME ZONE 'UTC'
              ELSE LEAST(x.issued_at + make_interval(days => 1 + (x.h2 % 900)::int), now()) END,
         now()
    FROM x
  ON CONFLICT DO NOTHING
  RETURNING "id", "status", "restricted", "issuedAt", "statusChangedAt", "statusReason", "issuerDeptId", "validTo"
), ev AS (
  INSERT INTO "LicenceEvent" ("licenceId", "kind", "fromStatus", "toStatus", "reasonCode", "reasonText", "actorName", "deptId", "data", "at")
  SELECT ins."id", 'ISSUE', NULL::"LicenceStatus", 'VALID'::"LicenceStatus", NULL, NULL, '生成数据', ins."issuerDeptId", '{"generated":true}'::jsonb, ins."issuedAt" FROM ins
  UNION ALL
  SELECT ins."id",
         CASE ins."status" WHEN 'EXPIRED' THEN 'EXPIRE' WHEN 'SUSPENDED' THEN 'SUSPEND' WHEN 'REVOKED' THEN 'REVOKE' WHEN 'CANCELLED' THEN 'CANCEL' ELSE 'ANNUL' END,
         'VALID'::"LicenceStatus", ins."status", ins."statusReason", '生成数据', CASE WHEN ins."status" = 'EXPIRED' THEN '系统' ELSE '生成数据' END, ins."issuerDeptId", '{"generated":true}'::jsonb, ins."statusChangedAt"
    FROM ins WHERE ins."status" <> 'VALID'
  RETURNING 1
), rs AS (
  INSERT INTO "LicenceRestriction" ("id", "licenceId", "kind", "pledgee", "startsOn", "endsOn", "note")
  SELECT ${seqIdSql(String(PLEDGE_ID), `('x' || right(ins."id"::text, 12))::bit(48)::bigint`)}, ins."id", 'PLEDGE', '中国农业银行股份有限公司四川省分行', (ins."issuedAt" + interval '8 hours')::date + 30,
         GREATEST((ins."issuedAt" + interval '8 hours')::date + 30, COALESCE(ins."validTo", (ins."issuedAt" + interval '8 hours')::date + 3650)), '生成数据'
    FROM ins WHERE ins."restricted"
  RETURNING 1
)
SELECT 1 FROM ins`;
}

// ---- command line -------------------------------------------------------------------------------

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  if (process.env.NODE_ENV === "production") throw new Error("generate-licences makes unsigned test licences; it does not run with NODE_ENV=production");
  const count = Number(arg("count") ?? 1_000_000);
  const label = arg("label") ?? "bench";
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const { localSecrets } = await import("@/lib/db/secrets");
    const { ensureDatabase, startEmbeddedPostgres } = await import("@/lib/db/embedded");
    const s = localSecrets(path.resolve(".data"));
    const pgs = await startEmbeddedPostgres({ dataDir: path.resolve(".data/pg"), port: Number(process.env.CERTSEAL_PG_PORT ?? 54329), password: s.PG_PASSWORD, quiet: true });
    await ensureDatabase(pgs.adminUrl, "certseal");
    url = pgs.url("certseal");
    stop = pgs.stop;
    process.env.CERTSEAL_KEK ??= s.CERTSEAL_KEK;
    process.env.NEXTAUTH_SECRET ??= s.NEXTAUTH_SECRET;
  }
  process.env.DATABASE_URL ??= url;
  if (!process.env.CERTSEAL_KEK) throw new Error("CERTSEAL_KEK must be set (holder codes are hashed and encrypted with the portal's key)");
  const { migrate } = await import("@/lib/db/migrate");
  await migrate(url);
  const r = await generateLicences({ url, count, label, chunked: process.argv.includes("--chunked"), log: (l) => console.log(l) });
  console.log(`label "${r.label}": ${r.licences.toLocaleString("en-US")} licences (${r.created.toLocaleString("en-US")} new), ${r.holders.toLocaleString("en-US")} holders, ${r.seconds.toFixed(1)} s`);
  console.log("generated licences are NOT signed (signature NULL, canonicalSm3 a placeholder): they are for lists and searches only");
  await stop();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
