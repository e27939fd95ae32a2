import Link from "next/link";
import { pageActor } from "@/lib/auth/page";
import { departmentOptions } from "@/lib/departments/queries";
import { MATERIAL_MAX_BYTES, MATERIAL_MAX_FILES } from "@/lib/seals/schema";
import { ApplyForm } from "./apply-form";

export default async function SealApplyPage() {
  const actor = await pageActor("seal.apply");
  const depts = await departmentOptions(actor, "seal.apply");
  return (
    <>
      <h1>申请电子印章</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          提交后由印章制作单位（公安机关）受理审核；审核通过后制作电子印章并在 24 小时内备案。证明材料须为 PDF 或 PNG/JPEG 图片，最多 {MATERIAL_MAX_FILES} 个，每个不超过{" "}
          {MATERIAL_MAX_BYTES / 1048576} MB。
        </p>
        {depts.length === 0 ? (
          <div className="alert warn">您没有可申请印章的部门。</div>
        ) : (
          <ApplyForm departments={depts.map((d) => ({ id: d.id, name: d.name, depth: d.depth, disabled: d.status !== "ACTIVE" }))} />
        )}
        <p>
          <Link href="/seals">返回印章列表</Link>
        </p>
      </div>
    </>
  );
}
