// Feeds for operators: tags, health (paused feeds say why), last error, items per day, false
// alarms with buyers' reasons and precision; below, feedback counts and the missed events buyers
// reported (operators get no notes from the API: they see counts and addresses only).

import { api } from "./api.js";
import { el, link, say, when } from "./dom.js";
import { startPage } from "./nav.js";

const REASONS = {
  not_a_disruption: "not a disruption", wrong_place: "wrong place", wrong_material: "wrong material",
  duplicate: "duplicate", not_relevant: "not relevant", other: "other",
};

function health(feed) {
  if (feed.state === "paused") return `paused: ${feed.disabled_reason ?? "errors in a row"}`;
  if (feed.state === "disabled" && feed.disabled_reason) return `disabled: ${feed.disabled_reason}`;
  if (feed.state === "failing") return `failing (${feed.consecutive_failures}×)`;
  if (feed.state) return feed.state;
  if (!feed.enabled) return feed.disabled_reason ? `disabled: ${feed.disabled_reason}` : "disabled";
  if (feed.consecutive_failures > 0) return `failing (${feed.consecutive_failures}×)`;
  return feed.last_success_at ? "ok" : "not polled yet";
}

function itemsPerDay(feed) {
  return typeof feed.items_per_day === "number" ? feed.items_per_day.toFixed(1) : "—";
}

function falseAlarmRate(feed) {
  if (!feed.alerts) return "—";
  return `${((100 * (feed.false_alarms ?? 0)) / feed.alerts).toFixed(0)} % of ${feed.alerts}`;
}

function precision(feed) {
  return typeof feed.precision === "number" ? `${(100 * feed.precision).toFixed(0)} %` : "—";
}

/** "wrong place 2 · duplicate 1": a feed's or everyone's false alarms by reason, largest first. */
function reasons(counts) {
  return Object.entries(counts ?? {})
    .filter(([, n]) => Number.isInteger(n) && n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${REASONS[reason] ?? reason} ${n}`)
    .join(" · ");
}

async function showFeeds() {
  const page = await api("/feeds", { params: { limit: 200 } });
  const rows = (page.items ?? []).map((feed) => {
    const state = health(feed);
    return el("tr", { "data-feed-id": feed.id },
      el("td", {}, el("div", { text: feed.name || "" }), link(feed.url, feed.url),
        el("div", { class: "tags", text: (feed.tags ?? []).join(" · ") })),
      el("td", { text: feed.kind ?? "auto" }),
      el("td", { class: state === "ok" ? "ok" : "warn", text: state }),
      el("td", { text: when(feed.last_success_at) }),
      el("td", { class: "error-text", text: feed.last_error ?? "" }),
      el("td", { class: "num", text: itemsPerDay(feed) }),
      el("td", { class: "num false-alarms" }, el("div", { text: falseAlarmRate(feed) }),
        el("div", { class: "reasons", text: reasons(feed.false_alarm_reasons) })),
      el("td", { class: "num precision", text: precision(feed) }));
  });
  document.getElementById("feeds").replaceChildren(...rows);
  return page.total ?? rows.length;
}

async function showFeedback() {
  const [totals, missed] = await Promise.all([
    api("/feedback"),
    api("/missed-events", { params: { limit: 20 } }),
  ]);
  document.getElementById("reasons").textContent = reasons(totals.false_alarms) || "none yet";
  const items = (missed.items ?? []).map((event) =>
    el("li", { "data-missed-id": event.id }, link(event.url, event.url),
      el("span", { class: "meta", text: ` · reported ${when(event.created_at)}` }),
      event.note ? el("div", { class: "note", text: event.note }) : null));
  const list = document.getElementById("missed");
  list.replaceChildren(...items);
  if (!items.length) list.append(el("li", { class: "hint", text: "None reported." }));
  document.getElementById("missed-count").textContent = String(totals.missed_events ?? 0);
}

await startPage();
try {
  const total = await showFeeds();
  await showFeedback();
  say(`${total} feed(s).`);
} catch (error) {
  say(error.status === 403 ? "Feeds are for operators and admins." : error.message, "error");
}
