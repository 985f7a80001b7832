// Build DOM nodes from untrusted text: every string goes in as text, never parsed as HTML.

const SAFE_PROTOCOLS = new Set(["http:", "https:"]);

/** Return `value` as an absolute http(s) URL, or null for anything else (javascript:, data:…). */
export function safeUrl(value) {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Create `tag` with attributes (`text`, `class`, `on<event>`, others as attributes) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A link that opens elsewhere when `url` is http(s); plain text otherwise. */
export function link(url, text) {
  const href = safeUrl(url);
  const label = text || url || "";
  if (!href) return el("span", { class: "unsafe-link", text: label });
  return el("a", { href, text: label, target: "_blank", rel: "noopener noreferrer" });
}

/** Return `text` as a fragment with every occurrence of `phrases` wrapped in <mark>. */
export function highlight(text, phrases) {
  const fragment = document.createDocumentFragment();
  const source = String(text ?? "");
  const lower = source.toLowerCase();
  const wanted = [...new Set(phrases.filter((p) => typeof p === "string" && p.trim()))]
    .map((p) => p.toLowerCase());
  let at = 0;
  while (at < source.length) {
    let best = -1;
    let bestLength = 0;
    for (const phrase of wanted) {
      const found = lower.indexOf(phrase, at);
      if (found >= 0 && (best < 0 || found < best || (found === best && phrase.length > bestLength))) {
        best = found;
        bestLength = phrase.length;
      }
    }
    if (best < 0) break;
    if (best > at) fragment.append(source.slice(at, best));
    fragment.append(el("mark", { text: source.slice(best, best + bestLength) }));
    at = best + bestLength;
  }
  if (at < source.length) fragment.append(source.slice(at));
  return fragment;
}

/** Format an ISO timestamp in the reader's locale, or "—". */
export function when(value) {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** Show `message` in the page's status line (role=status, so screen readers hear it). */
export function say(message, kind = "info") {
  const box = document.getElementById("status");
  if (!box) return;
  box.className = `status ${kind}`;
  box.textContent = message;
}
