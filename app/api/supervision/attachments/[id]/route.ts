// A rectification response's attachment (V-02), for the order's department's responders and for
// the supervisors whose scope covers that department; anyone else gets "not found". Served by
// lib/http/download.ts like the other uploaded files.
import { uploadDownload } from "@/lib/http/download";
import { attachmentFile, mayReadOrders } from "@/lib/supervision/rectification-queries";
import { attachmentDownloadName } from "@/lib/supervision/rectification-files";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return uploadDownload(id, mayReadOrders, attachmentFile, attachmentDownloadName);
}
