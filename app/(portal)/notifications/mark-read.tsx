"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { markReadAction } from "./actions";

export function MarkReadButton({ ids, label }: { ids: "all" | string[]; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      className="btn link"
      type="button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await markReadAction({ ids });
        setBusy(false);
        router.refresh();
      }}
    >
      {label}
    </button>
  );
}
