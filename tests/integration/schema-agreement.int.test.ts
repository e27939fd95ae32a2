// prisma/schema.prisma and the database migrated by prisma/migrations must agree (issue 2):
// every model ↔ table, scalar field ↔ column (type, nullability, default), enum, primary key,
// unique, index and foreign key. `prisma migrate diff` cannot run offline here, so this test
// reads the schema with Prisma's own parser (prisma-schema-wasm) and the database's catalog.
// Each check collects every difference and fails with the whole list.
import fs from "node:fs";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl } from "../helpers/db";

// ---- the Prisma side -------------------------------------------------------------------------

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
};
type DmmfModel = {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: { name: string | null; fields: string[] }[];
};
type DmmfIndex = { model: string; type: "id" | "unique" | "normal" | "fulltext"; dbName?: string | null; fields: { name: string }[] };
type DmmfEnum = { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] };
type Datamodel = { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };

const schemaPath = path.resolve("prisma/schema.prisma");
const dm: Datamodel = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: fs.readFileSync(schemaPath, "utf8") }))).datamodel;

const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const modelByName = new Map(dm.models.map((m) => [m.name, m]));
const enumByName = new Map(dm.enums.map((e) => [e.name, e]));
const columnOf = (m: DmmfModel, fieldName: string) => {
  const f = m.fields.find((x) => x.name === fieldName);
  if (!f) throw new Error(`${m.name} has no field ${fieldName}`);
  return f.dbName ?? f.name;
};
const scalarFields = (m: DmmfModel) => m.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");

/** The PostgreSQL type Prisma's migrations create for a field, written as pgType() writes it. */
function expectedType(f: DmmfField): string {
  const enumType = f.kind === "enum" ? enumByName.get(f.type)!.dbName ?? f.type : null;
  let base: string;
  if (enumType) base = `enum ${enumType}`;
  else {
    const [native, args] = f.nativeType ?? [null, []];
    const n = args.join(",");
    switch (native ?? `default:${f.type}`) {
      case "default:String":
      case "Text":
        base = "text";
        break;
      case "VarChar":
        base = n ? `character varying(${n})` : "character varying";
        break;
      case "Char":
        base = `character(${n || 1})`;
        break;
      case "Uuid":
        base = "uuid";
        break;
      case "default:Int":
      case "Integer":
        base = "integer";
        break;
      case "SmallInt":
        base = "smallint";
        break;
      case "default:BigInt":
      case "BigInt":
        base = "bigint";
        break;
      case "default:Boolean":
      case "Boolean":
        base = "boolean";
        break;
      case "default:DateTime":
        base = "timestamp without time zone(3)";
        break;
      case "Timestamp":
        base = `timestamp without time zone(${n || 6})`;
        break;
      case "Timestamptz":
        base = `timestamp with time zone(${n || 6})`;
        break;
      case "Date":
        base = "date";
        break;
      case "default:Json":
      case "JsonB":
        base = "jsonb";
        break;
      case "Json":
        base = "json";
        break;
      case "default:Float":
      case "DoublePrecision":
        base = "double precision";
        break;
      case "default:Decimal":
        base = "numeric(65,30)";
        break;
      case "Decimal":
        base = `numeric(${n})`;
        break;
      case "default:Bytes":
      case "ByteA":
        base = "bytea";
        break;
      case "Inet":
        base = "inet";
        break;
      default:
        throw new Error(`schema-agreement: no mapping for ${f.type} @db.${native}(${n}); add it to expectedType()`);
    }
  }
  return f.isList ? `${base}[]` : base;
}

/** The column default Prisma's migrations create, as information_schema shows it (null: none). */
function expectedDefault(f: DmmfField): string | RegExp | null {
  if (!f.hasDefaultValue || f.default === undefined) return null;
  const d = f.default as { name?: string; args?: (string | number)[] } | string | number | boolean;
  if (typeof d === "object") {
    if (d.name === "autoincrement") return /^nextval\('.+'::regclass\)$/;
    if (d.name === "now") return "CURRENT_TIMESTAMP";
    if (d.name === "dbgenerated") return String(d.args?.[0] ?? "");
    return null; // uuid(), cuid(), nanoid(): generated by the client, no database default
  }
  if (f.kind === "enum") return `'${d}'::"${enumByName.get(f.type)!.dbName ?? f.type}"`;
  if (typeof d === "boolean" || typeof d === "number") return String(d);
  // DMMF gives BigInt and Decimal defaults as strings; their migrations write them as numbers.
  if (typeof d === "string" && (f.type === "BigInt" || f.type === "Decimal")) return d;
  if (typeof d === "string") return new RegExp(`^'${d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}'::`);
  return null;
}

const PG_ACTIONS: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };
// Prisma's defaults when a relation does not say: onDelete Restrict (required) / SetNull (optional), onUpdate Cascade.
const onDeleteOf = (f: DmmfField, fromFields: DmmfField[]) =>
  f.relationOnDelete ?? (fromFields.every((x) => !x.isRequired) ? "SetNull" : "Restrict");
const onUpdateOf = (f: DmmfField) => f.relationOnUpdate ?? "Cascade";

/** Prisma's default constraint names, limited to PostgreSQL's 63 bytes. */
const pgName = (s: string) => s.slice(0, 63);

// ---- the database side -----------------------------------------------------------------------

type Column = { table: string; column: string; type: string; nullable: boolean; default: string | null };
type Constraint = { table: string; name: string; columns: string[] };
type Index = Constraint & { unique: boolean; primary: boolean; partial: boolean; expression: boolean };
type ForeignKey = Constraint & { refTable: string; refColumns: string[]; onDelete: string; onUpdate: string };

let client: pg.Client;
let tables: string[];
let columns: Column[];
let enums: Map<string, string[]>;
let primaryKeys: Constraint[];
let indexes: Index[];
let foreignKeys: ForeignKey[];

function pgType(r: { data_type: string; udt_name: string; formatted: string; character_maximum_length: number | null; datetime_precision: number | null; numeric_precision: number | null; numeric_scale: number | null }): string {
  switch (r.data_type) {
    case "character varying":
      return r.character_maximum_length ? `character varying(${r.character_maximum_length})` : "character varying";
    case "character":
      return `character(${r.character_maximum_length})`;
    case "timestamp with time zone":
    case "timestamp without time zone":
      return `${r.data_type}(${r.datetime_precision})`;
    case "numeric":
      return r.numeric_precision ? `numeric(${r.numeric_precision},${r.numeric_scale})` : "numeric";
    case "USER-DEFINED":
      return `enum ${r.udt_name}`;
    case "ARRAY":
      // information_schema drops the element's length (varchar(20)[] reads as varchar[]); format_type keeps it
      return r.formatted;
    default:
      return r.data_type;
  }
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  const q = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows;

  tables = (await q<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).map((r) => r.t);

  columns = (
    await q<{ table_name: string; column_name: string; is_nullable: string; column_default: string | null; data_type: string; udt_name: string; formatted: string; character_maximum_length: number | null; datetime_precision: number | null; numeric_precision: number | null; numeric_scale: number | null }>(
      `SELECT table_name, column_name, is_nullable, column_default, data_type, udt_name, character_maximum_length,
              datetime_precision, numeric_precision, numeric_scale,
              (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                WHERE a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name) AS formatted
         FROM information_schema.columns c WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    )
  ).map((r) => ({ table: r.table_name, column: r.column_name, type: pgType(r), nullable: r.is_nullable === "YES", default: r.column_default }));

  enums = new Map();
  for (const r of await q<{ name: string; value: string }>(
    `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' ORDER BY t.typname, e.enumsortorder`,
  ))
    enums.set(r.name, [...(enums.get(r.name) ?? []), r.value]);

  // Column lists in key order, for constraints and indexes alike.
  const cols = (rel: string, arr: string) =>
    `ARRAY(SELECT a.attname::text FROM unnest(${arr}) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.attnum ORDER BY k.ord)`;

  primaryKeys = await q<Constraint>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, ${cols("c.conrelid", "c.conkey")} AS columns
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype = 'p'`,
  );
  indexes = await q<Index>(
    `SELECT i.indrelid::regclass::text AS table, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
            i.indpred IS NOT NULL AS partial,
            -- an expression, or a column under another collation than its own (COLLATE "C" for prefix search)
            (0 = ANY(i.indkey::int2[]) OR EXISTS (
               SELECT 1 FROM unnest(i.indcollation::oid[], i.indkey::int2[]) AS k(coll, attnum)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE k.coll <> 0 AND k.coll <> a.attcollation)) AS expression,
            ${cols("i.indrelid", "(i.indkey::int2[])[0:i.indnkeyatts - 1]")} AS columns
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE n.nspname = 'public'`,
  );
  foreignKeys = await q<ForeignKey>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, ${cols("c.conrelid", "c.conkey")} AS columns,
            c.confrelid::regclass::text AS "refTable", ${cols("c.confrelid", "c.confkey")} AS "refColumns",
            c.confdeltype AS "onDelete", c.confupdtype AS "onUpdate"
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype = 'f'`,
  );
  // regclass::text quotes mixed-case names ("User"); compare bare names.
  const bare = (s: string) => s.replace(/^"(.*)"$/, "$1");
  for (const x of [...primaryKeys, ...indexes, ...foreignKeys]) x.table = bare(x.table);
  for (const f of foreignKeys) {
    f.refTable = bare(f.refTable);
    f.onDelete = PG_ACTIONS[f.onDelete];
    f.onUpdate = PG_ACTIONS[f.onUpdate];
  }
});

afterAll(async () => {
  await client?.end();
});

const APP_TABLES = () => tables.filter((t) => t !== "_prisma_migrations");
const key = (cols: string[]) => cols.join(", ");

// ---- the checks ------------------------------------------------------------------------------

describe("schema.prisma ↔ migrated database", () => {
  it("reads a non-trivial schema", () => {
    expect(dm.models.length).toBeGreaterThanOrEqual(10);
    expect(dm.enums.length).toBeGreaterThanOrEqual(5);
  });

  it("has one table per model and no other table except _prisma_migrations", () => {
    const problems: string[] = [];
    const expected = dm.models.map(tableOf);
    for (const t of expected) if (!tables.includes(t)) problems.push(`model table "${t}" is missing from the database`);
    for (const t of APP_TABLES()) if (!expected.includes(t)) problems.push(`table "${t}" is in the database but not in schema.prisma`);
    if (!tables.includes("_prisma_migrations")) problems.push(`table "_prisma_migrations" is missing`);
    expect(problems).toEqual([]);
  });

  it("has one column per scalar field, with the same type, nullability and default, and no other column", () => {
    const problems: string[] = [];
    for (const m of dm.models) {
      const table = tableOf(m);
      const dbCols = columns.filter((c) => c.table === table);
      if (!dbCols.length) continue; // reported by the table check
      const fields = scalarFields(m);
      for (const f of fields) {
        const name = f.dbName ?? f.name;
        const c = dbCols.find((x) => x.column === name);
        const where = `${table}.${name}`;
        if (!c) {
          problems.push(`${where}: column missing (field ${m.name}.${f.name})`);
          continue;
        }
        const type = expectedType(f);
        if (c.type !== type) problems.push(`${where}: type is ${c.type}, schema.prisma says ${type}`);
        const nullable = !f.isRequired;
        if (c.nullable !== nullable) problems.push(`${where}: ${c.nullable ? "NULL" : "NOT NULL"} in the database, ${nullable ? "optional" : "required"} in schema.prisma`);
        const def = expectedDefault(f);
        const ok = def === null ? c.default === null : typeof def === "string" ? c.default === def : def.test(c.default ?? "");
        if (!ok) problems.push(`${where}: default is ${c.default ?? "none"}, schema.prisma implies ${def ?? "none"}`);
      }
      for (const c of dbCols)
        if (!fields.some((f) => (f.dbName ?? f.name) === c.column)) problems.push(`${table}.${c.column}: column is not in schema.prisma`);
    }
    expect(problems).toEqual([]);
  });

  it("has the same enums with the same values in the same order", () => {
    const problems: string[] = [];
    for (const e of dm.enums) {
      const name = e.dbName ?? e.name;
      const values = e.values.map((v) => v.dbName ?? v.name);
      const db = enums.get(name);
      if (!db) problems.push(`enum ${name} is missing from the database`);
      else if (key(db) !== key(values)) problems.push(`enum ${name}: database has [${key(db)}], schema.prisma has [${key(values)}]`);
    }
    for (const name of enums.keys())
      if (!dm.enums.some((e) => (e.dbName ?? e.name) === name)) problems.push(`enum ${name} is in the database but not in schema.prisma`);
    expect(problems).toEqual([]);
  });

  it("has the same primary keys", () => {
    const problems: string[] = [];
    for (const m of dm.models) {
      const table = tableOf(m);
      const fields = m.primaryKey?.fields ?? m.fields.filter((f) => f.isId).map((f) => f.name);
      const expected = fields.map((f) => columnOf(m, f));
      const pk = primaryKeys.find((p) => p.table === table);
      if (!pk) problems.push(`${table}: no primary key, schema.prisma has (${key(expected)})`);
      else {
        if (key(pk.columns) !== key(expected)) problems.push(`${table}: primary key is (${key(pk.columns)}), schema.prisma has (${key(expected)})`);
        const name = m.primaryKey?.name ?? pgName(`${table}_pkey`);
        if (pk.name !== name) problems.push(`${table}: primary key is named ${pk.name}, Prisma expects ${name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("has a unique index on exactly the columns of every @unique and @@unique, and no other", () => {
    const problems: string[] = [];
    for (const m of dm.models) {
      const table = tableOf(m);
      // Field-level @unique, @@unique and the index list describe the same constraints: merge them.
      const wanted = new Map<string, string | null>();
      for (const f of m.fields.filter((x) => x.isUnique)) wanted.set(key([columnOf(m, f.name)]), null);
      for (const u of m.uniqueFields) if (!wanted.has(key(u.map((f) => columnOf(m, f))))) wanted.set(key(u.map((f) => columnOf(m, f))), null);
      for (const i of dm.indexes.filter((x) => x.model === m.name && x.type === "unique"))
        wanted.set(key(i.fields.map((f) => columnOf(m, f.name))), i.dbName ?? null);

      const dbUnique = indexes.filter((i) => i.table === table && i.unique && !i.primary && !i.partial && !i.expression);
      for (const [cols, dbName] of wanted) {
        const found = dbUnique.find((i) => key(i.columns) === cols);
        if (!found) {
          problems.push(`${table}: no unique index on (${cols})`);
          continue;
        }
        const name = dbName ?? pgName(`${table}_${cols.split(", ").join("_")}_key`);
        if (found.name !== name) problems.push(`${table}: unique index on (${cols}) is named ${found.name}, Prisma expects ${name}`);
      }
      // Partial, expression and collated indexes cannot be written in schema.prisma; any other unique index must be.
      for (const i of dbUnique)
        if (!wanted.has(key(i.columns))) problems.push(`${table}: unique index ${i.name} on (${key(i.columns)}) is not in schema.prisma`);
    }
    expect(problems).toEqual([]);
  });

  it("has an index on exactly the columns of every @@index, and no other plain index", () => {
    const problems: string[] = [];
    for (const m of dm.models) {
      const table = tableOf(m);
      const wanted = dm.indexes
        .filter((x) => x.model === m.name && x.type === "normal")
        .map((i) => ({ cols: key(i.fields.map((f) => columnOf(m, f.name))), name: i.dbName ?? null }));
      const dbPlain = indexes.filter((i) => i.table === table && !i.unique && !i.primary && !i.partial && !i.expression);
      for (const w of wanted) {
        const found = dbPlain.find((i) => key(i.columns) === w.cols);
        if (!found) {
          problems.push(`${table}: no index on (${w.cols})`);
          continue;
        }
        const name = w.name ?? pgName(`${table}_${w.cols.split(", ").join("_")}_idx`);
        if (found.name !== name) problems.push(`${table}: index on (${w.cols}) is named ${found.name}, Prisma expects ${name}`);
      }
      for (const i of dbPlain)
        if (!wanted.some((w) => w.cols === key(i.columns))) problems.push(`${table}: index ${i.name} on (${key(i.columns)}) is not in schema.prisma`);
    }
    expect(problems).toEqual([]);
  });

  it("has a foreign key for every relation, with the right columns, target and referential actions, and no other", () => {
    const problems: string[] = [];
    const wanted: ForeignKey[] = [];
    for (const m of dm.models)
      for (const f of m.fields.filter((x) => x.kind === "object" && x.relationFromFields?.length)) {
        const target = modelByName.get(f.type)!;
        const fromFields = f.relationFromFields!.map((n) => m.fields.find((x) => x.name === n)!);
        const columnsFrom = f.relationFromFields!.map((n) => columnOf(m, n));
        wanted.push({
          table: tableOf(m),
          name: pgName(`${tableOf(m)}_${columnsFrom.join("_")}_fkey`),
          columns: columnsFrom,
          refTable: tableOf(target),
          refColumns: f.relationToFields!.map((n) => columnOf(target, n)),
          onDelete: onDeleteOf(f, fromFields),
          onUpdate: onUpdateOf(f),
        });
      }
    const describeFk = (k: ForeignKey) =>
      `${k.table}(${key(k.columns)}) → ${k.refTable}(${key(k.refColumns)}) ON DELETE ${k.onDelete} ON UPDATE ${k.onUpdate} [${k.name}]`;
    const dbSet = new Set(foreignKeys.map(describeFk));
    const wantedSet = new Set(wanted.map(describeFk));
    for (const w of wantedSet) if (!dbSet.has(w)) problems.push(`missing in the database: ${w}`);
    for (const d of dbSet) if (!wantedSet.has(d)) problems.push(`not in schema.prisma: ${d}`);
    expect(problems).toEqual([]);
  });
});
