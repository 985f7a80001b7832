// Feeds for operators: tags, health (paused feeds say why), last error, items per day, false alarms.

import { api } from "./api.js";
import { el, link, say, when } from "./dom.js";
import { startPage } from "./nav.js";

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

await startPage();
try {
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
      el("td", { class: "num", text: falseAlarmRate(feed) }));
  });
  document.getElementById("feeds").replaceChildren(...rows);
  say(`${page.total ?? rows.length} feed(s).`);
} catch (error) {
  say(error.status === 403 ? "Feeds are for operators and admins." : error.message, "error");
}
