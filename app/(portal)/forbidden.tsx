// What a page refused with forbidden() shows (HTTP 403), inside the portal's frame and menu.
import { t } from "@/lib/i18n/zh-CN";

export default function Forbidden() {
  return (
    <div className="card">
      <h1>403</h1>
      <p>{t.errors.forbidden}</p>
    </div>
  );
}
