// Where a seal goes unless someone chooses otherwise: the bottom right of the last page, the
// picture's edges 20 mm from the page's right and bottom edges. The signing panel's position picker
// starts there, and documents the portal generates for sealing (the supervision report, V-04) keep
// that box free, so the custodian's default is already the right place. A plain module: the client
// picker and the server's PDF layout share it.

/** 20 mm in points. */
export const STAMP_MARGIN_PT = 56.69;

/** The default centre (PDF points, origin bottom left) of a w × h pt seal on an upright page. */
export function defaultStampCentre(page: { width: number; height: number }, w: number, h: number): { x: number; y: number } {
  return { x: page.width - STAMP_MARGIN_PT - w / 2, y: STAMP_MARGIN_PT + h / 2 };
}
