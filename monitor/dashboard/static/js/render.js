// Pieces of an alert or incident, drawn with DOM calls only (feed text is never HTML).

import { el, highlight, link, when } from "./dom.js";

export const SEVERITY_COLOURS = {
  low: "#2b8a3e",
  medium: "#e8a500",
  high: "#e8590c",
  critical: "#c92a2a",
};

export const names = (values) =>
  (values ?? []).map((v) => (typeof v === "string" ? v : v?.name ?? "")).filter(Boolean);

export function severityBadge(severity) {
  return el("span", { class: `badge sev-${SEVERITY_COLOURS[severity] ? severity : "low"}`, text: severity ?? "?" });
}

function hostOf(url) {
  try {
    return new URL(url).hostname || "source";
  } catch {
    return "source";
  }
}

/** The incident's sources, each with the evidence phrases marked in its text. */
export function sourcesWithEvidence(sources, evidence) {
  const phrases = (evidence ?? []).map((e) => e?.text).filter(Boolean);
  const list = el("ul", { class: "sources" });
  for (const source of sources ?? []) {
    const text = [source.title, source.summary ?? source.text ?? source.body].filter(Boolean);
    list.append(
      el(
        "li",
        {},
        el("blockquote", { class: "source-text" }, text.map((t) => el("p", {}, highlight(t, phrases)))),
        el("span", { class: "meta" }, link(source.url, hostOf(source.url)),
          source.published ? ` · ${when(source.published)}` : ""),
      ),
    );
  }
  return list;
}

export function evidenceList(evidence) {
  return el(
    "ul",
    { class: "evidence" },
    (evidence ?? []).map((e) => el("li", {}, el("mark", { text: e?.text ?? "" }), e?.why ? ` — ${e.why}` : "")),
  );
}

/** Suggested suppliers grouped by material, each with its score and reasons. */
export function suggestionBlock(suggestions) {
  const block = el("div", { class: "suggestions" });
  for (const group of suggestions ?? []) {
    const suppliers = group.suppliers ?? group.suggestions ?? [];
    block.append(
      el("h4", { text: `Alternatives for ${group.material ?? "?"}` }),
      suppliers.length
        ? el("ol", {}, suppliers.map(supplierItem))
        : el("p", { class: "hint", text: group.message || "No alternative found." }),
    );
  }
  return block;
}

export function supplierItem(s) {
  const score = typeof s.score === "number" ? s.score.toFixed(2) : "—";
  return el(
    "li",
    { class: "supplier" },
    el("strong", { text: s.name ?? "?" }),
    ` ${[s.city, s.country].filter(Boolean).join(", ")} · score ${score}`,
    s.substitute_for ? el("span", { class: "hint", text: ` (substitute for ${s.substitute_for})` }) : null,
    el("ul", { class: "reasons" }, (s.reasons ?? []).map((r) => el("li", { text: r }))),
    s.shortfalls?.length
      ? el("ul", { class: "reasons short" }, s.shortfalls.map((r) => el("li", { text: r })))
      : null,
  );
}
