"use client";
// Read-only preview of a PDF (approvers look at the document before approving). Pages are rendered
// only while they are in or near the visible part of the preview, and their canvases are released
// again when scrolled far away, so long documents neither freeze the page nor hold hundreds of MB.
// Either a same-origin URL (`src`) or bytes already in the browser (`data`, e.g. a live preview the
// server rendered): new bytes replace the pages only once they are ready, so a preview that changes
// while the user types does not flash.
import { useEffect, useRef, useState } from "react";
import { useElementWidth, usePdfDocument, type PdfState } from "./hooks";
import { isRenderingCancelled, loadPdfJs, pdfErrorMessage, releaseCanvas, renderToCanvas, type PDFDocumentProxy } from "./pdfjs";
import styles from "./pdf.module.css";

type PreviewProps = { src: string; data?: undefined; maxPages?: number } | { data: Uint8Array; src?: undefined; maxPages?: number };

export function PdfPreview(props: PreviewProps) {
  return props.data ? <BytesPreview data={props.data} maxPages={props.maxPages} /> : <UrlPreview src={props.src} maxPages={props.maxPages} />;
}

function UrlPreview({ src, maxPages }: { src: string; maxPages?: number }) {
  return <PdfView state={usePdfDocument(src)} maxPages={maxPages} />;
}

function BytesPreview({ data, maxPages }: { data: Uint8Array; maxPages?: number }) {
  return <PdfView state={usePdfBytes(data)} maxPages={maxPages} keepRatio />;
}

/**
 * Opens `data` (copied: pdf.js takes over the buffer it is given). The previous document stays
 * until the next one is ready and is destroyed then, or on unmount.
 */
function usePdfBytes(data: Uint8Array): PdfState {
  const [state, setState] = useState<PdfState>({ status: "loading" });
  const current = useRef<{ destroy: () => void } | null>(null);
  useEffect(() => {
    let live = true;
    let task: { promise: Promise<PDFDocumentProxy>; destroy: () => Promise<void> } | null = null;
    const destroy = () => void task?.destroy().catch(() => undefined);
    loadPdfJs()
      .then((pdfjs) => {
        if (!live) return null;
        task = pdfjs.getDocument({ data: data.slice(), isEvalSupported: false, enableXfa: false, useWorkerFetch: false, verbosity: pdfjs.VerbosityLevel.ERRORS });
        return task.promise;
      })
      .then(
        (doc) => {
          if (!doc) return;
          if (!live) return destroy();
          current.current?.destroy();
          current.current = { destroy };
          setState({ status: "ready", doc });
        },
        (e: unknown) => {
          destroy();
          if (live) setState({ status: "error", message: pdfErrorMessage(e) });
        },
      );
    return () => {
      live = false;
    };
  }, [data]);
  useEffect(
    () => () => {
      current.current?.destroy();
      current.current = null;
    },
    [],
  );
  return state;
}

function PdfView({ state, maxPages, keepRatio }: { state: PdfState; maxPages?: number; keepRatio?: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [innerRef, width] = useElementWidth();
  const [ratio, setRatio] = useState<{ doc: PDFDocumentProxy; value: number } | null>(null);
  const doc = state.status === "ready" ? state.doc : null;

  // Page 1's height/width stands in for every page's until that page is loaded.
  useEffect(() => {
    if (!doc) return;
    let live = true;
    doc.getPage(1).then(
      (p) => {
        const v = p.getViewport({ scale: 1 });
        if (live) setRatio({ doc, value: v.height / v.width });
      },
      () => live && setRatio({ doc, value: Math.SQRT2 }),
    );
    return () => {
      live = false;
    };
  }, [doc]);

  const total = doc?.numPages ?? 0;
  const shown = maxPages && maxPages > 0 ? Math.min(total, Math.floor(maxPages)) : total;
  // a new document of the same view keeps the last page ratio until its own is known (no flash)
  const ratioHint = ratio && (ratio.doc === doc || keepRatio) ? ratio.value : null;

  return (
    <div className={styles.preview} ref={scrollRef} role="region" aria-label="文档预览" aria-busy={state.status === "loading"}>
      <div ref={innerRef}>
        {state.status === "loading" && (
          <div className={styles.status} role="status">
            正在加载文档…
          </div>
        )}
        {state.status === "error" && (
          <div className="alert error" role="alert">
            文档无法预览：{state.message}
          </div>
        )}
        {doc && ratioHint !== null && width > 0 && (
          <>
            <div className={styles.pages}>
              {Array.from({ length: shown }, (_, i) => (
                <PreviewPage key={i} doc={doc} pageNumber={i + 1} total={total} width={width} ratioHint={ratioHint} root={scrollRef} />
              ))}
            </div>
            {shown < total && (
              <p className={styles.note}>
                仅预览前 {shown} 页，共 {total} 页
              </p>
            )}
          </>
        )}
      </div>
    </div>
  );
}

function PreviewPage(props: {
  doc: PDFDocumentProxy;
  pageNumber: number;
  total: number;
  width: number;
  ratioHint: number;
  root: React.RefObject<HTMLDivElement | null>;
}) {
  const { doc, pageNumber, total, width, ratioHint, root } = props;
  const sheetRef = useRef<HTMLDivElement>(null);
  const holderRef = useRef<HTMLDivElement>(null); // holds the canvas; React renders nothing into it
  const [near, setNear] = useState(false);
  const [height, setHeight] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  // "near" = within one viewport height of the visible part of the preview.
  useEffect(() => {
    const el = sheetRef.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => setNear(entries.some((e) => e.isIntersecting)), {
      root: root.current,
      rootMargin: "100% 0px",
    });
    io.observe(el);
    return () => io.disconnect();
  }, [root]);

  useEffect(() => {
    const holder = holderRef.current;
    if (!holder) return;
    if (!near) {
      // Scrolled far away: give the pixels back; the page is drawn again when it comes near.
      const old = holder.querySelector("canvas");
      holder.replaceChildren();
      releaseCanvas(old);
      return;
    }
    let cancel = () => {};
    let live = true;
    doc
      .getPage(pageNumber)
      .then((page) => {
        if (!live) return null;
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: width / base.width });
        setHeight(viewport.height);
        return renderToCanvas(page, viewport, (t) => (cancel = () => t.cancel()));
      })
      .then(
        (canvas) => {
          if (!canvas) return;
          if (!live) return releaseCanvas(canvas);
          const old = holder.querySelector("canvas");
          holder.replaceChildren(canvas);
          releaseCanvas(old);
          setError(null);
        },
        (e: unknown) => {
          if (live && !isRenderingCancelled(e)) setError(pdfErrorMessage(e));
        },
      );
    return () => {
      live = false;
      cancel();
    };
  }, [doc, pageNumber, width, near]);

  const h = height ?? width * ratioHint;
  const label = `第 ${pageNumber} 页 / 共 ${total} 页`;
  return (
    <figure className={styles.page}>
      <div ref={sheetRef} className={styles.sheet} style={{ width, height: h }} role="img" aria-label={label}>
        <div ref={holderRef} className={styles.holder} aria-hidden="true" />
        {error && <div className={styles.pageError}>本页无法显示：{error}</div>}
      </div>
      <figcaption className={styles.caption} aria-hidden="true">
        {label}
      </figcaption>
    </figure>
  );
}
