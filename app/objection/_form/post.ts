// The browser side of the public objection routes (/api/objections/public/*): JSON or multipart in,
// `{ data }` or `{ code, error, fieldErrors }` out, and a Chinese message when the network fails.
export type PublicResult<T> = { ok: true; data: T } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };

const NETWORK = "网络异常，提交未完成，请稍后重试";

export async function postPublic<T>(url: string, body: unknown): Promise<PublicResult<T>> {
  let res: Response;
  try {
    res =
      body instanceof FormData
        ? await fetch(url, { method: "POST", body, credentials: "same-origin" })
        : await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
  } catch {
    return { ok: false, code: "NETWORK", error: NETWORK };
  }
  let json: { data?: T; code?: string; error?: string; fieldErrors?: Record<string, string> } = {};
  try {
    json = (await res.json()) as typeof json;
  } catch {
    json = {};
  }
  if (res.ok && json.data !== undefined) return { ok: true, data: json.data };
  return { ok: false, code: json.code ?? "INTERNAL", error: json.error ?? NETWORK, fieldErrors: json.fieldErrors };
}
