"use client";
// Read-only preview of a PDF (approvers look at the document before approving). Pages are rendered
// only while they are in or near the visible part of the preview, and their canvases are released
// again when scrolled far away, so long documents neither freeze the page nor hold hundreds of MB.
import { useEffect, useRef, useState } from "react";
import { useElementWidth, usePdfDocument } from "./hooks";
import { isRenderingCancelled, pdfErrorMessage, releaseCanvas, renderToCanvas, type PDFDocumentProxy } from "./pdfjs";
import styles from "./pdf.module.css";

export function PdfPreview({ src, maxPages }: { src: string; maxPages?: number }) {
  const state = usePdfDocument(src);
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
  const ratioHint = ratio && ratio.doc === doc ? ratio.value : null;

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
