"use client";
import { useEffect, useState } from "react";
import { openPdf, pdfErrorMessage, type PDFDocumentProxy } from "./pdfjs";

export type PdfState = { status: "loading" } | { status: "ready"; doc: PDFDocumentProxy } | { status: "error"; message: string };

/** Downloads and opens `src`; the document (and its worker) is destroyed on unmount or when src changes. */
export function usePdfDocument(src: string): PdfState {
  const [state, setState] = useState<{ src: string; state: PdfState } | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    openPdf(src, ac.signal).then(
      ({ doc }) => {
        if (!ac.signal.aborted) setState({ src, state: { status: "ready", doc } });
      },
      (e: unknown) => {
        if (!ac.signal.aborted) setState({ src, state: { status: "error", message: pdfErrorMessage(e) } });
      },
    );
    return () => ac.abort(); // openPdf destroys the loading task (and so the document) on abort
  }, [src]);
  // A result for an earlier src is not shown while the new one loads.
  return state && state.src === src ? state.state : { status: "loading" };
}

/**
 * The content-box width, in whole CSS pixels, of the element given the returned callback ref (0 until
 * measured), following resizes; works for elements that mount later.
 */
export function useElementWidth(): [(el: HTMLElement | null) => void, number] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((old) => (old === w ? old : w));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, width];
}
