// Where a buyer's alerts go: Slack and Teams destinations (URLs masked), webhook, e-mail, digest.

import { api } from "./api.js";
import { el, say, when } from "./dom.js";
import { startPage } from "./nav.js";
import { pickBuyer } from "./pick.js";

const table = document.getElementById("destinations");
const addForm = document.getElementById("destination");
const contacts = document.getElementById("contacts");
const KINDS = { slack: "Slack", teams: "Microsoft Teams" };
let buyerId = null;

/** Return a plain-words problem with an http(s) URL, or "" when it looks usable. */
function urlProblem(value, { required = true } = {}) {
  if (!value) return required ? "Paste the incoming-webhook URL." : "";
  let url;
  try {
    url = new URL(value);
  } catch {
    return "That is not a URL (it should start with https://).";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "The URL must start with https://.";
  if (url.username || url.password) return "The URL must not carry a user name or password.";
  return "";
}

async function loadDestinations() {
  const rows = await api(`/buyers/${buyerId}/destinations`);
  table.replaceChildren(
    ...rows.map((d) =>
      el("tr", { "data-destination-id": d.id, "data-kind": d.kind },
        el("td", { text: KINDS[d.kind] ?? d.kind }),
        el("td", {}, el("code", { class: "url-hint", text: d.url_hint })),
        el("td", { text: when(d.created_at) }),
        el("td", {}, el("button", { type: "button", class: "secondary delete", text: "Delete",
          onclick: () => remove(d) }))),
    ),
  );
  if (!rows.length) table.append(el("tr", {}, el("td", { colspan: 4, class: "hint", text: "No Slack or Teams destination yet." })));
}

async function remove(destination) {
  if (!confirm(`Stop sending alerts to ${KINDS[destination.kind] ?? destination.kind}?`)) return;
  try {
    await api(`/buyers/${buyerId}/destinations/${destination.id}`, { method: "DELETE" });
    say(`${KINDS[destination.kind] ?? destination.kind} destination deleted.`, "ok");
    await loadDestinations();
  } catch (error) {
    say(`Could not delete it: ${error.message}`, "error");
  }
}

async function add(event) {
  event.preventDefault();
  const kind = addForm.elements.kind.value;
  const url = addForm.elements.url.value.trim();
  const problem = urlProblem(url);
  if (problem) return say(problem, "error");
  try {
    await api(`/buyers/${buyerId}/destinations`, { method: "POST", body: { kind, url } });
    addForm.elements.url.value = "";
    say(`${KINDS[kind]} destination added; its URL is shown masked from now on.`, "ok");
    await loadDestinations();
  } catch (error) {
    const why = error.status === 409 ? `There is already a ${KINDS[kind]} destination: delete it first.` : error.message;
    say(`Could not add it: ${why}`, "error");
  }
}

function showDigest(minutes) {
  const select = contacts.elements.digest_minutes;
  if (![...select.options].some((o) => Number(o.value) === minutes)) {
    select.append(el("option", { value: minutes, text: `every ${minutes} minutes` }));
  }
  select.value = String(minutes);
}

async function loadContacts() {
  const buyer = await api(`/buyers/${buyerId}`);
  contacts.elements.webhook_url.value = buyer.webhook_url ?? "";
  contacts.elements.email.value = buyer.email ?? "";
  showDigest(buyer.digest_minutes ?? 0);
}

async function saveContacts(event) {
  event.preventDefault();
  const webhook = contacts.elements.webhook_url.value.trim();
  const email = contacts.elements.email.value.trim();
  const problem = urlProblem(webhook, { required: false });
  if (problem) return say(`Webhook: ${problem}`, "error");
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return say("That e-mail address does not look right.", "error");
  const body = { webhook_url: webhook || null, email: email || null,
    digest_minutes: Number(contacts.elements.digest_minutes.value) };
  try {
    await api(`/buyers/${buyerId}`, { method: "PATCH", body });
    say("Saved.", "ok");
  } catch (error) {
    say(`Not saved: ${error.message}`, "error");
  }
}

async function show(id) {
  buyerId = id;
  if (!buyerId) return say("There is no buyer yet.", "error");
  try {
    await Promise.all([loadDestinations(), loadContacts()]);
    say("");
    document.body.dataset.ready = "settings";
  } catch (error) {
    say(error.message, "error");
  }
}

const me = await startPage();
addForm.addEventListener("submit", add);
contacts.addEventListener("submit", saveContacts);
try {
  await show(await pickBuyer(me, show));
} catch (error) {
  say(error.message, "error");
}
