// The Content-Disposition of a download: an ASCII name (filename=) for old clients and, when there
// is one, the readable name percent-encoded for filename* (RFC 6266 / 5987; encodeURIComponent
// leaves '()*! as they are, which RFC 5987's attr-char does not allow).

/** The readable name as RFC 5987 ext-value characters. */
export function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function contentDisposition(ascii: string, name?: string, inline = false): string {
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"${name ? `; filename*=UTF-8''${rfc5987(name)}` : ""}`;
}
