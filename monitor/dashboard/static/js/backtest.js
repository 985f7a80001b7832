// "What would this have caught": a draft watch run over stored incidents (POST /watches/backtest).

import { api } from "./api.js";
import { el, when } from "./dom.js";
import { names, severityBadge } from "./render.js";

const summary = document.getElementById("backtest-summary");
const list = document.getElementById("backtest");
const since = document.getElementById("since");
let asked = 0; // answers to older questions are dropped

function item(alert) {
  const why = alert.why ?? {};
  return el("li", { class: "card backtest-hit", "data-incident-id": alert.incident_id },
    el("div", { class: "hit-head" }, severityBadge(alert.severity), el("strong", { text: alert.title || alert.incident_id })),
    el("p", { class: "meta" }, el("span", { class: "cause", text: why.cause || alert.event_type || "event" }),
      ` · last seen ${when(alert.last_seen)} · ${alert.status}`),
    el("dl", { class: "why" },
      el("dt", { text: "Materials" }), el("dd", { text: names(why.materials).join(", ") || "any" }),
      el("dt", { text: "Places" }), el("dd", { text: names(why.places).join(", ") || "—" })),
  );
}

/** Show what `body` would have alerted on for `buyerId` over the chosen period. */
export async function runBacktest(body, buyerId) {
  const mine = ++asked;
  summary.textContent = "Looking back…";
  try {
    const answer = await api("/watches/backtest", {
      method: "POST", body, params: { since: since.value, buyer_id: buyerId },
    });
    if (mine !== asked) return;
    const days = since.selectedOptions[0]?.textContent ?? since.value;
    summary.textContent = `${answer.count} alert(s) in the last ${days} (${answer.scanned} incident(s) looked at).`;
    summary.dataset.count = answer.count;
    list.replaceChildren(...answer.alerts.map(item));
  } catch (error) {
    if (mine !== asked) return;
    summary.textContent = `No backtest: ${error.message}`;
    delete summary.dataset.count;
    list.replaceChildren();
  }
}

/** Say why there is no backtest yet (the form has problems), and clear the list. */
export function clearBacktest(message) {
  asked++;
  summary.textContent = message;
  delete summary.dataset.count;
  list.replaceChildren();
}

export function onSinceChange(handler) {
  since.addEventListener("change", handler);
}
