"use client";
import { useState } from "react";
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
  onSubmit: (e?: React.BaseSyntheticEvent) => void;
  onClose: () => void;
  children: React.ReactNode;
}) {
  // the refusal above the form answers the last submit: it goes once the user edits a field (the
  // field's own message, if any, stays with the field) and comes back with the next submit's answer
  const [edited, setEdited] = useState(false);
  return (
    <Modal title={p.title} onClose={p.onClose}>
      <form
        onSubmit={(e) => {
          setEdited(false);
          p.onSubmit(e);
        }}
        onChangeCapture={() => setEdited(true)}
        noValidate
      >
        {p.error && !edited && <div className="alert error" role="alert">{p.error}</div>}
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
