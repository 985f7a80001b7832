// Calls to /api/v1 with the key kept in sessionStorage (gone when the tab closes).

const KEY = "monitor.apiKey";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const getKey = () => sessionStorage.getItem(KEY);
export function setKey(key) {
  sessionStorage.clear();
  sessionStorage.setItem(KEY, key);
}

export function logout() {
  sessionStorage.clear();
  location.assign("/");
}

/** Send the reader to the login page when no key is kept. */
export function requireKey() {
  if (!getKey()) location.replace("/");
}

export function authHeaders(extra = {}) {
  return { Authorization: `Bearer ${getKey() ?? ""}`, ...extra };
}

function describe(detail, status) {
  if (Array.isArray(detail)) {
    return detail
      .map((d) => `${(d.loc ?? []).filter((p) => p !== "query" && p !== "body").join(".")}: ${d.msg}`)
      .join("; ");
  }
  return typeof detail === "string" ? detail : `request failed (${status})`;
}

/** Call the API; resolve to the decoded JSON, reject with an ApiError carrying the message. */
export async function api(path, { method = "GET", body, params } = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = authHeaders({ Accept: "application/json" });
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, describe(data?.detail, response.status));
  return data;
}

const ME = "monitor.me";

/** Who the key belongs to ({role, buyer_id}), asked once per tab and then remembered. */
export async function whoami() {
  const kept = sessionStorage.getItem(ME);
  if (kept) return JSON.parse(kept);
  const me = await api("/me");
  sessionStorage.setItem(ME, JSON.stringify(me));
  return me;
}
