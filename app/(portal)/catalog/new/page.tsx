import { pageActor } from "@/lib/auth/page";
import { typeFormOptions } from "@/lib/catalog/queries";
import type { ContentIn } from "../_editor/types";
import { TypeEditor } from "../_editor/type-editor";

export default async function NewTypePage() {
  const actor = await pageActor("catalog.manage");
  const options = await typeFormOptions(actor);
  const owner = options.owners.find((d) => d.id === actor.departmentId)?.id ?? options.owners[0]?.id ?? "";
  const content: ContentIn = {
    name: "",
    definingAuthority: "",
    definingAuthorityCode: "",
    category: "CERTIFICATE",
    holderCategories: [],
    holderCodeTypes: [],
    validity: { kind: "YEARS", n: 5 },
    legalBasis: "",
    matters: [],
    sharing: "UNCONDITIONAL",
    sharingConditions: "",
    publicity: false,
    issuingDeptIds: options.issuing.some((d) => d.id === actor.departmentId) ? [actor.departmentId] : [],
    sealIds: [],
    numberRule: "{area}{year}{seq:6}",
    allowMultiple: false,
    faceFields: [{ key: "holderName", label: "持证主体名称", type: "TEXT", required: true, sensitive: false, maxLength: 100 }],
    faceLayout: "PORTRAIT_CERT",
  };
  return (
    <>
      <h1>新建证照类型</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>新建的证照类型为草稿，提交审核并由管理部门的目录管理员发布后，才能用于签发证照。</p>
        <TypeEditor
          mode="create"
          typeId=""
          rev={0}
          typeCode=""
          ownerDeptId={owner}
          ownerDeptName=""
          content={content}
          options={options}
          names={{ depts: {}, seals: {} }}
          state="new"
          latestNumber={0}
          can={{ edit: true, submit: false, review: false, retire: false }}
          licenceCount={0}
          canPreview
          initialTab="basic"
          extraTabs={[]}
        />
      </div>
    </>
  );
}
