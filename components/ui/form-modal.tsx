"use client";
import { Modal } from "@/components/ui/modal";
import { t } from "@/lib/i18n/zh-CN";

/** A dialog holding one form: the server's error on top, the fieldset disabled while submitting. */
export function FormModal(p: {
  title: string;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  busyLabel?: string;
  danger?: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: React.ReactNode;
}) {
  return (
    <Modal title={p.title} onClose={p.onClose}>
      <form onSubmit={p.onSubmit} noValidate>
        {p.error && <div className="alert error" role="alert">{p.error}</div>}
        <fieldset disabled={p.busy} style={{ border: 0, padding: 0, margin: 0 }}>
          {p.children}
          <div className="foot">
            <button className="btn" type="button" onClick={p.onClose}>{t.common.cancel}</button>
            <button className={`btn ${p.danger ? "danger" : "primary"}`} type="submit">{p.busy ? (p.busyLabel ?? "正在处理…") : p.submitLabel}</button>
          </div>
        </fieldset>
      </form>
    </Modal>
  );
}
