"use client";
// Where the seal goes: one page at a time, the seal picture over it at its real size; click or drag to
// move it, arrow keys to nudge it, or type x/y. The page shown is always the page of `value` (changing
// page moves the seal there, keeping its distance from the right and bottom edges).
//
// Coordinates: StampPosition is the seal's centre in PDF user space (points, origin bottom-left, the
// page's /Rotate not applied), i.e. what pdf.js's viewport.convertToPdfPoint returns and what pdf-lib's
// page.drawImage({ x: x - w / 2, y: y - h / 2 }) expects; the same as page.getSize()-relative
// coordinates for the usual page whose MediaBox starts at 0 0. All geometry (clamping, nudging, the
// default corner) is done in "view points": the page as displayed (rotation applied, y down, 1 pt =
// 1 unit), where the seal is an upright stampWidthPt × stampHeightPt box, then converted back.
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { useElementWidth, usePdfDocument } from "./hooks";
import { isRenderingCancelled, pdfErrorMessage, releaseCanvas, renderToCanvas, type PDFDocumentProxy, type PDFPageProxy, type PageViewport } from "./pdfjs";
import styles from "./pdf.module.css";
import { STAMP_MARGIN_PT as MARGIN_PT } from "@/lib/pdf/stamp-default";

export type StampPosition = { page: number; x: number; y: number };

const NUDGE_PT = 5;
const FINE_NUDGE_PT = 1;

type Props = {
  src: string;
  pictureSrc: string;
  stampWidthPt: number;
  stampHeightPt: number;
  value: StampPosition | null;
  onChange: (p: StampPosition) => void;
  riding?: boolean;
};

type Shown = { doc: PDFDocumentProxy; n: number; page: PDFPageProxy; base: PageViewport };
type Pt = { x: number; y: number };

const round2 = (v: number) => Math.round(v * 100) / 100;
const clampNum = (v: number, lo: number, hi: number) => (lo > hi ? (lo + hi) / 2 : Math.min(hi, Math.max(lo, v)));

/** Page geometry at scale 1 for a seal of w × h points. */
function geometry(base: PageViewport, w: number, h: number) {
  const clampView = (v: Pt): Pt => ({ x: clampNum(v.x, w / 2, base.width - w / 2), y: clampNum(v.y, h / 2, base.height - h / 2) });
  const toView = (p: Pt): Pt => {
    const [x, y] = base.convertToViewportPoint(p.x, p.y) as [number, number];
    return { x, y };
  };
  const toPdf = (v: Pt): Pt => {
    const [x, y] = base.convertToPdfPoint(v.x, v.y) as [number, number];
    return { x: round2(x), y: round2(y) };
  };
  /** The position for a centre given in view points, clamped so the whole seal is on the page. */
  const fromView = (v: Pt): Pt => toPdf(clampView(v));
  /** The allowed range of the centre in PDF points (the page's rotation is a multiple of 90°). */
  const a = toPdf(clampView({ x: -Infinity, y: -Infinity }));
  const b = toPdf(clampView({ x: Infinity, y: Infinity }));
  const range = { minX: Math.min(a.x, b.x), maxX: Math.max(a.x, b.x), minY: Math.min(a.y, b.y), maxY: Math.max(a.y, b.y) };
  return { width: base.width, height: base.height, clampView, toView, toPdf, fromView, range };
}

/** Bottom-right of the page as displayed, the seal's edges MARGIN_PT from the right and bottom edges. */
function defaultPosition(base: PageViewport, w: number, h: number): Pt {
  return geometry(base, w, h).fromView({ x: base.width - MARGIN_PT - w / 2, y: base.height - MARGIN_PT - h / 2 });
}

function useWindowHeight(): number {
  const [h, setH] = useState(0);
  useEffect(() => {
    const update = () => setH(window.innerHeight);
    update();
    window.addEventListener("resize", update);
    return () => window.removeEventListener("resize", update);
  }, []);
  return h;
}

export function PositionPicker(props: Props): React.JSX.Element {
  const { src, pictureSrc, stampWidthPt, stampHeightPt, value, onChange, riding = false } = props;
  const w = Math.max(1, stampWidthPt || 0);
  const h = Math.max(1, stampHeightPt || 0);
  const state = usePdfDocument(src);
  const doc = state.status === "ready" ? state.doc : null;
  const numPages = doc?.numPages ?? 0;
  const valid = !!value && Number.isInteger(value.page) && value.page >= 1 && value.page <= numPages && Number.isFinite(value.x) && Number.isFinite(value.y);
  const viewPage = valid ? value.page : numPages; // initially (value null) the last page

  const onChangeRef = useRef(onChange);
  useLayoutEffect(() => {
    onChangeRef.current = onChange;
  });
  const emit = useCallback((p: StampPosition) => onChangeRef.current(p), []);

  // Pages loaded so far (the page of `value` and its neighbours, so 上一页/下一页 act at once).
  const [loaded, setLoaded] = useState<{ doc: PDFDocumentProxy; pages: Map<number, PDFPageProxy> } | null>(null);
  const [pageError, setPageError] = useState<{ doc: PDFDocumentProxy; n: number; message: string } | null>(null);
  const loading = useRef<{ doc: PDFDocumentProxy | null; pages: Set<number> }>({ doc: null, pages: new Set() });
  const pageProxy = (n: number) => (loaded && loaded.doc === doc ? loaded.pages.get(n) : undefined);
  const addPage = useCallback((d: PDFDocumentProxy, n: number, p: PDFPageProxy) => {
    setLoaded((old) => ({ doc: d, pages: new Map(old && old.doc === d ? old.pages : []).set(n, p) }));
  }, []);
  useEffect(() => {
    if (!doc || viewPage < 1) return;
    if (loading.current.doc !== doc) loading.current = { doc, pages: new Set() };
    const inFlight = loading.current.pages;
    for (const n of [viewPage, viewPage - 1, viewPage + 1]) {
      if (n < 1 || n > doc.numPages || inFlight.has(n)) continue;
      inFlight.add(n);
      doc.getPage(n).then(
        (p) => addPage(doc, n, p),
        (e: unknown) => setPageError({ doc, n, message: pdfErrorMessage(e) }),
      );
    }
  }, [doc, viewPage, addPage]);
  const currentPage = pageProxy(viewPage);
  const current: Shown | null = doc && currentPage ? { doc, n: viewPage, page: currentPage, base: currentPage.getViewport({ scale: 1 }) } : null;
  const currentKey = current ? currentPage : null; // stable identity for effects
  const geo = current ? geometry(current.base, w, h) : null;

  // No (or an impossible) value: emit the default once; a value that lets the seal stick out of the
  // page (e.g. the stamp size changed) is pulled back in.
  const needsDefault = !!doc && !valid;
  const defaulted = useRef<PDFPageProxy | null>(null); // once per episode of "no value" (also under StrictMode)
  useEffect(() => {
    if (!needsDefault) {
      defaulted.current = null;
      return;
    }
    if (!currentPage || viewPage !== numPages || defaulted.current === currentPage) return;
    defaulted.current = currentPage;
    emit({ page: numPages, ...defaultPosition(currentPage.getViewport({ scale: 1 }), w, h) });
  }, [needsDefault, currentPage, viewPage, numPages, w, h, emit]);
  const vx = valid ? value.x : NaN;
  const vy = valid ? value.y : NaN;
  useEffect(() => {
    if (!currentPage || !Number.isFinite(vx) || !Number.isFinite(vy)) return;
    const g = geometry(currentPage.getViewport({ scale: 1 }), w, h);
    const p = g.fromView(g.toView({ x: vx, y: vy }));
    if (Math.abs(p.x - vx) > 0.01 || Math.abs(p.y - vy) > 0.01) emit({ page: viewPage, ...p });
  }, [currentPage, viewPage, vx, vy, w, h, emit]);

  // Scale: the whole page fits the width available and about 3/4 of the window's height.
  const [wrapRef, availWidth] = useElementWidth();
  const winH = useWindowHeight();
  const scale = current && availWidth > 0 ? Math.min(availWidth / current.base.width, Math.max(360, winH * 0.75) / current.base.height) : 0;
  const viewport = current && scale > 0 ? current.page.getViewport({ scale }) : null;

  // Draw the page; a newer page or size cancels the drawing in progress.
  const holderRef = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<string | null>(null);
  const drawKey = current && viewport ? `${current.n}@${viewport.width.toFixed(1)}` : null;
  useEffect(() => {
    const holder = holderRef.current;
    if (!current || !viewport || !holder) return;
    let cancel = () => {};
    let live = true;
    renderToCanvas(current.page, viewport, (t) => (cancel = () => t.cancel())).then(
      (canvas) => {
        if (!live) return releaseCanvas(canvas);
        const old = holder.querySelector("canvas");
        holder.replaceChildren(canvas);
        releaseCanvas(old);
        setDrawn(drawKey);
      },
      (e: unknown) => {
        if (live && !isRenderingCancelled(e)) setPageError({ doc: current.doc, n: current.n, message: pdfErrorMessage(e) });
      },
    );
    return () => {
      live = false;
      cancel();
    };
  }, [currentKey, drawKey]); // current and viewport are new objects each render; these keys stand for them

  // Moving the seal
  const stageRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ id: number; dx: number; dy: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const sealView = geo && valid ? geo.toView({ x: value.x, y: value.y }) : null; // centre, view points

  const moveToView = (v: Pt) => {
    if (!geo || !current) return;
    emit({ page: current.n, ...geo.fromView(v) });
  };
  const pointerView = (e: React.PointerEvent): Pt | null => {
    const stage = stageRef.current;
    if (!stage || !geo) return null;
    const r = stage.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return null;
    return { x: ((e.clientX - r.left) / r.width) * geo.width, y: ((e.clientY - r.top) / r.height) * geo.height };
  };
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !geo) return;
    const p = pointerView(e);
    if (!p) return;
    e.preventDefault();
    e.currentTarget.focus({ preventScroll: true });
    // Grabbing the seal keeps the grab point under the pointer; clicking elsewhere centres it there.
    const onSeal = sealView && Math.abs(p.x - sealView.x) <= w / 2 && Math.abs(p.y - sealView.y) <= h / 2;
    drag.current = { id: e.pointerId, dx: onSeal ? sealView.x - p.x : 0, dy: onSeal ? sealView.y - p.y : 0 };
    e.currentTarget.setPointerCapture(e.pointerId);
    setDragging(true);
    moveToView({ x: p.x + drag.current.dx, y: p.y + drag.current.dy });
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    const p = pointerView(e);
    if (p) moveToView({ x: p.x + d.dx, y: p.y + d.dy });
  };
  const endDrag = (e: React.PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id !== e.pointerId) return;
    drag.current = null;
    setDragging(false);
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? FINE_NUDGE_PT : NUDGE_PT;
    const d: Record<string, Pt> = { ArrowLeft: { x: -step, y: 0 }, ArrowRight: { x: step, y: 0 }, ArrowUp: { x: 0, y: -step }, ArrowDown: { x: 0, y: step } };
    const delta = d[e.key];
    if (!delta || !sealView || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    moveToView({ x: sealView.x + delta.x, y: sealView.y + delta.y });
  };

  // Changing page: same distances from the right and bottom edges, clamped to the new page.
  const nav = useRef(0);
  const goTo = (target: number) => {
    if (!doc || !valid || !geo || !sealView) return;
    const n = Math.min(numPages, Math.max(1, Math.round(target)));
    if (n === value.page) return;
    const fromRight = geo.width - sealView.x;
    const fromBottom = geo.height - sealView.y;
    const place = (p: PDFPageProxy) => {
      const base = p.getViewport({ scale: 1 });
      emit({ page: n, ...geometry(base, w, h).fromView({ x: base.width - fromRight, y: base.height - fromBottom }) });
    };
    const seq = ++nav.current; // the latest request wins
    const cached = pageProxy(n);
    if (cached) return place(cached);
    doc.getPage(n).then(
      (p) => {
        addPage(doc, n, p);
        if (seq === nav.current) place(p);
      },
      (e: unknown) => setPageError({ doc, n, message: pdfErrorMessage(e) }),
    );
  };

  const readoutId = useId();
  if (state.status === "loading")
    return (
      <div className={styles.picker} aria-busy="true">
        <div className={styles.status} role="status">
          正在加载文档…
        </div>
      </div>
    );
  if (state.status === "error")
    return (
      <div className="alert error" role="alert">
        文档无法预览：{state.message}
      </div>
    );

  // (controls stay enabled while a page loads, so keyboard focus is not lost; goTo/emit wait for geo)
  const s = viewport?.scale ?? 0;
  const sealCss = sealView && viewport ? { left: (sealView.x - w / 2) * s, top: (sealView.y - h / 2) * s, width: w * s, height: h * s } : null;
  const readout = valid ? `第 ${value.page} 页，x = ${value.x.toFixed(1)} pt，y = ${value.y.toFixed(1)} pt` : "正在确定默认位置…";
  const err = pageError && pageError.doc === doc && pageError.n === viewPage ? pageError.message : null;

  return (
    <div className={styles.picker}>
      <div className={styles.bar}>
        <div className={styles.nav} role="group" aria-label="选择盖章页">
          <button type="button" className="btn" aria-label="上一页" onClick={() => valid && goTo(value.page - 1)} disabled={!valid || value.page <= 1}>
            上一页
          </button>
          <span>第</span>
          <NumberField
            label="盖章页码"
            value={valid ? value.page : viewPage}
            min={1}
            max={numPages}
            step={1}
            format={(v) => String(v)}
            disabled={!valid}
            onCommit={(n) => goTo(n)}
          />
          <span>页 / 共 {numPages} 页</span>
          <button type="button" className="btn" aria-label="下一页" onClick={() => valid && goTo(value.page + 1)} disabled={!valid || value.page >= numPages}>
            下一页
          </button>
        </div>
        <div className={styles.coords} role="group" aria-label="精确位置（印章中心，单位 pt，原点为页面左下角）">
          <label>
            x
            <NumberField
              label="印章中心 x 坐标（pt）"
              value={valid ? value.x : NaN}
              min={geo?.range.minX}
              max={geo?.range.maxX}
              step={0.1}
              format={(v) => v.toFixed(1)}
              disabled={!valid}
              onCommit={(x) => geo && valid && emit({ page: value.page, ...geo.fromView(geo.toView({ x, y: value.y })) })}
            />
          </label>
          <label>
            y
            <NumberField
              label="印章中心 y 坐标（pt）"
              value={valid ? value.y : NaN}
              min={geo?.range.minY}
              max={geo?.range.maxY}
              step={0.1}
              format={(v) => v.toFixed(1)}
              disabled={!valid}
              onCommit={(y) => geo && valid && emit({ page: value.page, ...geo.fromView(geo.toView({ x: value.x, y })) })}
            />
          </label>
        </div>
        <output id={readoutId} className={styles.readout} aria-live="polite" aria-atomic="true">
          {readout}
        </output>
      </div>

      <div className={styles.stageWrap} ref={wrapRef}>
        {viewport ? (
          <div
            ref={stageRef}
            className={`${styles.stage}${dragging ? ` ${styles.dragging}` : ""}`}
            style={{ width: viewport.width, height: viewport.height }}
            tabIndex={0}
            role="application"
            aria-roledescription="盖章位置选择区"
            aria-label={`第 ${viewPage} 页。点击页面或拖动印章设定盖章位置；方向键每次移动 ${NUDGE_PT} pt，按住 Shift 每次移动 ${FINE_NUDGE_PT} pt`}
            aria-describedby={readoutId}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={endDrag}
            onPointerCancel={endDrag}
            onKeyDown={onKeyDown}
          >
            <div ref={holderRef} className={styles.holder} aria-hidden="true" />
            {drawn !== drawKey && !err && <div className={styles.status}>正在加载第 {viewPage} 页…</div>}
            {err && <div className={styles.pageError}>本页无法显示：{err}</div>}
            {riding && (
              <div className={styles.riding} style={{ width: Math.max(18, (w / Math.max(1, numPages)) * s) }} aria-hidden="true">
                <span>骑缝章将盖在所有页面右侧边缘</span>
              </div>
            )}
            {sealCss && (
              // eslint-disable-next-line @next/next/no-img-element -- the seal's own PNG, sized to points × scale; next/image adds nothing here
              <img className={styles.seal} src={pictureSrc} alt="" aria-hidden="true" draggable={false} style={sealCss} />
            )}
          </div>
        ) : (
          <div className={styles.status} role="status">
            {err ? `本页无法显示：${err}` : "正在加载页面…"}
          </div>
        )}
      </div>
      {riding && <p className={styles.hint}>骑缝章将盖在所有页面右侧边缘，上图右侧阴影条为示意。</p>}
    </div>
  );
}

/** A number input: typing commits on Enter or blur, the spinner and arrow keys at once; clamped. */
function NumberField(props: {
  label: string;
  value: number;
  min?: number;
  max?: number;
  step: number;
  format: (v: number) => string;
  disabled?: boolean;
  onCommit: (v: number) => void;
}) {
  const { label, value, min, max, step, format, disabled, onCommit } = props;
  const shown = Number.isFinite(value) ? format(value) : "";
  const [draft, setDraft] = useState<string | null>(null); // null: not editing, show `value`
  const finish = () => {
    if (draft === null) return;
    const v = Number(draft);
    setDraft(null);
    if (draft.trim() !== "" && Number.isFinite(v) && draft !== shown) onCommit(clampNum(v, min ?? -Infinity, max ?? Infinity));
  };
  return (
    <input
      type="number"
      aria-label={label}
      value={draft ?? shown}
      min={min === undefined ? undefined : format(min)}
      max={max === undefined ? undefined : format(max)}
      step={step}
      disabled={disabled}
      onChange={(e) => {
        const text = e.target.value;
        const typing = /^(insert|delete|history)/.test((e.nativeEvent as InputEvent).inputType ?? "");
        const v = Number(text);
        if (typing || text.trim() === "" || !Number.isFinite(v)) return setDraft(text);
        setDraft(null);
        onCommit(clampNum(v, min ?? -Infinity, max ?? Infinity));
      }}
      onBlur={finish}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          finish();
        } else if (e.key === "Escape") setDraft(null);
      }}
    />
  );
}
