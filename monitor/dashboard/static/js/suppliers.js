// Supplier search: the suggestion query (GET /suggestions) as a form.

import { api } from "./api.js";
import { el, say } from "./dom.js";
import { startPage } from "./nav.js";
import { supplierItem } from "./render.js";

const form = document.getElementById("search");
const results = document.getElementById("results");

async function search(event) {
  event.preventDefault();
  const params = Object.fromEntries(new FormData(form).entries());
  say("Searching…");
  try {
    const answer = await api("/suggestions", { params });
    const found = answer.suggestions ?? [];
    const near = answer.partial_matches ?? [];
    results.replaceChildren(el("p", { class: "message", text: answer.message ?? "" }));
    if (found.length) results.append(el("ol", { class: "card results" }, found.map(supplierItem)));
    if (near.length) {
      results.append(
        el("h2", { text: "Near misses" }),
        el("ol", { class: "card results partial" }, near.map(supplierItem)),
      );
    }
    say(`${found.length} supplier(s) for ${answer.material ?? params.material}.`, "ok");
  } catch (error) {
    results.replaceChildren();
    say(error.message, "error");
  }
}

const me = await startPage();
if (me.buyer_id) form.elements.buyer_id.value = me.buyer_id;
form.addEventListener("submit", search);
