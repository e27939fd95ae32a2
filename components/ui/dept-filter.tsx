import { t } from "@/lib/i18n/zh-CN";

/** The department filter of a query form: the visible tree, indented, "all" first. */
export function DeptFilter({ label, value, depts }: { label: string; value?: string; depts: { id: string; name: string; depth: number }[] }) {
  return (
    <label>
      {label}
      <select name="dept" defaultValue={value ?? ""}>
        <option value="">{t.common.all}</option>
        {depts.map((d) => (
          <option key={d.id} value={d.id}>
            {"　".repeat(d.depth)}
            {d.name}
          </option>
        ))}
      </select>
    </label>
  );
}
