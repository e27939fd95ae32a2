// The licence page's objection strip (O-01, O-02): while the licence is under objection (a marked,
// unresolved one) a red 异议中 notice; links to the open objections the viewer may read; and, for a
// using department whose use list has the type, the 提出异议 button. Renders nothing otherwise.
import Link from "next/link";
import type { Actor } from "@/lib/auth/session";
import { hasPermission } from "@/lib/auth/permissions";
import { deptObjectionForm, openObjectionsOf } from "@/lib/objections/queries";
import { OBJECTION_STATUS_LABELS } from "@/lib/objections/schema";
import { ObjectionButton } from "./objection-form";

export async function ObjectionPanel({ actor, licenceId, openObjections }: { actor: Actor; licenceId: string; openObjections: number }) {
  const [open, form] = await Promise.all([
    openObjectionsOf(actor, licenceId),
    hasPermission(actor, "licence.use") ? deptObjectionForm(actor, licenceId).catch(() => null) : Promise.resolve(null),
  ]);
  if (openObjections <= 0 && open.length === 0 && !form?.allowed) return null;
  const tone = openObjections > 0 ? "alert error" : open.length > 0 ? "alert warn" : "toolbar";
  return (
    <div className={tone} role="status" data-testid="licence-objections" style={{ display: "flex", gap: 12, alignItems: "center", flexWrap: "wrap" }}>
      {openObjections > 0 ? <span>异议中：该证照的信息已被提出异议并经发证部门标注，正在核实处理。</span> : open.length > 0 ? <span>该证照有待标注的异议。</span> : <span>对该证照的信息有异议？</span>}
      {open.map((o) => (
        <Link key={o.id} href={`/objections/${o.id}`} className="mono">
          {o.number}（{OBJECTION_STATUS_LABELS[o.status]}）
        </Link>
      ))}
      {form?.allowed && <ObjectionButton licence={form.licence} fields={form.fields} />}
    </div>
  );
}
