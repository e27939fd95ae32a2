import { pageActor } from "@/lib/auth/page";
import { issuableTypes, openIncidents } from "@/lib/licenses/issue-queries";
import { IssueForm } from "./issue-form";

export default async function IssueLicencePage() {
  const actor = await pageActor("licence.issue");
  const [types, incidents] = await Promise.all([issuableTypes(actor), openIncidents(actor)]);
  return (
    <>
      <h1>签发电子证照</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          签发单位：{actor.departmentName}。证照签发后即以本部门绑定到该证照类型的电子印章签名，生成带二维码的版式文件。
        </p>
        <IssueForm types={types} incidents={incidents} />
      </div>
    </>
  );
}
