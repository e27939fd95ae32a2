import { pageActor } from "@/lib/auth/page";
import { listIncidents } from "@/lib/licenses/incidents";
import { IncidentsPanel } from "./incidents-panel";

export default async function IncidentsPage() {
  const actor = await pageActor("licence.issue");
  const rows = await listIncidents(actor);
  return (
    <>
      <h1>应急补办登记</h1>
      <div className="card">
        <p className="muted" style={{ marginTop: 0 }}>
          因系统故障、灾害等原因不能及时签发电子证照时，登记应急事件；恢复后 3 个工作日内完成补办，补办时在签发页选择该事件。
        </p>
        <IncidentsPanel rows={rows} />
      </div>
    </>
  );
}
