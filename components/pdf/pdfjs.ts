// pdf.js for the browser only: loaded by a dynamic import() from effects, so server rendering never
// touches it. Everything it needs is same-origin and bundled by Next (no public/ copy, no CDN):
// - the worker: new URL("pdfjs-dist/…/pdf.worker.min.mjs", import.meta.url) becomes a hashed file under
//   /_next/static/media/; pdf.js starts it as a module Worker (allowed by the CSP's 'strict-dynamic',
//   since script creates it; proxy.ts skips /_next/static, so the worker runs without a CSP of its own);
// - CMaps, standard fonts and wasm decoders: pdfjs-assets.ts (generated), fetched on demand through
//   the BinaryDataFactory option below.
// No eval: isEvalSupported is false, so PostScript functions are interpreted, not compiled.
// The legacy build carries polyfills; the modern one needs the very latest browsers.
import type * as PdfJsModule from "pdfjs-dist";
import type { PDFDocumentProxy, PDFPageProxy, PageViewport, RenderTask } from "pdfjs-dist";

export type { PDFDocumentProxy, PDFPageProxy, PageViewport };
type PdfJs = typeof PdfJsModule;

let loading: Promise<PdfJs> | null = null;

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= import("pdfjs-dist/legacy/build/pdf.mjs").then(
    (pdfjs) => {
      pdfjs.GlobalWorkerOptions.workerSrc = new URL("pdfjs-dist/legacy/build/pdf.worker.min.mjs", import.meta.url).href;
      return pdfjs;
    },
    (e: unknown) => {
      loading = null; // a failed chunk load (e.g. after a deploy) may succeed on the next try
      throw new PdfViewError(`PDF 组件加载失败（${e instanceof Error ? e.message : String(e)}），请刷新页面后重试`);
    },
  );
  return loading;
}

/** pdf.js's BinaryDataFactory: CMaps, fonts and wasm from the bundled asset URLs (pdfjs-assets.ts). */
class BundledAssetFactory {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const { pdfjsAssetUrl } = await import("./pdfjs-assets");
    const url = pdfjsAssetUrl(kind, filename);
    if (!url) throw new Error(`pdf.js asset not bundled: ${kind}/${filename}`);
    const res = await fetch(url, { credentials: "same-origin" });
    if (!res.ok) throw new Error(`pdf.js asset ${url.pathname}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
}

/** An error whose message is already fit to show (Chinese, no "文档无法预览：" prefix). */
export class PdfViewError extends Error {}

async function fetchPdf(src: string, signal: AbortSignal): Promise<Uint8Array> {
  const url = new URL(src, window.location.href);
  if (url.origin !== window.location.origin) throw new PdfViewError("只能预览本系统内的文档");
  let res: Response;
  try {
    res = await fetch(url, { credentials: "same-origin", signal, headers: { Accept: "application/pdf" } });
  } catch (e) {
    if (signal.aborted) throw e;
    throw new PdfViewError("网络错误，文档下载失败");
  }
  if (!res.ok) {
    const why: Record<number, string> = { 401: "登录已过期，请重新登录", 403: "没有查看该文档的权限", 404: "文档不存在或已被删除" };
    throw new PdfViewError(`${why[res.status] ?? "服务器错误"}（HTTP ${res.status}）`);
  }
  // A session that expired mid-page ends in proxy.ts's redirect to the login page, which answers HTML.
  if ((res.headers.get("content-type") ?? "").includes("text/html"))
    throw new PdfViewError("服务器返回的不是 PDF 文件，登录可能已过期，请刷新页面");
  return new Uint8Array(await res.arrayBuffer());
}

export type OpenedPdf = { doc: PDFDocumentProxy; destroy: () => void };

/** Downloads `src` and opens it; `signal` aborts both. The caller must call destroy() (ends the worker). */
export async function openPdf(src: string, signal: AbortSignal): Promise<OpenedPdf> {
  const pdfjs = await loadPdfJs();
  const data = await fetchPdf(src, signal);
  signal.throwIfAborted();
  const task = pdfjs.getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    useWorkerFetch: false,
    BinaryDataFactory: BundledAssetFactory,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  const destroy = () => void task.destroy().catch(() => undefined);
  signal.addEventListener("abort", destroy, { once: true });
  try {
    return { doc: await task.promise, destroy };
  } catch (e) {
    destroy();
    throw e;
  }
}

/** A Chinese explanation of why a document could not be shown. */
export function pdfErrorMessage(e: unknown): string {
  if (e instanceof PdfViewError) return e.message;
  const rawName = typeof e === "object" && e !== null ? (e as { name?: unknown }).name : undefined;
  const name = typeof rawName === "string" ? rawName : "";
  const message = e instanceof Error ? e.message : String(e);
  if (name === "InvalidPDFException") return "文件不是有效的 PDF，或已损坏";
  if (name === "PasswordException") return "文档已加密，需要密码才能打开";
  if (name === "ResponseException" || name === "MissingPDFException") return "文档下载失败";
  if (/worker/i.test(message)) return `PDF 解析线程启动失败（${message}）`;
  return message || "未知错误";
}

export function isRenderingCancelled(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "RenderingCancelledException";
}

/** Canvas pixels per CSS pixel: the device ratio, but at most ~16.7 M pixels per canvas. */
function pixelRatio(viewport: PageViewport): number {
  const dpr = Math.min(window.devicePixelRatio || 1, 3);
  const maxPixels = 4096 * 4096;
  return Math.min(dpr, Math.sqrt(maxPixels / Math.max(1, viewport.width * viewport.height)));
}

/**
 * Renders `page` at `viewport` (CSS pixels) into a new canvas, sharp on high-DPI screens.
 * `onTask` receives the RenderTask so the caller can cancel it (the promise then rejects with
 * RenderingCancelledException, see isRenderingCancelled).
 */
export async function renderToCanvas(page: PDFPageProxy, viewport: PageViewport, onTask: (t: RenderTask) => void): Promise<HTMLCanvasElement> {
  const ratio = pixelRatio(viewport);
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.floor(viewport.width * ratio));
  canvas.height = Math.max(1, Math.floor(viewport.height * ratio));
  canvas.style.width = "100%"; // of a box sized to the viewport; stretches smoothly until redrawn
  canvas.style.height = "100%";
  canvas.style.display = "block";
  const task = page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
  onTask(task);
  try {
    await task.promise;
  } catch (e) {
    releaseCanvas(canvas);
    throw e;
  }
  return canvas;
}

/** Frees a canvas's pixel buffer now instead of at garbage collection. */
export function releaseCanvas(canvas: HTMLCanvasElement | null | undefined) {
  if (!canvas) return;
  canvas.width = 0;
  canvas.height = 0;
}
