import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { listDepartments } from "@/lib/departments/queries";
import { DepartmentsView } from "./departments-view";
import { t } from "@/lib/i18n/zh-CN";

export default async function DepartmentsPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  const actor = await pageActor("dept.read");
  const [nodes, sp] = await Promise.all([listDepartments(actor, "dept.read"), searchParams]);
  const manageable = hasPermission(actor, "dept.manage") ? new Set((await listDepartments(actor, "dept.manage")).map((d) => d.id)) : new Set<string>();
  return (
    <>
      <h1>{t.nav.departments}</h1>
      <DepartmentsView nodes={nodes} selectedId={sp.id ?? null} manageable={[...manageable]} />
    </>
  );
}
