// 监督报告 (V-04): choose a monthly or annual report for the supervisor's region (or one
// department of it) and download it as XLSX or PDF; a seal applicant of the management department
// files the PDF for sealing through seal-use approval (S-10 … S-12).
import { pageActor } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/permissions";
import { shanghaiDate } from "@/lib/calendar/working-days";
import { addMonths, shanghaiMonth } from "@/lib/supervision/dashboard/schema";
import { REFRESH_EVERY_MINUTES } from "@/lib/supervision/dashboard/refresh";
import { reportRegionOptions } from "@/lib/supervision/reports/options";
import { ReportForm } from "./report-form";

export default async function ReportsPage() {
  const actor = await pageActor("supervision.read");
  const regions = await reportRegionOptions(actor);
  const current = shanghaiMonth(new Date());
  return (
    <>
      <h1>监督报告</h1>
      <div className="card">
        <ReportForm
          regions={regions}
          defaultMonth={addMonths(current, -1)}
          maxMonth={current}
          currentYear={Number(current.slice(0, 4))}
          canApplySeal={hasPermission(actor, "seal.apply")}
          today={shanghaiDate(new Date())}
          defaultValidUntil={shanghaiDate(new Date(Date.now() + 7 * 86_400_000))}
        />
      </div>
      <div className="card report-help">
        <h2>报告内容</h2>
        <ul>
          <li>概览：本期签发与存量汇聚证照、汇聚及时率、异议受理与按时标注/办结率、当前超期异议、数据质量问题、印章与用印、用证与核验次数。</li>
          <li>部门排名：汇聚及时率、数据完整率、异议按时办理率与综合得分，附计算公式。</li>
          <li>证照汇聚（按月、按部门、按汇聚方式）、异议处理、数据质量、印章与用印、用证核验的明细。</li>
          <li>整改通知：本期下达的整改通知及其状态、反馈与办结时间、是否超期；随机抽查：本期完成的抽查及各部门合格率。</li>
        </ul>
        <p className="muted">
          XLSX 每部分一张工作表；PDF 为 A4 版式，含按月签发、异议按时办结率和综合得分图表，末页右下角留有盖章位置。
          报告加盖管理部门的电子印章与其他文件一样须经用印审批：管理部门的用印申请人点击「申请加盖电子印章」，报告 PDF 即作为用印文件提交审批，审批通过后由保管人盖章，盖章后的报告在该用印申请页下载，记入用印登记，可在「签章验证」页核验。
          统计数据取自每 {REFRESH_EVERY_MINUTES} 分钟更新一次的汇总表，报告中注明其更新时间。
        </p>
      </div>
    </>
  );
}
