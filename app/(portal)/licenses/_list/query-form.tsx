"use client";
// The query form over the licence table (RuoYi style). Every filter goes into the URL except the
// holder code: that box has no name, so it is never submitted with the form; on 查询 it is posted
// to a server action that answers with the code's keyed hash, and only the hash (?h=) enters the
// URL. Without JavaScript the form still works as a plain GET form, minus the code search.
import { useRef, useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { DeptFilter } from "@/components/ui/dept-filter";
import { t } from "@/lib/i18n/zh-CN";
import { LICENCE_ORIGIN_FILTERS, LICENCE_STATUSES, LICENCE_SYNC_FILTERS, type LicenceFilter } from "@/lib/licenses/list-schema";
import { holderCodeFilterAction } from "./actions";

type Values = Pick<LicenceFilter, "type" | "status" | "dept" | "name" | "issuedFrom" | "issuedTo" | "expiresFrom" | "expiresTo" | "restricted" | "sync" | "late" | "origin">;
const FIELDS = ["type", "status", "dept", "name", "issuedFrom", "issuedTo", "expiresFrom", "expiresTo", "restricted", "objection", "sync", "late", "origin"] as const satisfies readonly (keyof LicenceFilter)[];
/** What the form keeps from the URL when it is submitted: the table's order and page size. */
const KEEP = ["sort", "dir", "pageSize"] as const;

export function LicenceQueryForm({
  types,
  depts,
  values,
  holderHash,
}: {
  types: { id: string; name: string; typeCode: string }[];
  depts: { id: string; name: string; depth: number }[];
  values: Values;
  holderHash: string | null;
}) {
  const router = useRouter();
  const path = usePathname();
  const sp = useSearchParams();
  const code = useRef<HTMLInputElement>(null);
  const [hash, setHash] = useState(holderHash);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    start(async () => {
      setError(null);
      let h = hash;
      const typed = code.current?.value.trim() ?? "";
      if (typed) {
        const r = await holderCodeFilterAction({ code: typed });
        if (!r.ok) {
          setError(r.fieldErrors?.code ?? r.error);
          return;
        }
        h = r.data.h;
        setHash(h);
        if (code.current) code.current.value = "";
      }
      const next = new URLSearchParams();
      for (const k of FIELDS) {
        const raw = fd.get(k);
        const v = typeof raw === "string" ? raw.trim() : "";
        if (v) next.set(k, v);
      }
      if (h) next.set("h", h);
      for (const k of KEEP) {
        const v = sp.get(k);
        if (v) next.set(k, v);
      }
      router.push(`${path}?${next.toString()}`);
    });
  }

  return (
    <form className="query" method="get" role="search" onSubmit={onSubmit} data-testid="licence-query">
      <label>
        证照类型
        <select name="type" defaultValue={values.type ?? ""}>
          <option value="">{t.common.all}</option>
          {types.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        状态
        <select name="status" defaultValue={values.status ?? ""}>
          <option value="">{t.common.all}</option>
          {LICENCE_STATUSES.map((s) => (
            <option key={s.code} value={s.code}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <DeptFilter label="发证部门（含下级）" value={values.dept} depts={depts} />
      <label>
        持证主体代码
        <span style={{ display: "flex", gap: 4, alignItems: "center" }}>
          {/* no name: the code is never part of the URL; a password box is not echoed or remembered */}
          <input
            ref={code}
            type="password"
            autoComplete="off"
            maxLength={40}
            placeholder={hash ? "已按代码筛选，可输入新的代码" : "完整的统一社会信用代码或身份证号"}
            aria-label="持证主体代码（精确匹配）"
            data-testid="holder-code"
          />
          {hash && (
            <>
              <input type="hidden" name="h" value={hash} />
              <button type="button" className="btn link" onClick={() => setHash(null)} title="清除持证主体代码条件">
                清除
              </button>
            </>
          )}
        </span>
        {error && (
          <span className="err" role="alert" style={{ color: "var(--danger)", fontSize: 12 }}>
            {error}
          </span>
        )}
      </label>
      <label>
        持证主体名称
        <input name="name" defaultValue={values.name ?? ""} maxLength={50} placeholder="名称开头的文字" />
      </label>
      <label>
        发证日期自
        <input type="date" name="issuedFrom" defaultValue={values.issuedFrom ?? ""} />
      </label>
      <label>
        至
        <input type="date" name="issuedTo" defaultValue={values.issuedTo ?? ""} />
      </label>
      <label>
        有效期至（到期日）自
        <input type="date" name="expiresFrom" defaultValue={values.expiresFrom ?? ""} title="长期有效的证照没有到期日，不在到期日范围内" />
      </label>
      <label>
        至
        <input type="date" name="expiresTo" defaultValue={values.expiresTo ?? ""} title="长期有效的证照没有到期日，不在到期日范围内" />
      </label>
      <label>
        质押
        <select name="restricted" defaultValue={values.restricted ?? ""}>
          <option value="">{t.common.all}</option>
          <option value="yes">已质押</option>
          <option value="no">未质押</option>
        </select>
      </label>
      <label>
        汇聚方式
        <select name="sync" defaultValue={values.sync ?? ""} data-testid="sync-filter">
          <option value="">{t.common.all}</option>
          {LICENCE_SYNC_FILTERS.map((s) => (
            <option key={s.code} value={s.code}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        来源
        <select name="origin" defaultValue={values.origin ?? ""} data-testid="origin-filter">
          <option value="">{t.common.all}</option>
          {LICENCE_ORIGIN_FILTERS.map((s) => (
            <option key={s.code} value={s.code}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label style={{ flexDirection: "row", alignItems: "center", gap: 6, paddingBottom: 7 }} title="同步汇聚时间晚于规定时限（实时即时、离线 1 个工作日、批量 5 个工作日）">
        <input type="checkbox" name="late" value="1" defaultChecked={values.late === "1"} data-testid="late-filter" />
        只看超时汇聚
      </label>
      <label style={{ flexDirection: "row", alignItems: "center", gap: 6, paddingBottom: 7 }}>
        {/* read from the URL: the page passes the other values, this one follows the address */}
        <input type="checkbox" name="objection" value="1" defaultChecked={sp.get("objection") === "1"} data-testid="objection-filter" />
        只看异议中
      </label>
      <button className="btn primary" type="submit" disabled={pending}>
        {pending ? "查询中…" : t.common.search}
      </button>
      <Link className="btn" href="/licenses">
        {t.common.reset}
      </Link>
    </form>
  );
}
