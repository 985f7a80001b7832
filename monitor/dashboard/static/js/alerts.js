// The buyer's alerts inbox: three tabs, each alert with why, evidence, sources and suggestions;
// new alerts arrive live from /alerts/stream. A false alarm says why; a missed event is reported
// by its address.

import { api } from "./api.js";
import { el, say, when } from "./dom.js";
import { startPage } from "./nav.js";
import { evidenceList, names, severityBadge, sourcesWithEvidence, suggestionBlock } from "./render.js";
import { follow } from "./stream.js";

const REASONS = [
  ["not_a_disruption", "Not a disruption"], ["wrong_place", "Wrong place"],
  ["wrong_material", "Wrong material"], ["duplicate", "Duplicate"],
  ["not_relevant", "Not relevant to me"], ["other", "Other"],
];
const NOTE_MAX = 1000;
const list = document.getElementById("alerts");
const liveBadge = document.getElementById("live");
let current = "new";

/** The rule that matched: a watch's name, or the buyer's own suppliers. */
function watchName(watch, alert) {
  if (typeof watch === "string") return watch;
  if (watch?.name) return watch.name;
  if (watch?.kind === "supplier") return "your suppliers";
  return alert.watch_id ? `watch ${alert.watch_id}` : "your suppliers";
}

function alertCard(alert, { fresh = false } = {}) {
  const incident = alert.incident ?? {};
  const why = alert.why ?? {};
  const evidence = why.evidence?.length ? why.evidence : incident.evidence;
  const actions = el("div", { class: "actions" });
  if (alert.status === "new") {
    actions.append(el("button", { type: "button", class: "ack", text: "Acknowledge", onclick: () => act(alert, "acknowledge") }));
  }
  if (alert.status !== "false_alarm") {
    actions.append(el("button", { type: "button", class: "secondary false-alarm", text: "False alarm", onclick: () => askWhy(alert, actions) }));
  }
  return el(
    "article",
    { class: `card alert${fresh ? " fresh" : ""}`, "data-alert-id": alert.id },
    el("header", {}, severityBadge(alert.severity), el("h2", { text: incident.title ?? `Incident ${alert.incident_id}` })),
    el("p", { class: "meta" },
      el("span", { class: "cause", text: why.cause ?? incident.event_type ?? "event" }),
      ` · ${(incident.countries ?? []).join(", ") || "no country"} · `,
      `${alert.kind && alert.kind !== "new" ? `${alert.kind} · ` : ""}alerted ${when(alert.created_at)}`),
    el("h3", { text: "Why it matched" }),
    el("dl", { class: "why" },
      el("dt", { text: "Watch" }), el("dd", { text: watchName(why.watch, alert) }),
      el("dt", { text: "Materials" }), el("dd", { text: names(why.materials).join(", ") || "any" }),
      el("dt", { text: "Places" }), el("dd", { text: names(why.places).join(", ") || "—" })),
    el("h3", { text: "Evidence" }),
    evidenceList(evidence),
    el("h3", { text: "Sources" }),
    sourceCount(incident),
    sourcesWithEvidence(incident.sources, evidence),
    el("h3", { text: "Suggested suppliers" }),
    suggestionBlock(alert.suggestions),
    actions,
  );
}

/** How many reports the incident has, when the alert shows only its first and latest. */
function sourceCount(incident) {
  const shown = (incident.sources ?? []).length;
  const total = Number.isInteger(incident.source_count) ? incident.source_count : shown;
  if (total <= shown) return null;
  return el("p", { class: "meta source-count", text: `The first and the latest of ${total} reports` });
}

/** Ask why the alert is a false alarm (a reason from the fixed list, a note), then mark it. */
function askWhy(alert, actions) {
  const reason = el("select", { name: "reason", "aria-label": "Why is it a false alarm?" },
    REASONS.map(([value, label]) => el("option", { value, text: label })));
  const note = el("input", { name: "note", maxlength: NOTE_MAX, placeholder: "Note (optional)", "aria-label": "Note" });
  const form = el("form", { class: "why-false" }, reason, note,
    el("button", { type: "submit", text: "Mark false alarm" }),
    el("button", { type: "button", class: "secondary", text: "Cancel", onclick: () => form.replaceWith(actions) }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(alert, "false-alarm", { reason: reason.value, note: note.value });
  });
  actions.replaceWith(form);
  reason.focus();
}

async function act(alert, action, body) {
  try {
    await api(`/alerts/${encodeURIComponent(alert.id)}/${action}`, { method: "POST", body });
    say(action === "acknowledge" ? "Alert acknowledged." : "Marked as a false alarm.", "ok");
    await load();
  } catch (error) {
    say(error.message, "error");
  }
}

async function load() {
  try {
    const page = await api("/alerts", { params: { status: current, limit: 50 } });
    const items = (page.items ?? []).filter((a) => a.status === current);
    list.replaceChildren(...items.map((a) => alertCard(a)));
    if (!items.length) list.append(el("p", { class: "hint empty", text: "Nothing here." }));
    if (current === "new") document.getElementById("count-new").textContent = String(items.length);
  } catch (error) {
    say(error.message, "error");
  }
}

function arrived(type, data) {
  if (type !== "alert" && type !== "message") return;
  let alert;
  try {
    alert = JSON.parse(data);
  } catch {
    return;
  }
  if (!alert || typeof alert !== "object" || alert.id === undefined) return;
  list.querySelector(`[data-alert-id="${CSS.escape(String(alert.id))}"]`)?.remove();
  list.querySelector(".empty")?.remove();
  if (alert.status === current) list.prepend(alertCard(alert, { fresh: true }));
  const count = document.getElementById("count-new");
  if (current === "new") count.textContent = String(list.querySelectorAll("article.alert").length);
  say(`New alert: ${alert.incident?.title ?? alert.incident_id}`, "ok");
}

function showLive(state) {
  liveBadge.className = `live ${state === "live" ? "on" : "off"}`;
  liveBadge.textContent = { live: "live", reconnecting: "reconnecting…", refused: "stream refused" }[state] ?? state;
  liveBadge.dataset.state = state;
}

for (const tab of document.querySelectorAll("[role=tab]")) {
  tab.addEventListener("click", () => {
    current = tab.dataset.status;
    for (const other of document.querySelectorAll("[role=tab]")) {
      other.setAttribute("aria-selected", String(other === tab));
    }
    load();
  });
}

/** Let a buyer key report an event it heard of and was not alerted to. */
function offerMissedEvent(me) {
  const form = document.getElementById("missed-form");
  if (!me.buyer_id || !form) return;
  document.getElementById("report-missed").hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api(`/buyers/${encodeURIComponent(me.buyer_id)}/missed-events`, {
        method: "POST", body: { url: String(data.get("url") ?? ""), note: String(data.get("note") ?? "") },
      });
      form.reset();
      say("Thank you: the missed event was reported.", "ok");
    } catch (error) {
      say(error.message, "error");
    }
  });
}

const me = await startPage();
offerMissedEvent(me);
await load();
follow("/alerts/stream", arrived, showLive);
