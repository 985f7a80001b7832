// A buyer's watches: list, create, edit, delete, with a backtest of the form as it stands.

import { api } from "./api.js";
import { el, say } from "./dom.js";
import { startPage } from "./nav.js";
import { pickBuyer } from "./pick.js";
import { clearBacktest, onSinceChange, runBacktest } from "./backtest.js";
import { Chips, fillWatch, readWatch, vocabularyIndex } from "./watchform.js";

const form = document.getElementById("watch");
const listBox = document.getElementById("watches");
const errors = document.getElementById("form-errors");
const deleteButton = document.getElementById("delete-watch");
let buyerId = null;
let editing = null; // the stored watch being edited, or null for a new one
let chips = null;
let timer = null;
let dirty = false; // the form was changed since it was filled or saved

function select(watch, { ask = false } = {}) {
  if (ask && dirty && !confirm("Discard the changes to this watch?")) return;
  dirty = false;
  editing = watch;
  fillWatch(form, chips, watch);
  document.getElementById("form-title").textContent = watch ? `Edit “${watch.name || `watch ${watch.id}`}”` : "New watch";
  deleteButton.hidden = !watch;
  errors.textContent = "";
  for (const a of listBox.querySelectorAll("a")) a.setAttribute("aria-current", String(Number(a.dataset.watchId) === watch?.id));
  backtestSoon(0);
}

function describe(watch) {
  const parts = [watch.materials.join(", ") || "any material", watch.countries.join(", ")].filter(Boolean);
  return `${parts.join(" · ")} · from ${watch.min_severity}`;
}

async function loadWatches(keep) {
  const page = await api(`/buyers/${buyerId}/watches`, { params: { limit: 200 } });
  listBox.replaceChildren(...page.items.map((w) =>
    el("li", { "data-watch-id": w.id },
      el("a", { href: `#watch-${w.id}`, "data-watch-id": w.id, text: w.name || `watch ${w.id}`,
        onclick: (event) => { event.preventDefault(); select(w, { ask: true }); } }),
      el("div", { class: "hint", text: describe(w) }))));
  if (!page.items.length) listBox.append(el("li", { class: "hint", text: "No watch yet." }));
  select(page.items.find((w) => w.id === keep) ?? null);
}

function check() {
  const { body, problems } = readWatch(form, chips, { addPending: true });
  errors.textContent = problems.length ? `Please fix: ${problems.join("; ")}.` : "";
  return problems.length ? null : body;
}

function backtestSoon(delay = 600) {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const { body, problems } = readWatch(form, chips);
    if (problems.length) clearBacktest(`The backtest runs once the watch is complete: ${problems[0]}.`);
    else runBacktest(body, buyerId);
  }, delay);
}

async function save(event) {
  event.preventDefault();
  const body = check();
  if (!body) return say("The watch was not saved: see what to fix below the form.", "error");
  try {
    const saved = editing
      ? await api(`/watches/${editing.id}`, { method: "PATCH", body })
      : await api(`/buyers/${buyerId}/watches`, { method: "POST", body });
    const message = editing ? "Watch saved." : "Watch created.";
    await loadWatches(saved.id);
    say(message, "ok");
  } catch (error) {
    say(`The watch was not saved: ${error.message}`, "error");
  }
}

async function remove() {
  if (!editing || !confirm(`Delete the watch “${editing.name || editing.id}”?`)) return;
  try {
    await api(`/watches/${editing.id}`, { method: "DELETE" });
    say("Watch deleted.", "ok");
    await loadWatches(null);
  } catch (error) {
    say(`Not deleted: ${error.message}`, "error");
  }
}

async function show(id) {
  buyerId = id;
  if (!buyerId) return say("There is no buyer yet.", "error");
  try {
    await loadWatches(null);
    document.body.dataset.ready = "watches";
  } catch (error) {
    say(error.message, "error");
  }
}

async function setUp() {
  const vocabulary = await fetch("/assets/vocabulary.json").then((r) => r.json());
  const index = vocabularyIndex(vocabulary);
  document.getElementById("materials-list").replaceChildren(
    ...vocabulary.materials.map((m) => el("option", { value: m.name, label: `${m.name} (HS ${m.hs ?? "—"})` })));
  document.getElementById("countries-list").replaceChildren(
    ...vocabulary.countries.map((c) => el("option", { value: c.code, label: c.name })));
  chips = {
    materials: new Chips(form, "materials", index.materials),
    countries: new Chips(form, "countries", index.countries, (code) => `${index.countryNames.get(code) ?? code} (${code})`),
  };
  const changed = () => { dirty = true; backtestSoon(); };
  for (const c of Object.values(chips)) c.onchange = changed;
  const typingAChip = (event) => event.target.closest(".chip-add"); // counts once added
  form.addEventListener("input", (event) => typingAChip(event) || changed());
  form.addEventListener("change", (event) => typingAChip(event) || changed());
  form.addEventListener("submit", save);
  deleteButton.addEventListener("click", remove);
  document.getElementById("new-watch").addEventListener("click", () => select(null, { ask: true }));
  onSinceChange(() => backtestSoon(0));
}

const me = await startPage();
try {
  await setUp();
  await show(await pickBuyer(me, show));
} catch (error) {
  say(error.message, "error");
}
